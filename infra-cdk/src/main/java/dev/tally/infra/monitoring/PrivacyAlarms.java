package dev.tally.infra.monitoring;

import dev.tally.functions.privacy.PrivacySweepHandler;
import dev.tally.functions.privacy.worker.WorkHandler;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

import java.util.List;
import java.util.Optional;

/**
 * The privacy requests' alarms, on the functions' own metrics:
 * <ul>
 *   <li>overdue requests: the sweep found an open request past its due date
 *       ({@value PrivacySweepHandler#OVERDUE_REQUESTS} > 0, the most in one sweep interval); it stays on until a
 *       sweep finds none;</li>
 *   <li>receipts dead-lettered: a request's work in a target failed for good and was parked
 *       ({@value WorkHandler#RECEIPTS_DEAD_LETTERED} > 0 in 5 minutes);</li>
 *   <li>with the distributed archive pass: an execution of its state machine failed, timed out or was aborted
 *       (> 0 in 5 minutes); the work function starts the pass again, but a pass that keeps failing is for a person
 *       to look at before the receipt fails.</li>
 * </ul>
 */
final class PrivacyAlarms extends Construct {
    static final Duration RECEIPTS_PERIOD = Duration.minutes(5);

    private final Alarm overdue;
    private final Alarm deadLettered;
    private final Optional<Alarm> archivePassFailed;

    /** @param sweepEvery how often the sweep runs (and publishes): the overdue alarm's period */
    PrivacyAlarms(Construct scope, String id, Duration sweepEvery, Optional<StateMachine> archivePass,
                  AlarmTopic topic) {
        super(scope, id);
        overdue = TallyMetrics.of(PrivacySweepHandler.SERVICE, PrivacySweepHandler.OVERDUE_REQUESTS, "Maximum",
                sweepEvery).createAlarm(this, "OverdueRequests", Alarms.options(
                "privacy requests are overdue (" + PrivacySweepHandler.OVERDUE_REQUESTS + " > 0); each must be "
                        + "finished by its due date", 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1,
                TreatMissingData.IGNORE));
        deadLettered = TallyMetrics.of(WorkHandler.SERVICE, WorkHandler.RECEIPTS_DEAD_LETTERED, "Sum",
                RECEIPTS_PERIOD).createAlarm(this, "ReceiptsDeadLettered", Alarms.options(
                "a privacy request's work in a target failed for good (" + WorkHandler.RECEIPTS_DEAD_LETTERED
                        + " > 0 in 5 minutes); see the work dead-letter queue", 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING));
        archivePassFailed = archivePass.map(machine -> Alarms.executionsNotSucceeded(this, "ArchivePassFailed",
                machine, RECEIPTS_PERIOD, "a distributed archive pass execution"));
        for (Alarm alarm : alarms()) {
            topic.notify(alarm);
        }
    }

    List<Alarm> alarms() {
        List<Alarm> all = new java.util.ArrayList<>(List.of(overdue, deadLettered));
        archivePassFailed.ifPresent(all::add);
        return List.copyOf(all);
    }
}
