package dev.tally.spend;

import dev.tally.delivery.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * The spend report written next to a month's runs in the output bucket, {@code reports/billing_period=YYYY-MM/
 * index.html} (under the outputs' prefix): the months of the run's cost basis up to and including the run's, as
 * {@link MonthRuns} finds them, rendered by {@link SpendReportHtml}. A later run of the month rewrites it; so does a
 * final bill. A month's report never shows later months, so an old month's report stays that month's.
 */
public final class RunReports {
    private static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final Clock clock;

    /** @param prefix the outputs' key prefix ({@code ""}, or e.g. {@code tally/}), as the billing function has it */
    public RunReports(ObjectStore store, String bucket, String prefix, Clock clock) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.clock = clock;
    }

    /** Where a month's report goes. */
    public String key(YearMonth period) {
        return prefix + "reports/billing_period=" + period + "/index.html";
    }

    /**
     * Writes the report of {@code period}.
     *
     * @param costBasis the run's basis; a layout whose runs are all of one basis (as {@link MonthRuns} reads it) is
     *                  read in that one
     * @param problems told of each run that cannot be read (it is left out)
     * @return the report's key
     * @throws IOException if the runs cannot be listed or the report not written
     * @throws IllegalStateException if no run of the period can be read
     */
    public String write(YearMonth period, String costBasis, Consumer<String> problems) throws IOException {
        MonthRuns runs = new MonthRuns(store, bucket, prefix);
        // a layout without cost_basis= partitions reads as one basis (MonthRuns.DEFAULT_BASIS), whatever the runs say
        String basis = costBasis;
        SortedSet<String> bases = runs.bases();
        if (!bases.contains(basis) && bases.size() == 1) {
            basis = bases.first();
        }
        List<MonthRollup> months = runs.read(basis, problems).stream()
                .filter(m -> !m.period().isAfter(period)).toList();
        if (months.isEmpty() || !months.get(months.size() - 1).period().equals(period)) {
            throw new IllegalStateException("no readable run of " + period + " (" + basis + ") in s3://" + bucket
                    + "/" + prefix + "runs/");
        }
        String html = SpendReportHtml.render(SpendReport.of(SpendHistory.of(months), BusinessMetrics.none(),
                clock.instant()));
        String key = key(period);
        store.put(bucket, key, html.getBytes(StandardCharsets.UTF_8), CONTENT_TYPE);
        return key;
    }
}
