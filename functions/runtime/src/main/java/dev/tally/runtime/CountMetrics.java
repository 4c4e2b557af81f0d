package dev.tally.runtime;

import java.util.Map;

/** Where a function's counts of one invocation go: CloudWatch in Lambda, a running total in local runs. */
@FunctionalInterface
public interface CountMetrics {
    /** Publishes the counts of one invocation (zero counts included, so alarms see a steady series). */
    void publish(Map<String, Long> counts);
}
