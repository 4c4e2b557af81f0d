package dev.tally.infra.monitoring;

import dev.tally.functions.billing.BillingMetrics;
import dev.tally.infra.config.MonitoringSection;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rollups' alarms, on the billing function's own metrics ({@link BillingMetrics}):
 * <ul>
 *   <li>coverage drop: a rollup allocated less than {@code monitoring.minCoveragePercent} of its bill's cost to a
 *       product area ({@value BillingMetrics#COVERAGE_BASIS_POINTS}, the lowest in an hour, below the threshold in
 *       basis points); it stays on until a rollup covers enough again (no rollup is no news);</li>
 *   <li>missing bill: no delivery rolled up ({@value BillingMetrics#ROLLED_UP}, which every invocation publishes, 0
 *       when nothing was rolled up) in {@code monitoring.billRunWithinHours}; no data at all (the function was not
 *       even invoked) counts as none;</li>
 *   <li>with the distributed rollup: an execution of its state machine failed, timed out or was aborted (> 0 in
 *       5 minutes): its delivery is not rolled up until the execution is redriven or a later delivery comes.</li>
 * </ul>
 */
final class BillingAlarms extends Construct {
    static final Duration COVERAGE_PERIOD = Duration.hours(1);
    /** The missing-bill alarm's period when the hours are a multiple of it (one hour otherwise). */
    static final int BILL_RUN_PERIOD_HOURS = 6;

    static final Duration EXECUTIONS_PERIOD = Duration.minutes(5);

    private final Alarm coverage;
    private final Alarm missingBill;
    private final Optional<Alarm> distributedRollupFailed;

    BillingAlarms(Construct scope, String id, MonitoringSection monitoring, Optional<StateMachine> distributedRollup,
                  AlarmTopic topic) {
        super(scope, id);
        coverage = TallyMetrics.of(BillingMetrics.SERVICE, BillingMetrics.COVERAGE_BASIS_POINTS, "Minimum",
                COVERAGE_PERIOD).createAlarm(this, "CoverageDrop", Alarms.options(
                "a rollup's coverage fell below " + monitoring.minCoveragePercent() + "% of its bill's cost ("
                        + BillingMetrics.COVERAGE_BASIS_POINTS + " < " + coverageThresholdBasisPoints(monitoring) + ")",
                coverageThresholdBasisPoints(monitoring), ComparisonOperator.LESS_THAN_THRESHOLD, 1,
                TreatMissingData.IGNORE));
        int periodHours = billRunPeriodHours(monitoring);
        missingBill = TallyMetrics.of(BillingMetrics.SERVICE, BillingMetrics.ROLLED_UP, "Sum",
                Duration.hours(periodHours)).createAlarm(this, "MissingBill", Alarms.options(
                "no bill rolled up in " + monitoring.billRunWithinHours() + " hours (" + BillingMetrics.ROLLED_UP
                        + " < 1 in each of " + monitoring.billRunWithinHours() / periodHours + " periods of "
                        + periodHours + " h); is the bill still delivered, and do its notifications reach the function?",
                1, ComparisonOperator.LESS_THAN_THRESHOLD, monitoring.billRunWithinHours() / periodHours,
                TreatMissingData.BREACHING));
        distributedRollupFailed = distributedRollup.map(machine -> Alarms.executionsNotSucceeded(this,
                "DistributedRollupFailed", machine, EXECUTIONS_PERIOD, "a distributed rollup execution"));
        for (Alarm alarm : alarms()) {
            topic.notify(alarm);
        }
    }

    /** {@code minCoveragePercent} in the metric's unit: 90% is 9000 basis points. */
    static int coverageThresholdBasisPoints(MonitoringSection monitoring) {
        return monitoring.minCoveragePercent() * 100;
    }

    static int billRunPeriodHours(MonitoringSection monitoring) {
        return monitoring.billRunWithinHours() % BILL_RUN_PERIOD_HOURS == 0 ? BILL_RUN_PERIOD_HOURS : 1;
    }

    List<Alarm> alarms() {
        List<Alarm> all = new ArrayList<>(List.of(coverage, missingBill));
        distributedRollupFailed.ifPresent(all::add);
        return List.copyOf(all);
    }
}
