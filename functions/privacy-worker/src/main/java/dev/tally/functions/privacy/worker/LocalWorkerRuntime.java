package dev.tally.functions.privacy.worker;

import dev.tally.runtime.CountMetrics;

import java.util.Map;

/**
 * Runs the privacy workers outside Lambda ({@code tally serve}, {@code tally invoke}): the public constructors of
 * {@link StartRequestsHandler} and {@link WorkHandler} then read {@code environment} instead of the process
 * environment and add their counts to {@code metrics} instead of CloudWatch. Everything else is the code that runs
 * in Lambda.
 */
public final class LocalWorkerRuntime {
    private LocalWorkerRuntime() {
    }

    /** Call once, before the handlers are created. */
    public static void install(Map<String, String> environment, CountMetrics metrics) {
        WorkerDependencies.useLocally(environment, metrics);
    }
}
