package dev.tally.infra.monitoring;

import dev.tally.infra.config.MonitoringSection;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The billing alarms with thresholds other than the example's (no app to synthesize: one stack of their own). */
class BillingAlarmsTest {
    @Test
    void shouldTakeTheCoverageThresholdInBasisPoints_andHourlyPeriodsForHoursThatAreNoMultipleOfSix() {
        Template template = synthesize(new MonitoringSection(97, 25));

        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "BillCoverageBasisPoints", "Threshold", 9700, "ComparisonOperator", "LessThanThreshold"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "BillsRolledUp", "Period", 3600, "EvaluationPeriods", 25, "DatapointsToAlarm", 25,
                "TreatMissingData", "breaching"));
    }

    @Test
    void shouldUseSixHourPeriodsForAMultipleOfSix() {
        Stack stack = new Stack(new App(), "Alarms");
        AlarmTopic topic = new AlarmTopic(stack, "Alarms", "ops@example.com");
        new BillingAlarms(stack, "Billing", new MonitoringSection(90, 48), Optional.empty(), topic);

        Template.fromStack(stack).hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "BillsRolledUp", "Period", 21600, "EvaluationPeriods", 8,
                "AlarmActions", List.of(stack.resolve(topic.topic().getTopicArn()))));
    }

    private static Template synthesize(MonitoringSection monitoring) {
        Stack stack = new Stack(new App(), "Alarms");
        new BillingAlarms(stack, "Billing", monitoring, Optional.empty(), new AlarmTopic(stack, "Alarms", "ops@example.com"));
        return Template.fromStack(stack);
    }
}
