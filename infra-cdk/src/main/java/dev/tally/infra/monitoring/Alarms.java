package dev.tally.infra.monitoring;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MathExpressionProps;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

import java.util.Map;

/** How Tally's alarms are written: a description that says what happened, every evaluated period breaching. */
final class Alarms {
    private Alarms() {
    }

    /** An alarm that goes off when all {@code evaluationPeriods} periods breach. */
    static CreateAlarmOptions options(String description, double threshold, ComparisonOperator operator,
                                      int evaluationPeriods, TreatMissingData missingData) {
        return CreateAlarmOptions.builder()
                .alarmDescription("Tally: " + description)
                .threshold(threshold)
                .comparisonOperator(operator)
                .evaluationPeriods(evaluationPeriods)
                .datapointsToAlarm(evaluationPeriods)
                .treatMissingData(missingData)
                .build();
    }

    /**
     * An alarm on a state machine's executions that failed, timed out or were aborted: any in {@code period}.
     *
     * @param what the executions, for the label and the description ({@code a distributed archive pass execution})
     */
    static Alarm executionsNotSucceeded(Construct scope, String id, StateMachine machine, Duration period,
                                        String what) {
        MetricOptions per = MetricOptions.builder().period(period).build();
        return new MathExpression(MathExpressionProps.builder()
                .expression("failed + timedOut + aborted")
                .usingMetrics(Map.of("failed", machine.metricFailed(per), "timedOut", machine.metricTimedOut(per),
                        "aborted", machine.metricAborted(per)))
                .period(period)
                .label("executions that failed, timed out or were aborted")
                .build()).createAlarm(scope, id, options(what + " failed, timed out or was aborted (> 0 in "
                        + period.toMinutes() + " minutes); see the state machine's executions", 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING));
    }
}
