package dev.tally.allocation;

import dev.tally.billing.EcsSplit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How rule 1 was applied to a bill's ECS host instances, and where its two forms disagree (allocation contract §9):
 * for each service, what CPU-seconds give it of the instances' own cost rows and what AWS's split gives it (0 where
 * that form does not apply). Volumes and shared charges are not included.
 *
 * @param mode           the form the run allocated by
 * @param splitLineItems the bill's split line items; 0 when it has none (then there is no comparison to write)
 * @param rows           sorted by cluster, service, product area
 */
public record EcsSplitComparison(EcsSplit mode, long splitLineItems, List<Row> rows) {
    private static final Comparator<Row> ORDER = Comparator.comparing(Row::cluster).thenComparing(Row::service)
            .thenComparing(Row::productArea);

    public EcsSplitComparison {
        rows = List.copyOf(rows);
    }

    static EcsSplitComparison of(EcsSplit mode, long splitLineItems, List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(ORDER);
        return new EcsSplitComparison(mode, splitLineItems, sorted);
    }

    /** Whether the bill had split line items (and so a comparison table). */
    public boolean hasSplitLineItems() {
        return splitLineItems > 0;
    }

    /** The rows by how far the two forms disagree, largest first (ties in key order). */
    public List<Row> byDisagreement() {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((Row r) -> r.difference().abs()).reversed().thenComparing(ORDER));
        return sorted;
    }

    /** One service's cost of its host instances by each form of rule 1. */
    public record Row(String cluster, String service, String productArea, BigDecimal eventsCost, BigDecimal awsCost) {
        /** {@code aws_cost − events_cost}. */
        public BigDecimal difference() {
            return awsCost.subtract(eventsCost);
        }
    }
}
