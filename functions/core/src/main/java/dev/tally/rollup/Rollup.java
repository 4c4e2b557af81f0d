package dev.tally.rollup;

import dev.tally.allocation.Accrual;
import dev.tally.allocation.Allocation;
import dev.tally.allocation.Allocator;
import dev.tally.allocation.EcsSplitComparison;
import dev.tally.allocation.Target;
import dev.tally.billing.BillReadReport;
import dev.tally.history.EventReadReport;
import dev.tally.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rollup run's output tables and summary (allocation contract §6), rows sorted by their key
 * columns (untagged resources by cost, descending).
 */
public record Rollup(
        Summary summary,
        List<AreaCost> productAreaCosts,
        List<ProductAreaCost> productAreaAwsProductCosts,
        List<ServiceCost> serviceCosts,
        List<UntaggedResource> untaggedResources,
        BillReadReport billReport,
        EventReadReport eventReport,
        Map<Allocator.Rule, Long> rowsByRule,
        Accrual accrual,
        Timings timings,
        EcsSplitComparison ecsSplit) {

    /** {@code ecs_split_comparison} rows (§9): empty when the bill has no split line items. */
    public List<EcsSplitRow> ecsSplitComparison() {
        if (ecsSplit == null) {
            return List.of();
        }
        String period = summary.billingPeriod();
        return ecsSplit.rows().stream().map(r -> new EcsSplitRow(period, r.cluster(), r.service(), r.productArea(),
                r.eventsCost(), r.awsCost(), r.difference())).toList();
    }

    /** Whether the bill had split line items, so the run writes {@code ecs_split_comparison} (§9). */
    public boolean hasSplitLineItems() {
        return ecsSplit != null && ecsSplit.hasSplitLineItems();
    }

    /** {@code ecs_split_comparison} row. */
    public record EcsSplitRow(String billingPeriod, String cluster, String service, String productArea,
                              BigDecimal eventsCost, BigDecimal awsCost, BigDecimal difference) {
    }

    /** Where a run's time went, in milliseconds. */
    public record Timings(long eventsMillis, long billMillis, long finishMillis) {
        public static final Timings NONE = new Timings(0, 0, 0);
    }

    /** {@code product_area_costs} row. */
    public record AreaCost(String billingPeriod, String productArea, BigDecimal cost) {
    }

    /** {@code product_area_aws_product_costs} row. */
    public record ProductAreaCost(String billingPeriod, String awsProduct, String productArea, BigDecimal cost) {
    }

    /** {@code service_costs} row. */
    public record ServiceCost(String billingPeriod, String cluster, String service, String productArea,
                              BigDecimal cost) {
    }

    /** {@code untagged_resources} row. */
    public record UntaggedResource(String billingPeriod, String awsProduct, String resourceId, BigDecimal cost) {
    }

    /** {@code summary.json}. */
    public record Summary(
            String billingPeriod,
            String format,
            boolean isFinal,
            List<String> invoiceIds,
            long lineItems,
            long skippedRows,
            long malformedRows,
            long otherPeriodRows,
            BigDecimal totalCost,
            BigDecimal allocatedCost,
            BigDecimal unallocatedCost,
            BigDecimal unmappedCost,
            BigDecimal coverage,
            String runId,
            String costBasis,
            String ecsSplit) {
    }

    /**
     * Shapes an allocation into the output tables.
     *
     * <p>{@code summary.json}'s {@code ecs_split} is the mode whenever the bill has split line items or the run split
     * by AWS's data (§9), else null (not written).
     *
     * @param declaredFinal whether the bill was declared final ({@code --final}); counts only for a bill with
     *                      no invoice id column, which cannot say itself (§1)
     */
    public static Rollup of(Allocation allocation, BillReadReport bill, EventReadReport events, String runId,
                            Timings timings, boolean declaredFinal) {
        String period = allocation.period().toString();
        Map<String, BigDecimal> byArea = new TreeMap<>();
        Map<List<String>, BigDecimal> byProductArea = new TreeMap<>(Rollup::compareKeys);
        Map<List<String>, BigDecimal> byService = new TreeMap<>(Rollup::compareKeys);
        allocation.amounts().forEach((key, amount) -> {
            Target target = key.target();
            byArea.merge(target.area(), amount, BigDecimal::add);
            byProductArea.merge(List.of(key.product(), target.area()), amount, BigDecimal::add);
            if (target.isService()) {
                byService.merge(List.of(target.cluster(), target.service(), target.area()), amount, BigDecimal::add);
            }
        });

        List<AreaCost> areas = new ArrayList<>();
        byArea.forEach((area, cost) -> areas.add(new AreaCost(period, area, cost)));
        List<ProductAreaCost> productAreas = new ArrayList<>();
        byProductArea.forEach((k, cost) -> productAreas.add(new ProductAreaCost(period, k.get(0), k.get(1), cost)));
        List<ServiceCost> services = new ArrayList<>();
        byService.forEach((k, cost) -> services.add(new ServiceCost(period, k.get(0), k.get(1), k.get(2), cost)));
        List<UntaggedResource> untagged = new ArrayList<>();
        allocation.untagged().forEach((key, cost) ->
                untagged.add(new UntaggedResource(period, key.product(), key.resource(), cost)));
        untagged.sort(Comparator.comparing(UntaggedResource::cost).reversed()
                .thenComparing(UntaggedResource::awsProduct)
                .thenComparing(UntaggedResource::resourceId));

        BigDecimal unallocated = byArea.getOrDefault(Target.UNALLOCATED, Money.ZERO);
        BigDecimal unmapped = byArea.getOrDefault(Target.UNMAPPED, Money.ZERO);
        BigDecimal total = allocation.total();
        BigDecimal allocated = total.subtract(unallocated).subtract(unmapped);
        BigDecimal coverage = total.signum() == 0
                ? BigDecimal.ZERO.setScale(4)
                : allocated.divide(total, 4, RoundingMode.HALF_EVEN);
        boolean isFinal = bill.statesInvoiceIds() ? allocation.isFinal() : declaredFinal;
        Summary summary = new Summary(period, bill.format().id(), isFinal, allocation.invoiceIds(),
                allocation.lineItems(), bill.skippedRows(), bill.malformedRows(), bill.otherPeriodRows(), total,
                allocated, unallocated, unmapped, coverage, runId, bill.costBasis().id(),
                allocation.ecsSplit() == null ? null : allocation.ecsSplit().mode().id());
        return new Rollup(summary, areas, productAreas, services, untagged, bill, events, allocation.rowsByRule(),
                allocation.accrual(), timings, allocation.ecsSplit());
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
