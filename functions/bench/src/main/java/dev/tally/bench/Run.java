package dev.tally.bench;

import java.util.function.Function;

/**
 * One timed run in a child JVM: the process's wall time, what its probe reported, and the machine's 1-minute
 * load average when it started.
 */
record Run<M>(int run, long processMillis, int exitCode, M metrics, boolean ok, String stderrTail,
              double loadAtStart) {
    String describe(Function<M, String> f) {
        return f.apply(metrics);
    }
}
