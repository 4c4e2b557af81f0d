package dev.tally.runtime;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.Map;

/** Counts as CloudWatch metrics through Powertools' embedded metric format: one log line per invocation. */
public final class EmfCountMetrics implements CountMetrics {
    /** The CloudWatch namespace of every Tally metric. */
    public static final String NAMESPACE = "Tally";

    private final Metrics metrics;

    /** @param service the function, as the {@code Service} dimension */
    public EmfCountMetrics(String service) {
        this.metrics = MetricsBuilder.builder().withNamespace(NAMESPACE).withService(service)
                .withRaiseOnEmptyMetrics(false).build();
    }

    @Override
    public synchronized void publish(Map<String, Long> counts) {
        counts.forEach((name, count) -> metrics.addMetric(name, count, MetricUnit.COUNT));
        metrics.flush();
    }
}
