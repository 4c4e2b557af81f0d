package dev.tally.infra.monitoring;

import dev.tally.runtime.EmfCountMetrics;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

import java.util.Map;

/**
 * The functions' own metrics: namespace {@value EmfCountMetrics#NAMESPACE}, published through the embedded metric
 * format with the function's service as the {@value #SERVICE_DIMENSION} dimension (the names are the function
 * code's constants, such as {@code BillingMetrics.ROLLED_UP}).
 */
final class TallyMetrics {
    /** Powertools' default dimension, the service name given to {@code EmfCountMetrics}. */
    static final String SERVICE_DIMENSION = "Service";

    private TallyMetrics() {
    }

    /** @param statistic as CloudWatch names it ({@code Sum}, {@code Maximum}, {@code Minimum}) */
    static Metric of(String service, String name, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(EmfCountMetrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(SERVICE_DIMENSION, service))
                .statistic(statistic)
                .period(period)
                .build();
    }
}
