package dev.tally.functions.billing;

import dev.tally.delivery.DeliveryProcessor;
import dev.tally.spend.RunReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.YearMonth;
import java.util.List;

/**
 * After the runs of an invocation are written: the spend report of each month a run was written for, next to the
 * month's runs, and the month's spend alerts ({@link RunReports}). Both are made from the runs, so one that cannot be
 * written is logged and the run stands: failing the delivery would roll nothing up again (it is a duplicate then), and
 * the month's next run writes the report anew and tries the alerts a channel refused again.
 */
final class SpendReportStep {
    private static final Logger LOG = LoggerFactory.getLogger(SpendReportStep.class);

    private final RunReports reports;
    private final BillingMetrics metrics;

    SpendReportStep(RunReports reports, BillingMetrics metrics) {
        this.reports = reports;
        this.metrics = metrics;
    }

    /** Writes the reports of the fresh runs among the outcomes (a rollup's summary and its run record). */
    void after(List<DeliveryProcessor.Outcome> outcomes) {
        for (DeliveryProcessor.Outcome outcome : outcomes) {
            if (outcome.run() == null || outcome.summary() == null) {
                continue;
            }
            YearMonth period = YearMonth.parse(outcome.run().billingPeriod());
            try {
                RunReports.Written written = reports.after(period, outcome.summary().costBasis(),
                        problem -> LOG.warn("spend report of {}: {}", period, problem));
                LOG.info("spend report of {} written to {}", period, written.reportKey());
                written.alerts().ifPresent(alerts -> {
                    LOG.info("spend alerts of {}: {} sent, {} sent before, {} not delivered", period,
                            alerts.sent().size(), alerts.alreadySent().size(), alerts.failed().size());
                    metrics.alerts(alerts.sent().size(), alerts.failed().size());
                });
            } catch (IOException | RuntimeException e) {
                LOG.warn("spend report of {} not written (run {} stands): {}", period, outcome.run().runId(),
                        e.toString());
            }
        }
    }
}
