package dev.tally.spend;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Months of one cost basis in order, and what moved between them: each month's cost per product area, ECS service
 * and (AWS product, area), and its change against the month before — absolute and relative, exact. A month whose
 * predecessor is not in the history has no changes (a gap is not a drop to zero).
 */
public final class SpendHistory {
    private final List<MonthRollup> months;

    private SpendHistory(List<MonthRollup> months) {
        this.months = months;
    }

    /** @throws IllegalArgumentException if two months are the same period or of different cost bases */
    public static SpendHistory of(List<MonthRollup> months) {
        List<MonthRollup> sorted = new ArrayList<>(months);
        sorted.sort(Comparator.comparing(MonthRollup::period));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).period().equals(sorted.get(i - 1).period())) {
                throw new IllegalArgumentException("two runs of " + sorted.get(i).period() + " in one history");
            }
            if (!sorted.get(i).costBasis().equals(sorted.get(0).costBasis())) {
                throw new IllegalArgumentException("months of the " + sorted.get(0).costBasis() + " and the "
                        + sorted.get(i).costBasis() + " cost basis in one history");
            }
        }
        return new SpendHistory(List.copyOf(sorted));
    }

    public List<MonthRollup> months() {
        return months;
    }

    public boolean isEmpty() {
        return months.isEmpty();
    }

    public Optional<MonthRollup> month(YearMonth period) {
        return months.stream().filter(m -> m.period().equals(period)).findFirst();
    }

    public Optional<MonthRollup> latest() {
        return months.isEmpty() ? Optional.empty() : Optional.of(months.get(months.size() - 1));
    }

    /** The month before {@code period}, if the history has it. */
    public Optional<MonthRollup> previous(YearMonth period) {
        return month(period.minusMonths(1));
    }

    /**
     * Every subject of a kind that had a cost in the month or the one before, with its change; biggest moves first.
     * Empty if the month before is not in the history.
     */
    public List<Change> changes(YearMonth period, Subject.Kind kind) {
        Optional<MonthRollup> current = month(period);
        Optional<MonthRollup> previous = previous(period);
        if (current.isEmpty() || previous.isEmpty()) {
            return List.of();
        }
        return changes(period, previous.get().costs(kind), current.get().costs(kind));
    }

    /** The change of every subject in two maps of costs (absent counts as zero); biggest moves first. */
    static List<Change> changes(YearMonth period, Map<Subject, BigDecimal> before, Map<Subject, BigDecimal> after) {
        SortedSet<Subject> subjects = new TreeSet<>(before.keySet());
        subjects.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (Subject subject : subjects) {
            changes.add(new Change(subject, period, before.getOrDefault(subject, Money.ZERO),
                    after.getOrDefault(subject, Money.ZERO)));
        }
        changes.sort(Change.LARGEST_FIRST);
        return changes;
    }

    /** The change of one subject into {@code period}; empty if the month before is not in the history. */
    public Optional<Change> change(YearMonth period, Subject subject) {
        return changes(period, subject.kind()).stream().filter(c -> c.subject().equals(subject)).findFirst();
    }

    /** Each subject's cost per month, months without it left out. */
    public SortedMap<Subject, SortedMap<YearMonth, BigDecimal>> series(Subject.Kind kind) {
        SortedMap<Subject, SortedMap<YearMonth, BigDecimal>> series = new TreeMap<>();
        for (MonthRollup month : months) {
            month.costs(kind).forEach((subject, cost) ->
                    series.computeIfAbsent(subject, s -> new TreeMap<>()).put(month.period(), cost));
        }
        series.replaceAll((subject, costs) -> Collections.unmodifiableSortedMap(costs));
        return Collections.unmodifiableSortedMap(series);
    }

    /**
     * What drove an area's change: the changes of its AWS products, biggest first.
     */
    public List<Change> productsBehind(YearMonth period, String area) {
        return changes(period, Subject.Kind.PRODUCT_AREA).stream()
                .filter(c -> c.subject().second().equals(area)).toList();
    }

    /** The untagged resources (rule 6: what to tag next) whose cost moved most into {@code period}. */
    public List<Change> untaggedMovers(YearMonth period) {
        return changes(period, Subject.Kind.RESOURCE);
    }
}
