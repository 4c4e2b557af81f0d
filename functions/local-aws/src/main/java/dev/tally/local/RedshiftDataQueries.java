package dev.tally.local;

import dev.tally.local.RedshiftDataQuery.Sub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The queries the emulator knows, in submission order, and the bounds that keep them in memory: how many are kept
 * for DescribeStatement, how many may be active at once, and how many result bytes are held (beyond which the oldest
 * results expire). Also maps ClientTokens to their query, so that a retried request gets the same statement.
 * Thread-safe: its monitor is taken before a query's, never after.
 */
final class RedshiftDataQueries {
    /** Statements kept for DescribeStatement (the oldest finished ones are forgotten first). */
    static final int MAX_STATEMENTS = 10_000;
    /** Statements submitted and not yet finished, failed or aborted, at most. */
    static final int MAX_ACTIVE = 200;
    /** The results of all statements, at most: the oldest are dropped (they expire) beyond it. */
    static final long MAX_HELD_RESULT_BYTES = 256L << 20;

    private final Map<String, RedshiftDataQuery> statements = new LinkedHashMap<>(); // guarded by this
    private final Map<String, String> clientTokens = new HashMap<>(); // guarded by this
    private long heldResultBytes; // guarded by this
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    /** A query submitted; {@code repeated} when its ClientToken had been given before (it is that earlier query). */
    record Submission(RedshiftDataQuery query, boolean repeated) {
    }

    /**
     * Registers a new query, made by {@code newQuery} from its id and the count of active queries it joins; or, when
     * {@code clientToken} names a query still kept, answers that one. {@code newQuery} runs after the stopped,
     * ClientToken and quota checks, so a malformed member it reads does not hide them (a retry gets its statement).
     */
    synchronized Submission submit(String clientToken,
            BiFunction<String, AtomicInteger, RedshiftDataQuery> newQuery) {
        if (closed) {
            throw new RedshiftDataApiError("ExecuteStatementException", "the local Redshift Data API is stopped", 500,
                    Map.of());
        }
        String known = clientToken == null ? null : clientTokens.get(clientToken);
        if (known != null && statements.containsKey(known)) {
            return new Submission(statements.get(known), true);
        }
        if (active.get() >= MAX_ACTIVE) {
            throw new RedshiftDataApiError("ActiveStatementsExceededException", "Active statements exceeded the"
                    + " allowed quota (" + MAX_ACTIVE + ") of the local Redshift Data API.");
        }
        String id = UUID.randomUUID().toString();
        RedshiftDataQuery query = newQuery.apply(id, active);
        active.incrementAndGet();
        statements.put(id, query);
        if (clientToken != null) {
            clientTokens.put(clientToken, id);
        }
        forgetOld();
        return new Submission(query, false);
    }

    /** Forgets the oldest finished statements beyond {@link #MAX_STATEMENTS}. */
    private synchronized void forgetOld() {
        Iterator<RedshiftDataQuery> it = statements.values().iterator();
        while (statements.size() > MAX_STATEMENTS && it.hasNext()) {
            RedshiftDataQuery old = it.next();
            if (old.isTerminal()) {
                it.remove();
                if (old.clientToken != null) {
                    clientTokens.remove(old.clientToken);
                }
                heldResultBytes -= old.dropResults();
            }
        }
    }

    /** Keeps the result just made, dropping the oldest ones while all of them are more than allowed. */
    synchronized void holdResult(Sub sub, long bytes) {
        heldResultBytes += bytes;
        for (Iterator<RedshiftDataQuery> it = statements.values().iterator(); heldResultBytes > MAX_HELD_RESULT_BYTES
                && it.hasNext(); ) {
            RedshiftDataQuery old = it.next();
            heldResultBytes -= old.dropResultsExcept(sub);
        }
    }

    /** The query {@code id} (a statement's or a batch's, not a sub-statement's). */
    synchronized RedshiftDataQuery find(String id) {
        RedshiftDataQuery query = statements.get(id);
        if (query == null) {
            throw RedshiftDataApiError.queryNotFound(id);
        }
        return query;
    }

    /** From now on every submission is refused. */
    void close() {
        closed = true;
    }

    /** All the queries kept, in submission order. */
    synchronized List<RedshiftDataQuery> all() {
        return new ArrayList<>(statements.values());
    }
}
