package dev.tally.functions.billing;

import dev.tally.billing.CostBasis;
import dev.tally.delivery.DeliveryProcessor;
import dev.tally.runtime.CountMetrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The billing function's counts of one invocation, as CloudWatch metrics: records by outcome (a delivery's
 * record per configured cost basis), the rows of what was rolled up, its total cost (in whole cents, a metric is no
 * ledger) and coverage (in basis points), the bill's bytes read from S3, and the invocation's duration. With two
 * bases the rows, total and coverage are of one basis only — unblended where the invocation rolled an unblended run
 * up, else amortized — so a delivery's rows are not counted twice and the total stays the invoice's where it can.
 * The names are public for the alarms and the dashboard of the CDK app.
 */
public final class BillingMetrics {
    /** The {@code Service} dimension of the billing function's metrics. */
    public static final String SERVICE = "billing-rollup";
    public static final String ROLLED_UP = "BillsRolledUp";
    /** Deliveries handed to a distributed rollup; its merge publishes {@link #ROLLED_UP} when done. */
    public static final String DISTRIBUTED = "BillsDistributed";
    public static final String IGNORED = "BillsIgnored";
    public static final String DUPLICATE = "BillsDuplicate";
    public static final String SUPERSEDED = "BillsSuperseded";
    public static final String FAILED = "BillsFailed";
    public static final String LINE_ITEMS = "BillLineItems";
    public static final String MALFORMED_ROWS = "BillMalformedRows";
    public static final String SKIPPED_ROWS = "BillSkippedRows";
    public static final String TOTAL_COST_CENTS = "BillTotalCostCents";
    public static final String COVERAGE_BASIS_POINTS = "BillCoverageBasisPoints";
    public static final String DURATION_MILLIS = "BillingDurationMillis";
    public static final String BYTES_READ = "BillBytesRead";
    /** Spend alerts sent after a run, and those a channel refused (tried again on the next run). */
    public static final String ALERTS_SENT = "SpendAlertsSent";
    public static final String ALERTS_UNDELIVERED = "SpendAlertsUndelivered";

    private final CountMetrics sink;

    BillingMetrics(CountMetrics sink) {
        this.sink = sink;
    }

    /** The spend alerts of a month after its run. */
    void alerts(long sent, long undelivered) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(ALERTS_SENT, sent);
        counts.put(ALERTS_UNDELIVERED, undelivered);
        sink.publish(counts);
    }

    void publish(List<DeliveryProcessor.Outcome> outcomes, long durationMillis) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeliveryProcessor.Status status : DeliveryProcessor.Status.values()) {
            counts.put(name(status), 0L);
        }
        long lineItems = 0;
        long malformed = 0;
        long skipped = 0;
        BigDecimal total = BigDecimal.ZERO;
        long coverage = -1;
        long bytes = 0;
        Optional<CostBasis> measured = outcomes.stream().filter(o -> o.summary() != null)
                .map(o -> o.costBasis().orElse(CostBasis.UNBLENDED)).min(Comparator.naturalOrder());
        for (DeliveryProcessor.Outcome o : outcomes) {
            counts.merge(name(o.status()), 1L, Long::sum);
            bytes += o.bytesRead();
            if (o.summary() != null && measured.equals(Optional.of(o.costBasis().orElse(CostBasis.UNBLENDED)))) {
                lineItems += o.summary().lineItems();
                malformed += o.summary().malformedRows();
                skipped += o.summary().skippedRows();
                total = total.add(o.summary().totalCost());
                coverage = o.summary().coverage().movePointRight(4).setScale(0, RoundingMode.HALF_EVEN).longValue();
            }
        }
        counts.put(LINE_ITEMS, lineItems);
        counts.put(MALFORMED_ROWS, malformed);
        counts.put(SKIPPED_ROWS, skipped);
        counts.put(TOTAL_COST_CENTS, total.movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValue());
        if (coverage >= 0) {
            counts.put(COVERAGE_BASIS_POINTS, coverage);
        }
        counts.put(BYTES_READ, bytes);
        counts.put(DURATION_MILLIS, durationMillis);
        sink.publish(counts);
    }

    private static String name(DeliveryProcessor.Status status) {
        return switch (status) {
            case ROLLED_UP -> ROLLED_UP;
            case DISTRIBUTED -> DISTRIBUTED;
            case IGNORED -> IGNORED;
            case DUPLICATE -> DUPLICATE;
            case SUPERSEDED -> SUPERSEDED;
            case FAILED -> FAILED;
        };
    }
}
