package dev.tally.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money on the generator's path: amounts are {@code long}s holding units of 10<sup>-10</sup> dollars
 * (exact, no binary floating point); rates and quantities are {@link BigDecimal}s.
 */
final class Amounts {
    static final int SCALE = 10;
    static final long ONE = 10_000_000_000L;

    private Amounts() {
    }

    /** rate × quantity, rounded half-even to 10 decimal places, as units. */
    static long cost(BigDecimal rate, BigDecimal quantity) {
        return rate.multiply(quantity).setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    /** A rate or amount at exactly 10 decimal places (it must have no more). */
    static BigDecimal rate(BigDecimal v) {
        return v.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    static long units(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    }

    static BigDecimal decimal(long units) {
        return BigDecimal.valueOf(units, SCALE);
    }

    /** Rounds units half-up to whole cents (still units). */
    static long roundCents(long units) {
        return decimal(units).setScale(2, RoundingMode.HALF_UP).setScale(SCALE, RoundingMode.UNNECESSARY)
                .unscaledValue().longValueExact();
    }

    /** {@code 0.0960000000}, {@code -12.5000000000}: always 10 decimals. */
    static String fixed(long units) {
        StringBuilder sb = new StringBuilder(24);
        appendFixed(sb, units, false);
        return sb.toString();
    }

    /** {@code 0.096}, {@code -12.5}, {@code 3}: trailing zeros removed. */
    static String stripped(long units) {
        StringBuilder sb = new StringBuilder(24);
        appendFixed(sb, units, true);
        return sb.toString();
    }

    /** Fixed to 2 decimals only when exact cents, else 10 decimals (how totals rows look). */
    static String cents(long units) {
        if (units % 100_000_000L == 0) {
            return decimal(units).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
        }
        return fixed(units);
    }

    private static void appendFixed(StringBuilder sb, long units, boolean strip) {
        if (units < 0) {
            sb.append('-');
            units = Math.negateExact(units);
        }
        sb.append(units / ONE);
        long frac = units % ONE;
        if (strip && frac == 0) {
            return;
        }
        sb.append('.');
        String f = Long.toString(frac);
        for (int i = f.length(); i < SCALE; i++) {
            sb.append('0');
        }
        int end = f.length();
        if (strip) {
            while (end > 0 && f.charAt(end - 1) == '0') {
                end--;
            }
        }
        sb.append(f, 0, end);
    }

    /** A quantity or rate as a plain string (never an exponent). */
    static String plain(BigDecimal v) {
        return v.toPlainString();
    }

    /** Same, trailing zeros removed. */
    static String plainStripped(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    /**
     * The decimal with the fewest significant digits whose double is {@code value} (what a Parquet bill's reader
     * reads for a {@code DOUBLE} amount): the smallest precision at which the double's exact value, rounded
     * half-even, converts back. Java 17's {@link Double#toString} is not always it.
     */
    static BigDecimal shortestDecimal(double value) {
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = new BigDecimal(value);
        for (int p = 1; p <= 17; p++) {
            BigDecimal rounded = exact.round(new java.math.MathContext(p, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new java.math.MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
