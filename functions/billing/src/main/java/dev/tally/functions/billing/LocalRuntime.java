package dev.tally.functions.billing;

import dev.tally.runtime.CountMetrics;

import java.util.Map;

/**
 * Runs the billing function outside Lambda ({@code tally invoke billing-rollup}, {@code tally demo}): the
 * handler's public constructor then reads {@code environment} instead of the process environment and adds
 * its counts to {@code metrics} instead of CloudWatch. Everything else is the code that runs in Lambda.
 */
public final class LocalRuntime {
    private LocalRuntime() {
    }

    /** Call once, before the handler is created. */
    public static void install(Map<String, String> environment, CountMetrics metrics) {
        BillingDependencies.useLocally(environment, metrics);
    }
}
