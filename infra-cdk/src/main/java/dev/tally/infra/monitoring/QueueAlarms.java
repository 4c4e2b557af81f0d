package dev.tally.infra.monitoring;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * A dead-letter queue's alarm: any message in it (ApproximateNumberOfMessagesVisible > 0, the most in
 * {@link #PERIOD}). Something failed for good and waits to be looked at and redriven; the alarm stays on until the
 * queue is empty (SQS reports no metrics for an empty, idle queue: no data is no problem).
 */
final class QueueAlarms extends Construct {
    static final Duration PERIOD = Duration.minutes(5);

    private final Alarm visible;

    QueueAlarms(Construct scope, String id, IQueue deadLetters, String name, AlarmTopic topic) {
        super(scope, id);
        visible = depth(deadLetters, PERIOD).createAlarm(this, "MessagesVisible", Alarms.options(
                name + ": messages in the dead-letter queue (ApproximateNumberOfMessagesVisible > 0)", 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING));
        topic.notify(visible);
    }

    /** The queue's depth: its visible messages, the most in each {@code period}. */
    static Metric depth(IQueue queue, Duration period) {
        return queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(period).build());
    }

    Alarm alarm() {
        return visible;
    }
}
