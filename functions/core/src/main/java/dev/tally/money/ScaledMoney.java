package dev.tally.money;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Money as a {@code long} count of 10<sup>-10</sup> units — the engine's scale — for the fast path:
 * exact, allocation-free arithmetic where {@link BigDecimal} would cost an object per operation.
 * Every operation either gives the exact result or says it cannot, so callers fall back to
 * {@link BigDecimal} and never round differently.
 */
public final class ScaledMoney {
    /** Returned by the parsers when the text is not in the fast form; the caller parses it slowly. */
    public static final long NOT_FAST = Long.MIN_VALUE;

    private static final long[] POWERS = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L,
    };

    private ScaledMoney() {
    }

    /**
     * Parses {@code [+-]digits[.digits]} (at most ten decimals, at most 18 digits in all) in
     * {@code bytes[from, to)}, ignoring surrounding whitespace.
     *
     * @return the amount in 10<sup>-10</sup> units, or {@link #NOT_FAST} for anything else (an
     *         exponent, more digits, not a number): the slow parser then decides
     */
    public static long parse(byte[] bytes, int from, int to) {
        while (from < to && bytes[from] <= ' ') {
            from++;
        }
        while (to > from && bytes[to - 1] <= ' ') {
            to--;
        }
        if (from == to) {
            return NOT_FAST;
        }
        boolean negative = false;
        byte first = bytes[from];
        if (first == '-' || first == '+') {
            negative = first == '-';
            from++;
        }
        long value = 0;
        int digits = 0;
        int decimals = -1;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b >= '0' && b <= '9') {
                if (++digits > 18) {
                    return NOT_FAST;
                }
                value = value * 10 + (b - '0');
                if (decimals >= 0 && ++decimals > Money.SCALE) {
                    return NOT_FAST;
                }
            } else if (b == '.' && decimals < 0) {
                decimals = 0;
            } else {
                return NOT_FAST;
            }
        }
        if (digits == 0) {
            return NOT_FAST;
        }
        int scaleUp = Money.SCALE - Math.max(decimals, 0);
        long scaled;
        try {
            scaled = Math.multiplyExact(value, POWERS[scaleUp]);
        } catch (ArithmeticException e) {
            return NOT_FAST;
        }
        return negative ? -scaled : scaled;
    }

    /** Below this magnitude a double's spacing is under 10<sup>-10</sup> (2<sup>19</sup>: ulp ≤ 2<sup>-34</sup>). */
    private static final double FAST_DOUBLE_LIMIT = 524_288.0;
    private static final double UNITS_PER_ONE = 1e10;

    /**
     * The units of a cost stored as a binary {@code double} (Parquet exports), read through its shortest
     * decimal representation — the digits {@link Double#toString} prints, which is what the same bill's
     * CSV writes — when that has at most ten places. Exact: below {@link #FAST_DOUBLE_LIMIT} the doubles are
     * closer together than one unit, so at most one multiple of a unit lies in the interval that rounds to
     * {@code value}; the one found is checked by converting it back (a correctly rounded division), which
     * makes it the shortest decimal as well (a shorter one would be a second multiple in the interval).
     *
     * @return the amount in 10<sup>-10</sup> units, or {@link #NOT_FAST} (larger amounts, more than ten
     *         places, not a number): the caller then reads {@link Double#toString} slowly
     */
    public static long fromDouble(double value) {
        if (!(Math.abs(value) < FAST_DOUBLE_LIMIT)) {
            return NOT_FAST;
        }
        // the product's own rounding (spacing up to 1 near 5e15) may land one unit off: try the neighbours too
        long units = Math.round(value * UNITS_PER_ONE);
        if ((double) units / UNITS_PER_ONE == value) {
            return units;
        }
        if ((double) (units - 1) / UNITS_PER_ONE == value) {
            return units - 1;
        }
        return (double) (units + 1) / UNITS_PER_ONE == value ? units + 1 : NOT_FAST;
    }

    public static BigDecimal toBigDecimal(long units) {
        return BigDecimal.valueOf(units, Money.SCALE);
    }

    /** The units of an amount at the engine's scale, or {@link #NOT_FAST} if it does not fit a long. */
    public static long fromBigDecimal(BigDecimal amount) {
        BigInteger units = Money.exact(amount).unscaledValue();
        return units.bitLength() < Long.SIZE && units.longValue() != NOT_FAST ? units.longValue() : NOT_FAST;
    }

    /**
     * {@code amount × weight / total}, rounded half-even to a whole unit — the contract's rounding of
     * one part of a split (§5) — computed exactly in 128 bits.
     *
     * @param weight 0 ≤ weight ≤ total
     * @param total  &gt; 0
     */
    public static long part(long amount, long weight, long total) {
        if (amount == 0 || weight == 0) {
            return 0;
        }
        if (weight == total) {
            return amount;
        }
        if (amount == Long.MIN_VALUE) {
            throw new ArithmeticException("amount out of range");
        }
        // A common power of two of weight and total changes neither the quotient nor the rounding
        // (remainder and divisor scale alike), and keeps most products within 63 bits: CPU weights are
        // milliseconds times CPU units, both rich in factors of two.
        int shift = Long.numberOfTrailingZeros(weight | total);
        weight >>>= shift;
        total >>>= shift;
        long magnitude = Math.abs(amount);
        long high = Math.multiplyHigh(magnitude, weight);
        long low = magnitude * weight;
        long quotient;
        long remainder;
        if (high == 0 && low >= 0) {
            quotient = low / total;
            remainder = low - quotient * total;
        } else {
            long[] qr = divide128(high, low, total);
            quotient = qr[0];
            remainder = qr[1];
        }
        // Half-even: compare the remainder with half the divisor without overflow.
        long half = total - remainder;
        if (remainder > half || (remainder == half && (quotient & 1) == 1)) {
            quotient++;
        }
        return amount < 0 ? -quotient : quotient;
    }

    /**
     * Unsigned division of the 128-bit number {@code high:low} by {@code divisor} (&gt; 0) when the
     * quotient fits in 63 bits (here it always does: weight ≤ total). Knuth's algorithm D on 32-bit
     * digits, after Hacker's Delight {@code divlu}.
     *
     * @return {quotient, remainder}
     */
    static long[] divide128(long high, long low, long divisor) {
        if (Long.compareUnsigned(high, divisor) >= 0) {
            throw new ArithmeticException("quotient does not fit in 64 bits");
        }
        int shift = Long.numberOfLeadingZeros(divisor);
        long v = divisor << shift;
        long vHigh = v >>> 32;
        long vLow = v & 0xFFFF_FFFFL;
        long uHigh = shift == 0 ? high : (high << shift) | (low >>> (64 - shift));
        long uLow = low << shift;
        long uLowHigh = uLow >>> 32;
        long uLowLow = uLow & 0xFFFF_FFFFL;

        long q1 = Long.divideUnsigned(uHigh, vHigh);
        long r = uHigh - q1 * vHigh;
        while (Long.compareUnsigned(q1, 0xFFFF_FFFFL) > 0
                || Long.compareUnsigned(q1 * vLow, (r << 32) | uLowHigh) > 0) {
            q1--;
            r += vHigh;
            if (Long.compareUnsigned(r, 0xFFFF_FFFFL) > 0) {
                break;
            }
        }
        long u21 = ((uHigh << 32) | uLowHigh) - q1 * v;

        long q0 = Long.divideUnsigned(u21, vHigh);
        r = u21 - q0 * vHigh;
        while (Long.compareUnsigned(q0, 0xFFFF_FFFFL) > 0
                || Long.compareUnsigned(q0 * vLow, (r << 32) | uLowLow) > 0) {
            q0--;
            r += vHigh;
            if (Long.compareUnsigned(r, 0xFFFF_FFFFL) > 0) {
                break;
            }
        }
        long remainder = (((u21 << 32) | uLowLow) - q0 * v) >>> shift;
        return new long[] {(q1 << 32) | q0, remainder};
    }
}
