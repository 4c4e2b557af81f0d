package dev.tally.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.Optional;

/**
 * How a subject's cost moved from one month to the next: exact decimals, a subject absent in a month counting as zero.
 *
 * @param period the later month
 */
public record Change(Subject subject, YearMonth period, BigDecimal previous, BigDecimal current) {
    /** Places of {@link #relative()}: 0.1234 is 12.34 %. */
    public static final int RELATIVE_PLACES = 4;

    /** The biggest move first (by its absolute size), then by subject. */
    public static final Comparator<Change> LARGEST_FIRST = Comparator
            .comparing((Change c) -> c.delta().abs(), Comparator.reverseOrder()).thenComparing(Change::subject);

    public BigDecimal delta() {
        return current.subtract(previous);
    }

    /** {@code delta / previous}, half-even to four places; empty when the previous month had no cost of it. */
    public Optional<BigDecimal> relative() {
        if (previous.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(delta().divide(previous.abs(), RELATIVE_PLACES, RoundingMode.HALF_EVEN));
    }

    /** Up or down; a change of zero is neither. */
    public Optional<Direction> direction() {
        int sign = delta().signum();
        return sign == 0 ? Optional.empty() : Optional.of(sign > 0 ? Direction.UP : Direction.DOWN);
    }

    /** Which way a cost moved. */
    public enum Direction { UP, DOWN }
}
