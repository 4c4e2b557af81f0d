package dev.tally.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money on the allocation path: exact decimals at {@value #SCALE} places, never binary floating point.
 *
 * <p>Bills carry costs with up to ten decimal places; every split rounds to the same scale
 * (allocation contract §5), so all amounts inside the engine share one scale and sums are exact.
 */
public final class Money {
    public static final int SCALE = 10;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {
    }

    /**
     * Parses a cost as written in a bill: plain decimal, optional sign, optional exponent
     * ({@code 1.2E-5} appears in some exports). Rejects values that need more than ten places,
     * because they could not be split and summed exactly at the contract's scale.
     *
     * @throws NumberFormatException if the text is not a decimal number or has more than ten places
     */
    public static BigDecimal parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new NumberFormatException("empty amount");
        }
        BigDecimal value = new BigDecimal(trimmed);
        try {
            return value.setScale(SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new NumberFormatException("more than " + SCALE + " decimal places");
        }
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
