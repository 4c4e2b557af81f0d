package dev.tally.infra.monitoring;

import dev.tally.infra.function.TallyFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.constructs.Construct;

import java.util.List;

/**
 * The alarms of one function: any error, any throttle, and a slowest invocation (p99) past
 * {@value #DURATION_SHARE_OF_TIMEOUT_PERCENT}% of its timeout — the next one may time out. Each over
 * {@link #PERIOD}; no invocation is no problem.
 */
final class FunctionAlarms extends Construct {
    static final Duration PERIOD = Duration.minutes(5);
    static final int DURATION_SHARE_OF_TIMEOUT_PERCENT = 80;
    static final String DURATION_STATISTIC = "p99";

    private final Alarm errors;
    private final Alarm throttles;
    private final Alarm duration;

    FunctionAlarms(Construct scope, String id, TallyFunction function, AlarmTopic topic) {
        super(scope, id);
        String name = function.getNode().getPath();
        MetricOptions sum = MetricOptions.builder().statistic("Sum").period(PERIOD).build();
        errors = function.function().metricErrors(sum).createAlarm(this, "Errors", Alarms.options(
                name + ": an invocation failed (Errors > 0 in 5 minutes)", 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
                1, TreatMissingData.NOT_BREACHING));
        throttles = function.function().metricThrottles(sum).createAlarm(this, "Throttles", Alarms.options(
                name + ": an invocation was throttled (Throttles > 0 in 5 minutes)", 0,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING));
        double threshold = durationThresholdMillis(function.function().getTimeout());
        duration = function.function().metricDuration(MetricOptions.builder().statistic(DURATION_STATISTIC)
                        .period(PERIOD).build())
                .createAlarm(this, "Duration", Alarms.options(name + ": p99 duration above "
                                + DURATION_SHARE_OF_TIMEOUT_PERCENT + "% of the timeout (" + (long) threshold + " ms)",
                        threshold, ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING));
        for (Alarm alarm : alarms()) {
            topic.notify(alarm);
        }
    }

    /** {@value #DURATION_SHARE_OF_TIMEOUT_PERCENT}% of {@code timeout}, in milliseconds (Lambda's Duration unit). */
    static double durationThresholdMillis(Duration timeout) {
        return timeout.toMilliseconds().doubleValue() * DURATION_SHARE_OF_TIMEOUT_PERCENT / 100;
    }

    List<Alarm> alarms() {
        return List.of(errors, throttles, duration);
    }
}
