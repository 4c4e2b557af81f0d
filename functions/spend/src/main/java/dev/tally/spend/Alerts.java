package dev.tally.spend;

import dev.tally.allocation.Target;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which subjects of the latest month moved past their thresholds ({@link AlertRules}) against the month before. A
 * closed month is compared as it is; an open month by its month-end forecast ({@link MonthEndForecast}), so a jump is
 * seen while it can still be acted on — without a forecast (a run written before the accrual was kept) an open month
 * raises nothing rather than comparing a part of a month with a whole one.
 */
public final class Alerts {
    /** How many products and resources an alert names. */
    public static final int DRIVERS = 3;

    private Alerts() {
    }

    public static List<Alert> evaluate(SpendHistory history, AlertRules rules) {
        Optional<MonthRollup> latest = history.latest();
        if (latest.isEmpty() || history.previous(latest.get().period()).isEmpty()) {
            return List.of();
        }
        MonthRollup month = latest.get();
        MonthRollup before = history.previous(month.period()).orElseThrow();
        Optional<MonthEndForecast.Forecast> forecast = MonthEndForecast.of(month);
        if (!month.isFinal() && forecast.isEmpty()) {
            return List.of();
        }
        boolean projected = !month.isFinal();
        SortedMap<Subject, BigDecimal> areas = projected ? forecast.get().areas() : month.areas();
        SortedMap<Subject, BigDecimal> services = projected ? forecast.get().services() : month.services();
        SortedMap<Subject, BigDecimal> products = projected ? forecast.get().productAreas() : month.products();
        BigDecimal monthTotal = forecast.map(MonthEndForecast.Forecast::total).orElse(month.totals().total());
        List<String> steps = forecast.map(f -> f.steps().stream().map(Map.Entry::getKey).toList()).orElse(List.of());
        List<Change> productChanges = SpendHistory.changes(month.period(), before.products(), products);
        List<Change> resourceChanges = SpendHistory.changes(month.period(), before.costs(Subject.Kind.RESOURCE),
                month.costs(Subject.Kind.RESOURCE));

        List<Alert> alerts = new ArrayList<>();
        if (rules.watched().contains(Subject.Kind.AREA)) {
            for (Change change : SpendHistory.changes(month.period(), before.areas(), areas)) {
                alert(rules, change, projected, monthTotal, productChanges, resourceChanges, steps,
                        change.subject().first()).ifPresent(alerts::add);
            }
        }
        if (rules.watched().contains(Subject.Kind.SERVICE)) {
            Map<Subject, String> serviceAreas = new TreeMap<>(before.serviceAreas());
            serviceAreas.putAll(month.serviceAreas());
            for (Change change : SpendHistory.changes(month.period(), before.services(), services)) {
                alert(rules, change, projected, monthTotal, productChanges, resourceChanges, steps,
                        serviceAreas.getOrDefault(change.subject(), "")).ifPresent(alerts::add);
            }
        }
        return alerts;
    }

    private static Optional<Alert> alert(AlertRules rules, Change change, boolean projected, BigDecimal monthTotal,
                                         List<Change> products, List<Change> resources, List<String> steps,
                                         String area) {
        Optional<Change.Direction> direction = change.direction();
        if (direction.isEmpty() || !rules.of(change.subject()).passedBy(change)) {
            return Optional.empty();
        }
        List<Change> behind = products.stream().filter(c -> c.subject().second().equals(area))
                .filter(c -> c.delta().signum() == change.delta().signum()).limit(DRIVERS).toList();
        // an open month's resources are so far, not projected: only a rise past last month is already a rise
        boolean resourcesTell = Target.UNALLOCATED.equals(area) && !(projected && change.delta().signum() < 0);
        List<Change> untagged = resourcesTell
                ? resources.stream().filter(c -> c.delta().signum() == change.delta().signum()).limit(DRIVERS).toList()
                : List.of();
        return Optional.of(new Alert(change, direction.get(), projected, monthTotal, behind, untagged, steps));
    }
}
