package dev.tally.functions.reconciler;

import dev.tally.history.History;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryStore;
import dev.tally.history.InMemoryHistoryStore;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/** The in-memory store, remembering what was recorded and retained through it. */
final class RecordingStore implements HistoryStore {
    final InMemoryHistoryStore delegate = new InMemoryHistoryStore();
    final List<HistoryEvent> recorded = new ArrayList<>();
    final List<HistoryEvent> retained = new ArrayList<>();

    @Override
    public void record(HistoryEvent event) {
        recorded.add(event);
        delegate.record(event);
    }

    @Override
    public History load(YearMonth period) {
        return delegate.load(period);
    }

    @Override
    public void retain(HistoryEvent event) {
        retained.add(event);
        delegate.retain(event);
    }

    /** Sets up earlier history (as the event handlers would have), without counting it as the reconciler's. */
    void given(HistoryEvent... events) {
        for (HistoryEvent event : events) {
            delegate.record(event);
        }
    }

    void forget() {
        recorded.clear();
        retained.clear();
    }
}
