package dev.tally.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money on the allocation path: exact decimals at {@value #SCALE} places, never binary floating point.
 *
 * <p>Bills carry costs with up to ten decimal places (an amount with more is rounded half-even to ten
 * when read, §1); every split rounds to the same scale (§5), so all amounts inside the engine share
 * one scale and sums are exact.
 */
public final class Money {
    public static final int SCALE = 10;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {
    }

    /** Amounts with more integer digits than this, or more decimal places than {@link #MAX_PLACES}, are refused. */
    public static final int MAX_INTEGER_DIGITS = 30;
    public static final int MAX_PLACES = 100;

    /**
     * Parses a cost as written in a bill: plain decimal, optional sign, optional exponent
     * ({@code 1.2E-5} appears in some exports), rounded half-even to ten places (allocation contract §1).
     *
     * @throws NumberFormatException if the text is not a decimal number or is out of range
     */
    public static BigDecimal parse(String text) {
        return round(parseAsWritten(text));
    }

    /**
     * Parses an amount exactly as written, at whatever scale it has.
     *
     * @throws NumberFormatException if the text is not a decimal number ({@code "empty amount"},
     *                               {@code "not a decimal number"}) or is out of range (more than
     *                               {@value #MAX_INTEGER_DIGITS} integer digits or {@value #MAX_PLACES}
     *                               decimal places, which no bill writes and which could not be summed cheaply)
     */
    public static BigDecimal parseAsWritten(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new NumberFormatException("empty amount");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("not a decimal number");
        }
        if (value.scale() > MAX_PLACES || value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            throw new OutOfRange();
        }
        return value;
    }

    /** Thrown by {@link #parseAsWritten} for a number too large or with too many places. */
    public static final class OutOfRange extends NumberFormatException {
        OutOfRange() {
            super("out of range");
        }
    }

    /** An amount at the engine's scale, rounded half-even if it has more places. */
    public static BigDecimal round(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** Brings an amount to the engine's scale; fails if that would need rounding. */
    public static BigDecimal exact(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    /** Plain decimal string with exactly ten places and no exponent, as every output column is written. */
    public static String format(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.UNNECESSARY).toPlainString();
    }
}
