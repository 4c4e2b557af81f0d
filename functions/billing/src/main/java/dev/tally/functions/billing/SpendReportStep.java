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
 * month's runs ({@link RunReports}). The report is made from the runs, so a report that cannot be written is logged
 * and the run stands: failing the delivery would roll nothing up again (it is a duplicate then), and the month's
 * next run writes the report anew.
 */
final class SpendReportStep {
    private static final Logger LOG = LoggerFactory.getLogger(SpendReportStep.class);

    private final RunReports reports;

    SpendReportStep(RunReports reports) {
        this.reports = reports;
    }

    /** Writes the reports of the fresh runs among the outcomes (a rollup's summary and its run record). */
    void after(List<DeliveryProcessor.Outcome> outcomes) {
        for (DeliveryProcessor.Outcome outcome : outcomes) {
            if (outcome.run() == null || outcome.summary() == null) {
                continue;
            }
            YearMonth period = YearMonth.parse(outcome.run().billingPeriod());
            try {
                String key = reports.write(period, outcome.summary().costBasis(),
                        problem -> LOG.warn("spend report of {}: {}", period, problem));
                LOG.info("spend report of {} written to {}", period, key);
            } catch (IOException | RuntimeException e) {
                LOG.warn("spend report of {} not written (run {} stands): {}", period, outcome.run().runId(),
                        e.toString());
            }
        }
    }
}
