package dev.tally.functions.privacy;

import dev.tally.runtime.CountMetrics;

import java.util.Map;

/**
 * Runs the privacy functions outside Lambda ({@code tally serve}): the public constructors of
 * {@link PrivacyApiHandler} and {@link PrivacySweepHandler} then read {@code environment} instead of the process
 * environment and add their counts to {@code metrics} instead of CloudWatch. Everything else is the code that runs
 * in Lambda.
 */
public final class LocalPrivacyRuntime {
    private LocalPrivacyRuntime() {
    }

    /** Call once, before the handlers are created. */
    public static void install(Map<String, String> environment, CountMetrics metrics) {
        PrivacyDependencies.useLocally(environment, metrics);
    }
}
