package dev.tally.functions.history;

import dev.tally.runtime.CountMetrics;

import java.util.Map;

/**
 * Runs the history functions outside Lambda ({@code tally invoke}, {@code tally demo}): the
 * handlers' public constructors then read {@code environment} instead of the process environment,
 * send dead letters to {@code deadLetters} instead of SQS, and add their counts to {@code metrics}
 * instead of CloudWatch (whose embedded-metric client probes for an AWS host it will not find).
 * Everything else is the code that runs in Lambda.
 */
public final class LocalRuntime {
    private LocalRuntime() {
    }

    /** Call once, before any handler is created. */
    public static void install(Map<String, String> environment, DeadLetters deadLetters, CountMetrics metrics) {
        Dependencies.useLocally(environment, deadLetters, metrics);
    }
}
