package dev.tally.spend;

import dev.tally.allocation.Accrual;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One month as the billing function left it: the finalized run of a closed month, or the latest run of an open one,
 * read back from its tables, summary and report.
 *
 * @param isFinal   whether the bill was final (the month is closed)
 * @param areas     {@code product_area_costs}
 * @param services  {@code service_costs}: cost per service; {@link #serviceAreas} says which area each went to
 * @param products  {@code product_area_aws_product_costs}, keyed by {@link Subject#productInArea}
 * @param untagged  {@code untagged_resources}, the most expensive first
 * @param accrual   how the cost accrues (report.json's {@code accrual}); empty for runs written before it was kept
 */
public record MonthRollup(YearMonth period, String runId, String costBasis, boolean isFinal, Instant finishedAt,
                          Totals totals, SortedMap<Subject, BigDecimal> areas, SortedMap<Subject, BigDecimal> services,
                          SortedMap<Subject, String> serviceAreas, SortedMap<Subject, BigDecimal> products,
                          List<Untagged> untagged, Optional<MonthAccrual> accrual) {

    /** The summary's figures. */
    public record Totals(BigDecimal total, BigDecimal allocated, BigDecimal unallocated, BigDecimal unmapped,
                         BigDecimal coverage) {
    }

    /** An {@code untagged_resources} row: what to tag next. */
    public record Untagged(String awsProduct, String resourceId, BigDecimal cost) {
    }

    /** {@link Accrual} as the report keeps it. */
    public record MonthAccrual(Optional<Instant> usageThrough, SortedMap<String, Accrual.Product> products) {
    }

    /** The month's costs of one kind of subject. */
    public SortedMap<Subject, BigDecimal> costs(Subject.Kind kind) {
        return switch (kind) {
            case AREA -> areas;
            case SERVICE -> services;
            case PRODUCT_AREA -> products;
            case RESOURCE -> untaggedCosts();
        };
    }

    private SortedMap<Subject, BigDecimal> untaggedCosts() {
        SortedMap<Subject, BigDecimal> costs = new java.util.TreeMap<>();
        untagged.forEach(u -> costs.merge(Subject.untaggedResource(u.awsProduct(), u.resourceId()), u.cost(),
                BigDecimal::add));
        return costs;
    }
}
