package dev.tally.money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The decimal a binary {@code double} stands for: the one with the fewest significant digits that converts
 * back to it. AWS's Parquet exports hold costs as {@code DOUBLE}; the same bill's CSV writes this decimal, so
 * reading it (never the double's binary expansion, never binary arithmetic) gives the CSV's numbers.
 *
 * <p>{@link Double#toString} is not this on Java 17 (it is from Java 19, JDK-4511638), so it is found here: by
 * {@link ScaledMoney#fromDouble} when it has at most ten places (nearly every cost), else as the smallest
 * precision {@code p} in 1..17 at which the double's exact value rounded half-even to {@code p} digits converts
 * back to it. Written plain (no exponent), trailing zeros dropped.
 */
public final class ShortestDecimal {
    private static final MathContext[] PRECISIONS = new MathContext[18];

    static {
        for (int p = 1; p < PRECISIONS.length; p++) {
            PRECISIONS[p] = new MathContext(p, RoundingMode.HALF_EVEN);
        }
    }

    private ShortestDecimal() {
    }

    /**
     * @return the shortest decimal of a finite double; {@code NaN} and the infinities as {@link Double#toString}
     *         writes them (a reader finds those unparseable)
     */
    public static BigDecimal of(double value) {
        if (!Double.isFinite(value)) {
            throw new NumberFormatException(Double.toString(value));
        }
        long units = ScaledMoney.fromDouble(value);
        if (units != ScaledMoney.NOT_FAST) {
            return BigDecimal.valueOf(units, Money.SCALE).stripTrailingZeros();
        }
        return slow(value);
    }

    /** The search by precision alone (what {@link #of} does for values outside the fast form). */
    static BigDecimal slow(double value) {
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = new BigDecimal(value);
        for (int p = 1; p < PRECISIONS.length; p++) {
            BigDecimal rounded = exact.round(PRECISIONS[p]);
            if (rounded.doubleValue() == value) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(PRECISIONS[17]).stripTrailingZeros(); // 17 digits always convert back
    }

    /** The shortest decimal as plain text ({@code NaN}, {@code Infinity} for those). */
    public static String text(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        long units = ScaledMoney.fromDouble(value);
        if (units != ScaledMoney.NOT_FAST) {
            byte[] b = new byte[32];
            int n = writeUnits(units, b, 0);
            return new String(b, 0, n, StandardCharsets.US_ASCII);
        }
        return plain(slow(value));
    }

    /**
     * Writes {@link #text} into {@code into} from {@code at} (room for 32 bytes needed on the fast path; the
     * slow path may write more and grows nothing: the caller gives room for {@link #MAX_TEXT}).
     *
     * @return the end offset
     */
    public static int write(double value, byte[] into, int at) {
        long units = Double.isFinite(value) ? ScaledMoney.fromDouble(value) : ScaledMoney.NOT_FAST;
        if (units != ScaledMoney.NOT_FAST) {
            return writeUnits(units, into, at);
        }
        byte[] text = text(value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, into, at, text.length);
        return at + text.length;
    }

    /** The longest {@link #text}: a 17-digit value of the largest or smallest magnitude, written plain. */
    public static final int MAX_TEXT = 360;

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.toPlainString();
    }

    /** {@code units} 10<sup>-10</sup> as plain text without trailing zeros. */
    private static int writeUnits(long units, byte[] b, int at) {
        if (units < 0) {
            b[at++] = '-';
            units = -units; // fromDouble's units are far from Long.MIN_VALUE
        }
        long whole = units / 10_000_000_000L;
        long frac = units % 10_000_000_000L;
        at = writeLong(whole, b, at);
        if (frac != 0) {
            b[at++] = '.';
            int places = Money.SCALE;
            while (frac % 10 == 0) {
                frac /= 10;
                places--;
            }
            for (int i = at + places - 1; i >= at; i--) {
                b[i] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            at += places;
        }
        return at;
    }

    private static int writeLong(long v, byte[] b, int at) {
        if (v == 0) {
            b[at] = '0';
            return at + 1;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }
}
