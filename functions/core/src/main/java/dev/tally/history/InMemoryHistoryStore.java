package dev.tally.history;

import java.time.YearMonth;

/**
 * A history store in memory, as {@code tally rollup} uses it for events read from files. Thread-safe.
 */
public final class InMemoryHistoryStore implements HistoryStore {
    private final HistoryBuilder builder = new HistoryBuilder();

    @Override
    public synchronized void record(HistoryEvent event) {
        builder.add(event);
    }

    /** Everything recorded: a superset of what the period needs, as the contract allows. */
    @Override
    public synchronized History load(YearMonth period) {
        return builder.build();
    }
}
