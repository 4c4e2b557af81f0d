package dev.tally.local;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Test support: makes statements of the local Redshift Data API fail on purpose, so that a caller's handling of a
 * failed load can be tested (a load failing half-way must leave no partial data). Reach it with
 * {@link LocalAws#redshiftDataFaults()} (in a {@code @LocalAwsTest}, inject {@code LocalAws}).
 *
 * <p>A matching statement fails before it runs: its status is {@code FAILED} with the error as
 * {@code DescribeStatement} reports it ({@value #DEFAULT_ERROR_PREFIX}... unless given). In a
 * {@code BatchExecuteStatement} the first matching sub-statement fails the whole batch: the sub-statements before it
 * are rolled back, as for any failure in a batch. A statement matches when the regular expression is found in its
 * SQL as the client sent it ({@link java.util.regex.Matcher#find()}); each match uses one of the times given.
 *
 * <p>The faults belong to the running emulator, which a test JVM's {@code @LocalAwsTest} classes share: use
 * patterns that only your statements match, and {@link #clear()} after the test. Thread-safe.
 */
public final class RedshiftDataFaults {
    /** How an injected error starts (Redshift's errors start with {@code ERROR: }). */
    public static final String DEFAULT_ERROR_PREFIX = "ERROR: injected fault";

    private final List<Fault> faults = new ArrayList<>();

    RedshiftDataFaults() {
    }

    private static final class Fault {
        final Pattern sql;
        final String error;
        int remaining;

        Fault(Pattern sql, int remaining, String error) {
            this.sql = sql;
            this.remaining = remaining;
            this.error = error;
        }
    }

    /**
     * The next {@code times} statements whose SQL matches {@code sql} fail with
     * {@code "ERROR: injected fault: statement matched /<sql>/"}.
     */
    public RedshiftDataFaults failStatementsMatching(Pattern sql, int times) {
        return failStatementsMatching(sql, times, DEFAULT_ERROR_PREFIX + ": statement matched /" + sql.pattern() + "/");
    }

    /** The next {@code times} statements whose SQL matches {@code sql} fail with {@code error} as their Error. */
    public synchronized RedshiftDataFaults failStatementsMatching(Pattern sql, int times, String error) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(error, "error");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, not " + times);
        }
        faults.add(new Fault(sql, times, error));
        return this;
    }

    /** How many injected failures are still to happen. */
    public synchronized int remaining() {
        return faults.stream().mapToInt(fault -> fault.remaining).sum();
    }

    /** Forgets every fault not used yet. */
    public synchronized void clear() {
        faults.clear();
    }

    /** The error for a statement about to run, using up one time of the first fault it matches. */
    synchronized Optional<String> take(String sql) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.sql.matcher(sql).find()) {
                if (--fault.remaining == 0) {
                    it.remove();
                }
                return Optional.of(fault.error);
            }
        }
        return Optional.empty();
    }
}
