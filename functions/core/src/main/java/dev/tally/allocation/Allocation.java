package dev.tally.allocation;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * A period's allocation before it is shaped into tables: every cent of the bill's cost line items
 * placed on a (product, target), plus the resources rule 6 left unallocated.
 *
 * @param period      billing period, null if the bill had no cost line items
 * @param lineItems   cost line items allocated
 * @param total       exact sum of the cost line items
 * @param invoiceIds  distinct non-empty invoice ids of the cost rows, sorted
 * @param isFinal     true when every cost row's invoice id is all digits
 * @param amounts     allocated money per (product, target); sums to {@code total} exactly
 * @param untagged    rule-6 money per (product, resource)
 * @param rowsByRule  how many line items each rule placed
 * @param accrual     how the cost accrues over the period, per product (for a forecast of an open month)
 * @param ecsSplit    how rule 1 split the ECS host instances and where its two forms disagree (§9); null when the
 *                    bill has no split line items and the run split by events
 */
public record Allocation(
        YearMonth period,
        long lineItems,
        BigDecimal total,
        List<String> invoiceIds,
        boolean isFinal,
        Map<Allocator.ProductTarget, BigDecimal> amounts,
        Map<Allocator.ProductResource, BigDecimal> untagged,
        Map<Allocator.Rule, Long> rowsByRule,
        Accrual accrual,
        EcsSplitComparison ecsSplit) {
}
