package dev.tally.runtime;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the counts of every invocation, for local runs that print them at the end (CloudWatch's
 * embedded-metric client would probe for an AWS host it will not find).
 */
public final class SummingCountMetrics implements CountMetrics {
    private final Map<String, Long> totals = new TreeMap<>();

    @Override
    public synchronized void publish(Map<String, Long> counts) {
        counts.forEach((name, count) -> totals.merge(name, count, Long::sum));
    }

    public synchronized Map<String, Long> totals() {
        return new TreeMap<>(totals);
    }
}
