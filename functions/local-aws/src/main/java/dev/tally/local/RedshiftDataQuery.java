package dev.tally.local;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;

/**
 * A submitted statement (ExecuteStatement) or batch (BatchExecuteStatement) and its status lifecycle:
 * {@code SUBMITTED} → {@code PICKED} (a worker took it) → {@code STARTED} (connected) → {@code FINISHED},
 * {@code FAILED} or {@code ABORTED}. Its state, and that of its {@link Sub}s, is guarded by its own monitor: the
 * worker running it, the HTTP threads describing or cancelling it and the registry dropping its results all take it.
 * {@link RedshiftDataDescriptions} says how it is reported.
 */
final class RedshiftDataQuery {

    enum Status { SUBMITTED, PICKED, STARTED, FINISHED, ABORTED, FAILED;

        boolean terminal() {
            return this == FINISHED || this == ABORTED || this == FAILED;
        }
    }

    /** Where the client said to run it; echoed in the answers, only the database is used (to connect). */
    record Target(String cluster, String workgroup, String database, String dbUser, String secretArn) {
    }

    /** One SQL statement: the only one of an ExecuteStatement, or one of a batch ({@code <Id>:<n>}). */
    static final class Sub {
        final String id;
        final String sql;
        final Instant createdAt;
        Status status = Status.SUBMITTED;
        String error;
        Instant updatedAt;
        long startNanos;
        long durationNanos;
        long resultRows = -1;
        long resultSize = -1;
        boolean hasResultSet;
        /** Null once dropped (expired or forgotten), and for a statement without a result set. */
        RedshiftDataResult result;
        Long queryId;

        Sub(String id, String sql, Instant createdAt) {
            this.id = id;
            this.sql = sql;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    final String id;
    final boolean batch;
    final List<Sub> subs;
    final Instant createdAt;
    final Target target;
    final String statementName;
    final Map<String, String> parameters;
    final String clientToken;
    /**
     * The registry's count of active queries, which this one leaves once: when it ends before a worker took it
     * ({@link #abort}, {@link #cancel}), else when its worker is done ({@link #workerDone}).
     */
    private final AtomicInteger active;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    Status status = Status.SUBMITTED;
    String error;
    Instant updatedAt;
    long startNanos;
    long durationNanos;
    Long pid;
    private boolean cancelRequested;
    private Connection connection;

    RedshiftDataQuery(String id, boolean batch, List<String> sqls, Target target, String statementName,
            Map<String, String> parameters, String clientToken, AtomicInteger active) {
        this.id = id;
        this.batch = batch;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
        List<Sub> list = new ArrayList<>(sqls.size());
        for (int i = 0; i < sqls.size(); i++) {
            list.add(new Sub(batch ? id + ":" + (i + 1) : id, sqls.get(i), createdAt));
        }
        this.subs = List.copyOf(list);
        this.target = target;
        this.statementName = statementName;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // in order
        this.clientToken = clientToken;
        this.active = active;
    }

    synchronized boolean isTerminal() {
        return status.terminal();
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    String cancelledError() {
        return "ERROR: Query (" + id + ") cancelled on user's request";
    }

    /** Waits up to {@code seconds} for it to end (WaitTimeSeconds). */
    void await(int seconds) {
        try {
            done.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // answer with the status as it is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker takes it: false when it was cancelled first. */
    synchronized boolean pick() {
        if (status != Status.SUBMITTED) {
            return false;
        }
        status = Status.PICKED;
        startNanos = System.nanoTime();
        updatedAt = Instant.now();
        return true;
    }

    /** Connected ({@code pid} is the PostgreSQL backend), so a cancel can reach it: false when cancelled already. */
    synchronized boolean started(Connection connection, long pid) {
        if (cancelRequested) {
            end(Status.ABORTED, cancelledError(), null);
            return false;
        }
        this.connection = connection;
        this.pid = pid;
        status = Status.STARTED;
        updatedAt = Instant.now();
        return true;
    }

    synchronized boolean subStarted(Sub sub, long queryId) {
        if (cancelRequested) {
            return false;
        }
        sub.status = Status.STARTED;
        sub.queryId = queryId;
        sub.startNanos = System.nanoTime();
        sub.updatedAt = Instant.now();
        return true;
    }

    /** {@code rows} returned or affected; {@code result} null for a statement without a result set. */
    synchronized void subFinished(Sub sub, long rows, RedshiftDataResult result) {
        sub.status = Status.FINISHED;
        sub.durationNanos = System.nanoTime() - sub.startNanos;
        sub.updatedAt = Instant.now();
        sub.resultRows = rows;
        sub.hasResultSet = result != null;
        sub.result = result;
        sub.resultSize = result == null ? 0 : result.bytes();
    }

    synchronized void finished() {
        end(Status.FINISHED, null, null);
    }

    /** Failed at {@code at} (null when before any sub-statement), or aborted when that was a cancel. */
    synchronized void failed(Sub at, String message) {
        end(cancelRequested ? Status.ABORTED : Status.FAILED, message, at);
    }

    /** Cancelled before a worker took it. */
    synchronized void abort(String message) {
        end(Status.ABORTED, message, null);
        active.decrementAndGet();
    }

    private void end(Status outcome, String message, Sub at) {
        if (status.terminal()) {
            return;
        }
        Instant now = Instant.now();
        status = outcome;
        error = message;
        updatedAt = now;
        durationNanos = startNanos == 0 ? 0 : System.nanoTime() - startNanos;
        if (at != null) {
            at.status = outcome;
            at.error = message;
            at.durationNanos = at.startNanos == 0 ? 0 : System.nanoTime() - at.startNanos;
            at.updatedAt = now;
        }
        for (Sub sub : subs) {
            if (sub.status.terminal()) {
                continue; // finished before the failure (rolled back with the batch all the same), or the failing one
            }
            sub.updatedAt = now;
            if (batch) {
                sub.status = Status.ABORTED; // never ran, or stopped with the batch
            } else {
                sub.status = outcome;
                sub.error = message;
                sub.durationNanos = durationNanos;
            }
        }
        done.complete(null);
    }

    /** Its connection is about to close: a cancel no longer goes to it. */
    synchronized void detach() {
        connection = null;
    }

    /** Its worker is done with it (it has ended, its connection is closed): it is no longer active. */
    void workerDone() {
        active.decrementAndGet();
    }

    /** Asks the statement to stop: true unless it had ended already. */
    boolean cancel() {
        Connection running;
        synchronized (this) {
            if (status.terminal()) {
                return false;
            }
            cancelRequested = true;
            if (status == Status.SUBMITTED) {
                end(Status.ABORTED, cancelledError(), null);
                active.decrementAndGet();
                return true;
            }
            running = connection;
        }
        // outside the monitor: cancelQuery opens a connection of its own; describing the query must not wait on it
        if (running != null) {
            try {
                running.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                // the worker sees cancelRequested before its next step
            }
        }
        return true;
    }

    /** Drops the results (when the statement is forgotten); returns their size. */
    synchronized long dropResults() {
        return dropResultsExcept(null);
    }

    /** Drops the results but {@code keep}'s (to make room for it); returns their size. */
    synchronized long dropResultsExcept(Sub keep) {
        long freed = 0;
        for (Sub sub : subs) {
            if (sub != keep && sub.result != null) {
                freed += sub.result.bytes();
                sub.result = null;
            }
        }
        return freed;
    }

    synchronized boolean hasResultSet() {
        return subs.stream().anyMatch(sub -> sub.hasResultSet);
    }

    /** The batch's sub-statement {@code subId} ({@code <Id>:<n>}); a single statement has none by that name. */
    Sub sub(String subId) {
        for (Sub sub : subs) {
            if (batch && sub.id.equals(subId)) {
                return sub;
            }
        }
        throw RedshiftDataApiError.queryNotFound(subId);
    }

    @Override
    public String toString() {
        return "statement " + id;
    }
}
