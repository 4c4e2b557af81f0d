package dev.tally.functions.reconciler;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.Map;

/** Counts as CloudWatch metrics through Powertools' embedded metric format (one log line per invocation). */
public final class EmfReconcilerMetrics implements ReconcilerMetrics {
    public static final String NAMESPACE = "Tally";
    public static final String SERVICE = "reconciler";

    private final Metrics metrics;

    public EmfReconcilerMetrics() {
        this.metrics = MetricsBuilder.builder().withNamespace(NAMESPACE).withService(SERVICE)
                .withRaiseOnEmptyMetrics(false).build();
    }

    @Override
    public synchronized void publish(Map<String, Long> counts) {
        counts.forEach((name, count) -> metrics.addMetric(name, count, MetricUnit.COUNT));
        metrics.flush();
    }
}
