package dev.tally.infra.monitoring;

import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;

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
}
