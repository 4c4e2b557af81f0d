package dev.tally.history;

import java.time.YearMonth;

/**
 * Where the ECS/EBS history is kept between events and rollups.
 *
 * <p>Contract (checked for every adapter by one shared test suite): {@link #record} is idempotent and
 * order-independent — any permutation of the same events, with duplicates, leaves the store in a
 * state from which {@link #load} returns the same history; stale and duplicate events are
 * successful no-ops. {@link #load} returns at least everything that can affect the allocation of the
 * period (see {@link History#relevantTo(YearMonth)}): tasks that ran in it or had not stopped before
 * it, every container instance, volume calls and terminations of the period and the retention
 * window before it.
 */
public interface HistoryStore {

    /** Records one fact. Safe to call again with the same fact, and in any order. */
    void record(HistoryEvent event);

    /** The history a rollup of {@code period} needs. */
    History load(YearMonth period);

    /**
     * Says a recorded fact is still current (a task still running, a volume still attached), so a
     * store that expires old facts keeps it. Facts never recorded are not created. Stores that keep
     * everything need do nothing.
     */
    default void retain(HistoryEvent event) {
    }
}
