package dev.tally.spend;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the spend report shows, worked out from a {@link SpendHistory}: the latest month is "this month", its
 * movers are against the month before (when the history has it), its forecast is the open month's month-end
 * projection. Every figure is an exact decimal from the model; the page only rounds them to cents when it prints them.
 *
 * @param months       the history's months, oldest first
 * @param monthTotals  each month's totals and the change of its total against the month before
 * @param areaCosts    each product area's cost per month (every area of every month)
 * @param chartAreas   the areas the stacked chart draws in their own colour, biggest over the history first; the
 *                     others are drawn together as {@link #OTHER_AREAS}
 * @param areaMovers   this month's biggest moves of product areas, with the AWS products behind each
 * @param serviceMovers this month's biggest moves of ECS services
 * @param untaggedMovers this month's biggest moves of untagged resources
 * @param forecast     the month-end forecast of this month, if it is open and its run kept the accrual
 * @param services     this month's services, costliest first, with their move
 * @param unitCosts    the business metrics' unit costs of every month (empty without metrics)
 * @param untagged     this month's most expensive untagged resources (what to tag next)
 * @param productChanges every (AWS product, area) move of this month, biggest first (the table behind the drivers)
 */
public record SpendReport(String costBasis, Instant generatedAt, List<MonthRollup> months,
                          List<MonthTotal> monthTotals, SortedMap<Subject, SortedMap<YearMonth, BigDecimal>> areaCosts,
                          List<Subject> chartAreas, List<AreaMove> areaMovers, List<Change> serviceMovers,
                          List<Change> untaggedMovers, Optional<MonthEndForecast.Forecast> forecast,
                          List<ServiceCost> services, List<UnitCosts.UnitCost> unitCosts,
                          List<MonthRollup.Untagged> untagged, List<Change> productChanges) {
    /** How many movers of each kind the page lists. */
    public static final int MOVERS = 5;
    /** How many AWS products are named as the drivers of an area's move. */
    public static final int DRIVERS = 3;
    /** How many untagged resources the page lists. */
    public static final int UNTAGGED = 10;
    /** How many areas the stacked chart draws apart (the palette has as many distinguishable colours). */
    public static final int CHART_AREAS = 7;
    /** The name the chart gives the areas it draws together. */
    public static final String OTHER_AREAS = "other areas";

    /**
     * A month's totals and how its total moved.
     *
     * @param previousTotal the month before's total, if the history has that month
     */
    public record MonthTotal(MonthRollup month, Optional<BigDecimal> previousTotal) {
        public YearMonth period() {
            return month.period();
        }

        public BigDecimal total() {
            return month.totals().total();
        }

        public Optional<BigDecimal> delta() {
            return previousTotal.map(p -> total().subtract(p));
        }

        /** {@code delta / previous} to {@value Change#RELATIVE_PLACES} places, as {@link Change#relative()}. */
        public Optional<BigDecimal> relative() {
            return previousTotal.filter(p -> p.signum() != 0).map(p -> total().subtract(p)
                    .divide(p.abs(), Change.RELATIVE_PLACES, RoundingMode.HALF_EVEN));
        }
    }

    /** An area's move and the moves of its AWS products that drove it, biggest first. */
    public record AreaMove(Change change, List<Change> drivers) {
    }

    /** One of this month's services: its area, cost and move (empty without the month before). */
    public record ServiceCost(Subject service, String area, BigDecimal cost, Optional<Change> change) {
    }

    /** The report of a history, with this month's forecast when it is open. */
    public static SpendReport of(SpendHistory history, BusinessMetrics metrics, Instant generatedAt) {
        Optional<MonthEndForecast.Forecast> forecast = history.latest().filter(m -> !m.isFinal())
                .flatMap(MonthEndForecast::of);
        return of(history, forecast, metrics, generatedAt);
    }

    /**
     * @param forecast the forecast of the history's latest month, if any
     * @throws IllegalArgumentException for an empty history, or a forecast of another month
     */
    public static SpendReport of(SpendHistory history, Optional<MonthEndForecast.Forecast> forecast,
                                 BusinessMetrics metrics, Instant generatedAt) {
        MonthRollup latest = history.latest().orElseThrow(() ->
                new IllegalArgumentException("a report needs at least one month"));
        forecast.ifPresent(f -> {
            if (!f.period().equals(latest.period())) {
                throw new IllegalArgumentException("a forecast of " + f.period() + " for a report whose latest month "
                        + "is " + latest.period());
            }
        });
        YearMonth period = latest.period();

        List<MonthTotal> totals = new ArrayList<>();
        for (MonthRollup month : history.months()) {
            totals.add(new MonthTotal(month, history.previous(month.period()).map(p -> p.totals().total())));
        }

        SortedMap<Subject, SortedMap<YearMonth, BigDecimal>> areaCosts = history.series(Subject.Kind.AREA);
        Map<Subject, BigDecimal> overHistory = new TreeMap<>();
        areaCosts.forEach((area, costs) -> overHistory.put(area,
                costs.values().stream().reduce(Money.ZERO, BigDecimal::add)));
        List<Subject> chartAreas = overHistory.entrySet().stream()
                .sorted(Map.Entry.<Subject, BigDecimal>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(areaCosts.size() <= CHART_AREAS + 1 ? CHART_AREAS + 1 : CHART_AREAS)
                .map(Map.Entry::getKey).toList();

        List<AreaMove> areaMovers = moved(history.changes(period, Subject.Kind.AREA)).stream().limit(MOVERS)
                .map(c -> new AreaMove(c, moved(history.productsBehind(period, c.subject().first())).stream()
                        .limit(DRIVERS).toList()))
                .toList();
        List<Change> serviceChanges = history.changes(period, Subject.Kind.SERVICE);
        List<Change> serviceMovers = moved(serviceChanges).stream().limit(MOVERS).toList();
        List<Change> untaggedMovers = moved(history.untaggedMovers(period)).stream().limit(MOVERS).toList();

        Map<Subject, Change> serviceChange = new TreeMap<>();
        serviceChanges.forEach(c -> serviceChange.put(c.subject(), c));
        List<ServiceCost> services = latest.services().entrySet().stream()
                .sorted(Map.Entry.<Subject, BigDecimal>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new ServiceCost(e.getKey(), latest.serviceAreas().getOrDefault(e.getKey(), ""), e.getValue(),
                        Optional.ofNullable(serviceChange.get(e.getKey()))))
                .toList();

        List<MonthRollup.Untagged> untagged = latest.untagged().stream()
                .sorted(Comparator.comparing(MonthRollup.Untagged::cost).reversed()
                        .thenComparing(MonthRollup.Untagged::resourceId))
                .limit(UNTAGGED).toList();

        return new SpendReport(latest.costBasis(), generatedAt, history.months(), List.copyOf(totals), areaCosts,
                chartAreas, areaMovers, serviceMovers, untaggedMovers, forecast, services,
                metrics.isEmpty() ? List.of() : UnitCosts.of(history, metrics), untagged,
                history.changes(period, Subject.Kind.PRODUCT_AREA));
    }

    private static List<Change> moved(List<Change> changes) {
        return changes.stream().filter(c -> c.delta().signum() != 0).toList();
    }

    /** This month: the history's latest. */
    public MonthRollup latest() {
        return months.get(months.size() - 1);
    }

    /** The month before this month, if the history has it (the movers are against it). */
    public Optional<MonthRollup> previous() {
        YearMonth before = latest().period().minusMonths(1);
        return months.stream().filter(m -> m.period().equals(before)).findFirst();
    }

    /** The areas the chart draws together as {@link #OTHER_AREAS}. */
    public List<Subject> otherAreas() {
        return areaCosts.keySet().stream().filter(a -> !chartAreas.contains(a)).toList();
    }
}
