package dev.tally.allocation;

import dev.tally.history.History;

import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The history of each billing period, loaded once and indexed once (open tasks closed at the period's
 * end, CPU timelines, attachments), however many allocators ask: the parts of one bill are allocated
 * one allocator each, and loading a month's history from DynamoDB is the expensive part.
 */
public final class HistoryByPeriod {
    private final Function<YearMonth, History> load;
    private final Map<YearMonth, PeriodIndex> indexes = new HashMap<>();

    /** @param load the history of a period, asked for once per period (e.g. {@code store::load}) */
    public HistoryByPeriod(Function<YearMonth, History> load) {
        this.load = load;
    }

    synchronized PeriodIndex index(YearMonth period) {
        return indexes.computeIfAbsent(period, p -> new PeriodIndex(load.apply(p), p));
    }
}
