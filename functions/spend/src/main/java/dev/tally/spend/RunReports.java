package dev.tally.spend;

import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RollupOutputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What follows a month's run in the output bucket: its spend report, and the alerts of its move against the month
 * before. The months of the run's cost basis up to and including the run's are read once ({@link MonthRuns}):
 * <ul>
 *   <li>the report ({@link SpendReportHtml}) goes to {@code reports/billing_period=YYYY-MM/index.html} for the
 *       primary basis (the first configured) and to {@code reports/billing_period=YYYY-MM/cost_basis=<basis>/index.html}
 *       for another; a later run of the month rewrites it, and a month's report never shows later months, so an old
 *       month's report stays that month's;</li>
 *   <li>with alert rules, the month's alerts ({@link Alerts}) on the primary basis are sent once each
 *       ({@link AlertDispatch}, {@link AlertLedger} beside the runs).</li>
 * </ul>
 */
public final class RunReports {
    private static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final String primaryBasis;
    private final Optional<AlertRules> rules;
    private final List<AlertSink> sinks;
    private final Optional<String> metricsKey;
    private final Clock clock;

    /**
     * @param prefix       the outputs' key prefix ({@code ""}, or e.g. {@code tally/}), as the billing function has it
     * @param primaryBasis the basis whose report is at the month's plain address and whose moves alert
     * @param rules        when to alert; empty for no alerts
     * @param sinks        where alerts go
     * @param metricsKey   the key, in the bucket, of a business-metrics CSV ({@link BusinessMetrics}) for the report's
     *                     unit costs; read at every run, so a file updated monthly is picked up
     */
    public RunReports(ObjectStore store, String bucket, String prefix, String primaryBasis,
                      Optional<AlertRules> rules, List<AlertSink> sinks, Optional<String> metricsKey, Clock clock) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = RollupOutputs.keyPrefix(prefix);
        this.primaryBasis = primaryBasis;
        this.rules = rules;
        this.sinks = List.copyOf(sinks);
        this.metricsKey = metricsKey;
        this.clock = clock;
    }

    /** Reports only, of the default basis. */
    public RunReports(ObjectStore store, String bucket, String prefix, Clock clock) {
        this(store, bucket, prefix, MonthRuns.DEFAULT_BASIS, Optional.empty(), List.of(), Optional.empty(), clock);
    }

    /** Where a month's report of a basis goes. */
    public String key(YearMonth period, String basis) {
        String base = prefix + "reports/billing_period=" + period + "/";
        return basis.equals(primaryBasis) ? base + "index.html" : base + "cost_basis=" + basis + "/index.html";
    }

    /** The business metrics, if configured; one that cannot be read is a problem, and the report has no unit costs. */
    private BusinessMetrics metrics(Consumer<String> problems) {
        if (metricsKey.isEmpty()) {
            return BusinessMetrics.none();
        }
        String uri = "s3://" + bucket + "/" + metricsKey.get();
        try (java.io.Reader csv = new java.io.InputStreamReader(store.get(bucket, metricsKey.get(), "", ""),
                StandardCharsets.UTF_8)) {
            return BusinessMetrics.read(uri, csv);
        } catch (IOException | IllegalArgumentException e) {
            problems.accept("business metrics not read, no unit costs: " + e.getMessage());
            return BusinessMetrics.none();
        }
    }

    /**
     * @param reportKey where the report was written
     * @param alerts    what became of the alerts; empty when none were evaluated (no rules, another basis)
     */
    public record Written(String reportKey, Optional<AlertDispatch.Outcome> alerts) {
    }

    /**
     * Writes the report of {@code period} and sends its alerts.
     *
     * @param costBasis the run's basis
     * @param problems  told of each run that cannot be read (it is left out)
     * @throws IOException if the runs cannot be listed, or the report or the ledger not written
     * @throws IllegalStateException if no run of the period can be read
     */
    public Written after(YearMonth period, String costBasis, Consumer<String> problems) throws IOException {
        List<MonthRollup> months = new MonthRuns(store, bucket, prefix).read(costBasis, problems).stream()
                .filter(m -> !m.period().isAfter(period)).toList();
        if (months.isEmpty() || !months.get(months.size() - 1).period().equals(period)) {
            throw new IllegalStateException("no readable run of " + period + " (" + costBasis + ") in s3://" + bucket
                    + "/" + prefix + "runs/");
        }
        SpendHistory history = SpendHistory.of(months);
        String html = SpendReportHtml.render(SpendReport.of(history, metrics(problems), clock.instant()));
        String key = key(period, costBasis);
        store.put(bucket, key, html.getBytes(StandardCharsets.UTF_8), CONTENT_TYPE);
        Optional<AlertDispatch.Outcome> alerts = Optional.empty();
        if (rules.isPresent() && costBasis.equals(primaryBasis)) {
            alerts = Optional.of(AlertDispatch.dispatch(Alerts.evaluate(history, rules.get()),
                    new AlertLedger(store, bucket, prefix, clock), sinks));
        }
        return new Written(key, alerts);
    }
}
