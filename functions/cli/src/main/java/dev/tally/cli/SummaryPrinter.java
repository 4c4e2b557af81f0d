package dev.tally.cli;

import dev.tally.billing.CostBasis;
import dev.tally.money.Money;
import dev.tally.rollup.Rollup;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** The short human summary {@code tally rollup} prints: totals, coverage, and the top rows of each table. */
final class SummaryPrinter {
    private static final int TOP = 10;
    private static final int TOP_UNTAGGED = 5;
    private static final int LISTED_PERIODS = 4;

    private SummaryPrinter() {
    }

    static void print(Rollup rollup, PrintWriter out) {
        Rollup.Summary s = rollup.summary();
        out.printf("Rollup %s  (%s, %s%s)%n", s.billingPeriod(), s.format(), s.isFinal() ? "final" : "estimated",
                s.invoiceIds().isEmpty() ? "" : ", invoice " + String.join(" ", s.invoiceIds()));
        out.printf("  %,d line items, %,d skipped rows, %,d malformed rows%n", s.lineItems(), s.skippedRows(),
                s.malformedRows());
        otherPeriods(rollup, out);
        var rounding = rollup.billReport().rounding();
        if (rounding.amounts() > 0) {
            out.printf("  %,d amounts had more than 10 decimal places: rounded half-even (difference %s)%n",
                    rounding.amounts(), rounding.difference().toPlainString());
        }
        var providers = rollup.billReport().providerTotals();
        if (providers.size() > 1) {
            out.printf("  by provider: %s%n", String.join(", ", providers.entrySet().stream()
                    .map(e -> (e.getKey().isEmpty() ? "(none)" : e.getKey()) + " " + money(e.getValue())).toList()));
        }
        var events = rollup.eventReport();
        if (events.files() > 0) {
            out.printf("  %,d events: %,d used, %,d ignored, %,d of other types, %,d invalid%n", events.events(),
                    events.usedTotal(), events.ignored(), events.unknownTotal(), events.invalid());
        }
        var t = rollup.timings();
        if (t.billMillis() > 0) {
            out.printf("  read in %.1f s: events %.1f s, bill %.1f s (%,d rows/s), shared charges and tables %.1f s%n",
                    (t.eventsMillis() + t.billMillis() + t.finishMillis()) / 1000.0, t.eventsMillis() / 1000.0,
                    t.billMillis() / 1000.0, (s.lineItems() + s.skippedRows() + s.malformedRows()) * 1000
                            / Math.max(1, t.billMillis()), t.finishMillis() / 1000.0);
        }
        out.println();
        BigDecimal total = s.totalCost();
        if (rollup.billReport().costBasis() == CostBasis.AMORTIZED) {
            out.printf("  %-14s %16s  (amortized; the invoice charged %s for these line items)%n", "Total",
                    money(total), money(rollup.billReport().invoicedCost()));
        } else {
            out.printf("  %-14s %16s%n", "Total", money(total));
        }
        out.printf("  %-14s %16s  coverage %s%n", "Allocated", money(s.allocatedCost()), percent(s.coverage()));
        out.printf("  %-14s %16s  %s%n", "Unmapped", money(s.unmappedCost()), share(s.unmappedCost(), total));
        out.printf("  %-14s %16s  %s%n", "Unallocated", money(s.unallocatedCost()), share(s.unallocatedCost(), total));

        table(out, "Product areas", rollup.productAreaCosts(), TOP, Rollup.AreaCost::cost,
                Rollup.AreaCost::productArea, total);
        table(out, "ECS services", rollup.serviceCosts(), TOP, Rollup.ServiceCost::cost,
                r -> r.cluster() + "/" + r.service() + "  [" + r.productArea() + "]", total);
        table(out, "Untagged resources", rollup.untaggedResources(), TOP_UNTAGGED, Rollup.UntaggedResource::cost,
                r -> r.resourceId() + "  (" + r.awsProduct() + ")", total);
        ecsSplit(rollup, out);
        out.println();
    }

    /**
     * Where CPU-seconds and AWS's split disagree most (§9): the services with the largest difference on their host
     * instances, and which form the run allocated by.
     */
    private static void ecsSplit(Rollup rollup, PrintWriter out) {
        if (!rollup.hasSplitLineItems()) {
            return;
        }
        var split = rollup.ecsSplit();
        List<dev.tally.allocation.EcsSplitComparison.Row> rows = split.byDisagreement();
        out.println();
        out.printf("  ECS host instances: allocated by %s; %,d split line items; largest disagreements "
                        + "(top %d of %,d, ecs_split_comparison.csv)%n",
                split.mode() == dev.tally.billing.EcsSplit.AWS ? "AWS's split" : "CPU-seconds",
                split.splitLineItems(), Math.min(TOP_UNTAGGED, rows.size()), rows.size());
        out.printf("    %-44s %16s %16s %16s%n", "service  [area]", "CPU-seconds", "AWS split", "difference");
        rows.stream().limit(TOP_UNTAGGED).forEach(r -> out.printf("    %-44s %16s %16s %16s%n",
                truncate(r.cluster() + "/" + r.service() + "  [" + r.productArea() + "]", 44), money(r.eventsCost()),
                money(r.awsCost()), money(r.difference())));
    }

    private static String truncate(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    /** One line a person notices: rows of other periods were left out, and how to roll one of them up. */
    private static void otherPeriods(Rollup rollup, PrintWriter out) {
        var others = rollup.billReport().otherPeriods();
        if (others.isEmpty()) {
            return;
        }
        long rows = rollup.summary().otherPeriodRows();
        String list = String.join(", ", others.entrySet().stream().limit(LISTED_PERIODS)
                .map(e -> String.format("%s: %,d %s, %s", e.getKey(), e.getValue().rows(),
                        e.getValue().rows() == 1 ? "row" : "rows", money(e.getValue().cost())))
                .toList());
        if (others.size() > LISTED_PERIODS) {
            list += String.format(" and %d more periods, see report.json", others.size() - LISTED_PERIODS);
        }
        out.printf("  ! %,d cost %s of other billing periods left out (%s); roll one up with --period YYYY-MM%n",
                rows, rows == 1 ? "row" : "rows", list);
    }

    private static <T> void table(PrintWriter out, String title, List<T> rows, int limit,
                                  Function<T, BigDecimal> cost, Function<T, String> label, BigDecimal total) {
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        out.printf("  %s (top %d of %,d)%n", title, Math.min(limit, rows.size()), rows.size());
        rows.stream()
                .sorted(Comparator.comparing(cost).reversed())
                .limit(limit)
                .forEach(r -> out.printf("    %16s  %6s  %s%n", money(cost.apply(r)), share(cost.apply(r), total),
                        label.apply(r)));
    }

    static String money(BigDecimal amount) {
        return String.format("%,.2f", amount.setScale(2, RoundingMode.HALF_EVEN));
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    private static String share(BigDecimal part, BigDecimal total) {
        if (total.signum() == 0) {
            return "";
        }
        return percent(part.divide(total, Money.SCALE, RoundingMode.HALF_EVEN));
    }
}
