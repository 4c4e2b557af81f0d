package dev.tally.allocation;

import dev.tally.money.Money;
import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a period's cost accrues, per AWS product — what a month-end forecast needs to know of an open month. The rule:
 * a cost line item whose usage window is at most a day ({@link #accrues}) is usage that accrues by the hour (or the
 * day), and is summed by the UTC day its usage starts; everything else — monthly fees, reservation fees, charges with
 * no window of their own, the upfront ledger's parts — is fixed for the month. How far the usage reaches is the
 * latest end of an accruing row. The sums are exact and add up to the allocation's total.
 */
public final class Accrual {
    /** The longest usage window that still accrues. */
    public static final long DAY_MILLIS = 86_400_000L;

    private final Map<String, BigDecimal> fixed = new TreeMap<>();
    private final Map<String, SortedMap<Long, BigDecimal>> byDay = new TreeMap<>();
    private long usageThrough = Long.MIN_VALUE;

    /** Whether a row with this usage window accrues over the month (rather than being a fixed charge). */
    public static boolean accrues(long from, long to) {
        return to - from <= DAY_MILLIS;
    }

    /** Adds one cost line item (or a part of one). */
    void add(String product, long from, long to, BigDecimal amount) {
        if (accrues(from, to)) {
            addDay(product, Math.floorDiv(from, DAY_MILLIS), amount);
            reach(to);
        } else {
            addFixed(product, amount);
        }
    }

    void addFixed(String product, BigDecimal amount) {
        fixed.merge(product, amount, BigDecimal::add);
    }

    void addDay(String product, long epochDay, BigDecimal amount) {
        byDay.computeIfAbsent(product, p -> new TreeMap<>()).merge(epochDay, amount, BigDecimal::add);
    }

    /** {@link #addDay} of an amount in 10<sup>-10</sup> units. */
    void addDayUnits(String product, long epochDay, long units) {
        addDay(product, epochDay, ScaledMoney.toBigDecimal(units));
    }

    void reach(long usageEnd) {
        usageThrough = Math.max(usageThrough, usageEnd);
    }

    /** Adds what another part of the same bill accrued. */
    void absorb(Accrual later) {
        later.fixed.forEach(this::addFixed);
        later.byDay.forEach((product, days) -> days.forEach((day, amount) -> addDay(product, day, amount)));
        reach(later.usageThrough);
    }

    /** The latest end of an accruing row, in epoch milliseconds; {@link Long#MIN_VALUE} when none accrued. */
    long usageThroughMillis() {
        return usageThrough;
    }

    Map<String, BigDecimal> fixedByProduct() {
        return fixed;
    }

    Map<String, SortedMap<Long, BigDecimal>> daysByProduct() {
        return byDay;
    }

    /** How far the period's usage reaches; empty when no row accrued. */
    public Optional<Instant> usageThrough() {
        return usageThrough == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(usageThrough));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Accrual that && usageThrough == that.usageThrough && products().equals(that.products());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(products(), usageThrough);
    }

    @Override
    public String toString() {
        return "Accrual[usageThrough=" + usageThrough + ", products=" + products() + "]";
    }

    /** One product's accrual: its fixed charges and its usage by day. */
    public record Product(BigDecimal fixed, SortedMap<LocalDate, BigDecimal> accruingByDay) {
        public BigDecimal accruing() {
            return accruingByDay.values().stream().reduce(Money.ZERO, BigDecimal::add);
        }

        public BigDecimal total() {
            return fixed.add(accruing());
        }
    }

    /**
     * Every product with a cost, by name: sums of ten places; days whose usage sums to zero are left out, and
     * products with nothing left.
     */
    public SortedMap<String, Product> products() {
        SortedMap<String, Product> products = new TreeMap<>();
        for (String product : union()) {
            SortedMap<LocalDate, BigDecimal> days = new TreeMap<>();
            byDay.getOrDefault(product, Collections.emptySortedMap()).forEach((day, amount) -> {
                if (amount.signum() != 0) {
                    days.put(LocalDate.ofEpochDay(day), Money.round(amount));
                }
            });
            BigDecimal fixedSum = Money.round(fixed.getOrDefault(product, Money.ZERO));
            if (fixedSum.signum() != 0 || !days.isEmpty()) {
                products.put(product, new Product(fixedSum, Collections.unmodifiableSortedMap(days)));
            }
        }
        return Collections.unmodifiableSortedMap(products);
    }

    private Set<String> union() {
        Set<String> names = new TreeSet<>(fixed.keySet());
        names.addAll(byDay.keySet());
        return names;
    }
}
