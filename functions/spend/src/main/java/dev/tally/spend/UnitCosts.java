package dev.tally.spend;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cost per unit of a business metric: a product area's cost in a month over the metric's value that month — "a
 * million API calls cost $X" — and how it moved from the month before. Exact: each figure is the one division,
 * rounded half-even to ten places, never a rounded figure scaled up.
 */
public final class UnitCosts {
    private UnitCosts() {
    }

    /**
     * @param cost     the area's cost that month
     * @param previous the same metric's unit cost the month before, if both months have it
     */
    public record UnitCost(YearMonth period, String area, String metric, BigDecimal value, BigDecimal cost,
                           Optional<UnitCost> previous) {
        /** Cost per {@code units} units, or empty when the metric is zero. */
        public Optional<BigDecimal> costPer(long units) {
            if (value.signum() == 0) {
                return Optional.empty();
            }
            return Optional.of(cost.multiply(BigDecimal.valueOf(units)).divide(value, Money.SCALE,
                    RoundingMode.HALF_EVEN));
        }

        /** The relative change of the cost per unit since the month before (four places), if both are known. */
        public Optional<BigDecimal> relativeChange() {
            Optional<BigDecimal> now = costPer(1_000_000);
            Optional<BigDecimal> before = previous.flatMap(p -> p.costPer(1_000_000));
            if (now.isEmpty() || before.isEmpty() || before.get().signum() == 0) {
                return Optional.empty();
            }
            return Optional.of(now.get().subtract(before.get()).divide(before.get().abs(), Change.RELATIVE_PLACES,
                    RoundingMode.HALF_EVEN));
        }
    }

    /** Every metric of every month the history has, oldest first; an area without cost that month costs zero. */
    public static List<UnitCost> of(SpendHistory history, BusinessMetrics metrics) {
        List<UnitCost> costs = new ArrayList<>();
        for (MonthRollup month : history.months()) {
            for (Map.Entry<BusinessMetrics.Key, BigDecimal> metric : metrics.of(month.period())) {
                costs.add(unitCost(history, metrics, month, metric.getKey(), metric.getValue(), true));
            }
        }
        return costs;
    }

    private static UnitCost unitCost(SpendHistory history, BusinessMetrics metrics, MonthRollup month,
                                     BusinessMetrics.Key key, BigDecimal value, boolean withPrevious) {
        BigDecimal cost = month.areas().getOrDefault(Subject.area(key.area()), Money.ZERO);
        Optional<UnitCost> previous = Optional.empty();
        if (withPrevious) {
            BusinessMetrics.Key before = new BusinessMetrics.Key(key.period().minusMonths(1), key.area(), key.metric());
            Optional<MonthRollup> previousMonth = history.previous(month.period());
            BigDecimal previousValue = metrics.values().get(before);
            if (previousMonth.isPresent() && previousValue != null) {
                previous = Optional.of(unitCost(history, metrics, previousMonth.get(), before, previousValue, false));
            }
        }
        return new UnitCost(key.period(), key.area(), key.metric(), value, cost, previous);
    }
}
