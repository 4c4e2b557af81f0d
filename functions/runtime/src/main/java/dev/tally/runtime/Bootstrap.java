package dev.tally.runtime;

import java.util.Map;
import java.util.function.Function;

/**
 * A function's dependencies — its configuration, SDK clients, stores — built once per Lambda execution
 * environment, on first use, from the environment variables. Every function holds one in a static field
 * and its handler's public constructor asks it; the factory validates the configuration and fails the cold
 * start with a message naming the variable. Local runs ({@code tally invoke}, {@code tally demo}) give
 * another environment.
 *
 * @param <T> the function's dependencies
 */
public final class Bootstrap<T> {
    private final Function<Map<String, String>, T> factory;
    private volatile Map<String, String> environment = System.getenv();
    private volatile T instance;
    /** Where counts go in a local run, instead of CloudWatch; null in Lambda. */
    private volatile CountMetrics localMetrics;

    /** @param factory builds the dependencies from an environment; called once */
    public Bootstrap(Function<Map<String, String>, T> factory) {
        this.factory = factory;
    }

    /** The dependencies, built on the first call. */
    public T get() {
        T current = instance;
        if (current == null) {
            synchronized (this) {
                current = instance;
                if (current == null) {
                    current = factory.apply(environment);
                    instance = current;
                }
            }
        }
        return current;
    }

    /**
     * For local runs: the environment the dependencies are built from instead of the process's. Dependencies
     * built before are dropped; the next use builds them from this environment (a local run may start a new
     * stack in the same JVM: tests, {@code tally demo} after {@code tally invoke}).
     */
    public synchronized void useEnvironment(Map<String, String> env) {
        environment = Map.copyOf(env);
        instance = null;
    }

    /** For local runs: {@link #useEnvironment}, and counts to {@code metrics} instead of CloudWatch. */
    public synchronized void useLocally(Map<String, String> env, CountMetrics metrics) {
        localMetrics = metrics;
        useEnvironment(env);
    }

    /**
     * Where the function's counts go: CloudWatch through the embedded metric format with {@code service} as
     * the dimension, or the sink a local run gave {@link #useLocally}.
     */
    public CountMetrics metrics(String service) {
        CountMetrics local = localMetrics;
        return local != null ? local : new EmfCountMetrics(service);
    }
}
