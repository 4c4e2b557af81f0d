package dev.tally.allocation;

import dev.tally.money.ExactSplit;
import dev.tally.money.Money;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What allocating a bill accumulates — totals, the money placed on each (product, target), the
 * resources rule 6 left unallocated, parts waiting for an instance's tag, shared charges — and the
 * end of the allocation: waiting parts placed, shared charges spread (§4). Memory holds aggregates
 * only, never the rows. Both allocators (the readable {@link Allocator} and the fast path) fill one.
 */
final class AllocationLedger {
    BigDecimal total = Money.ZERO;
    long lineItems;
    final TreeSet<String> invoiceIds = new TreeSet<>();
    boolean allInvoicesFinal = true;
    final Map<Allocator.Rule, Long> rowsByRule = new EnumMap<>(Allocator.Rule.class);
    final Map<Allocator.ProductTarget, BigDecimal> direct = new HashMap<>();
    final Map<Allocator.ProductResource, BigDecimal> untagged = new HashMap<>();
    final Map<String, String> instanceTags = new HashMap<>();
    final Map<Allocator.ProductResource, BigDecimal> awaitingInstanceTag = new HashMap<>();
    final SharedCharges shared = new SharedCharges();
    final Accrual accrual = new Accrual();
    /** Rule 1 by AWS's split and the comparison of both forms (§9): the rows that wait for the split line items. */
    final AwsSplit awsSplit = new AwsSplit();

    void countLine(String invoiceId, BigDecimal amount) {
        total = total.add(amount);
        lineItems++;
        countInvoice(invoiceId);
    }

    void countInvoice(String invoiceId) {
        if (!invoiceId.isEmpty()) {
            invoiceIds.add(invoiceId);
        }
        if (allInvoicesFinal && !isFinalInvoiceId(invoiceId)) {
            allInvoicesFinal = false;
        }
    }

    void countRule(Allocator.Rule rule) {
        rowsByRule.merge(rule, 1L, Long::sum);
    }

    void add(String product, Target target, BigDecimal amount) {
        direct.merge(new Allocator.ProductTarget(product, target), amount, BigDecimal::add);
    }

    /** An invoice id of a final bill is all digits; {@code Estimated} or empty means estimated. */
    static boolean isFinalInvoiceId(String invoiceId) {
        if (invoiceId.isEmpty()) {
            return false;
        }
        for (int i = 0; i < invoiceId.length(); i++) {
            if (!Character.isDigit(invoiceId.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds what a later part of the same bill accumulated: sums add up, an instance's tag from the later
     * part wins (it comes later in file order), shared charges are kept one by one.
     */
    void absorb(AllocationLedger later) {
        total = total.add(later.total);
        lineItems += later.lineItems;
        invoiceIds.addAll(later.invoiceIds);
        allInvoicesFinal &= later.allInvoicesFinal;
        later.rowsByRule.forEach((rule, count) -> rowsByRule.merge(rule, count, Long::sum));
        later.direct.forEach((key, amount) -> direct.merge(key, amount, BigDecimal::add));
        later.untagged.forEach((key, amount) -> untagged.merge(key, amount, BigDecimal::add));
        instanceTags.putAll(later.instanceTags);
        later.awaitingInstanceTag.forEach((key, amount) -> awaitingInstanceTag.merge(key, amount, BigDecimal::add));
        shared.addAll(later.shared);
        accrual.absorb(later.accrual);
        awsSplit.absorb(later.awsSplit);
    }

    /**
     * Places the host rows waiting for the split line items (§9), then the parts waiting for an instance's tag,
     * spreads the shared charges, and returns the period's allocation.
     *
     * @param index the period's history (rule 1 of the waiting rows), or null when none wait
     * @param areas the service map (their services' areas)
     */
    Allocation finish(YearMonth period, PeriodIndex index, ProductAreaMap areas) {
        EcsSplitComparison ecsSplit = awsSplit.resolve(this, index, areas);
        awaitingInstanceTag.forEach((key, amount) -> {
            String tag = instanceTags.get(key.resource());
            add(key.product(), tag == null ? Target.UNALLOCATED_TARGET : Target.area(tag), amount);
        });
        awaitingInstanceTag.clear();

        Map<Allocator.ProductTarget, BigDecimal> amounts = new HashMap<>(direct);
        spreadSharedCharges(amounts);

        BigDecimal sum = amounts.values().stream().reduce(Money.ZERO, BigDecimal::add);
        if (sum.compareTo(total) != 0) {
            throw new IllegalStateException("allocation lost money: allocated " + sum + " of " + total);
        }
        return new Allocation(period, lineItems, total, new ArrayList<>(invoiceIds),
                lineItems > 0 && allInvoicesFinal, amounts, untagged, new EnumMap<>(rowsByRule), accrual, ecsSplit);
    }

    /**
     * §4: each shared charge of product P goes to the targets with a positive allocated cost of P;
     * when P has none (no cost, or only credits), to the targets with a positive allocated cost in
     * the period; when there are none either, to (unallocated). The base is the direct allocation
     * only: a shared charge never becomes the base of another. Charges of equal product and amount
     * split identically, so each such group is split once and multiplied by its count.
     */
    private void spreadSharedCharges(Map<Allocator.ProductTarget, BigDecimal> amounts) {
        if (shared.isEmpty()) {
            return;
        }
        Map<String, SortedMap<Target, BigDecimal>> byProduct = new HashMap<>();
        SortedMap<Target, BigDecimal> all = new TreeMap<>();
        direct.forEach((key, amount) -> {
            byProduct.computeIfAbsent(key.product(), p -> new TreeMap<>()).merge(key.target(), amount, BigDecimal::add);
            all.merge(key.target(), amount, BigDecimal::add);
        });
        SortedMap<Target, BigDecimal> allPositive = positive(all);
        for (String product : shared.products()) {
            SortedMap<Target, BigDecimal> base = byProduct.get(product);
            SortedMap<Target, BigDecimal> productPositive = base == null ? new TreeMap<>() : positive(base);
            SortedMap<Target, BigDecimal> weights = productPositive.isEmpty() ? allPositive : productPositive;
            shared.forEachGroup(product, (amount, count) -> {
                BigDecimal times = BigDecimal.valueOf(count);
                if (weights.isEmpty()) {
                    amounts.merge(new Allocator.ProductTarget(product, Target.UNALLOCATED_TARGET),
                            amount.multiply(times), BigDecimal::add);
                    return;
                }
                ExactSplit.split(amount, weights).forEach((target, part) -> amounts.merge(
                        new Allocator.ProductTarget(product, target), part.multiply(times), BigDecimal::add));
            });
        }
    }

    private static SortedMap<Target, BigDecimal> positive(SortedMap<Target, BigDecimal> base) {
        SortedMap<Target, BigDecimal> positive = new TreeMap<>();
        base.forEach((target, amount) -> {
            if (amount.signum() > 0) {
                positive.put(target, amount);
            }
        });
        return positive;
    }
}
