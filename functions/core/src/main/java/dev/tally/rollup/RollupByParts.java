package dev.tally.rollup;

import dev.tally.InputException;
import dev.tally.allocation.Allocation;
import dev.tally.allocation.HistoryByPeriod;
import dev.tally.allocation.PartialAllocation;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.billing.Bill;
import dev.tally.billing.BillPart;
import dev.tally.billing.BillReadReport;
import dev.tally.billing.ReadSettings;
import dev.tally.history.EventReadReport;
import dev.tally.history.HistoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rollup of a bill whose parts are read apart — by the workers of a distributed rollup, one part each — and merged
 * in one place, with the result {@link RollupRunner} gives for the bill read in one process: each part is read by
 * the same {@link BillReading} for the period its own rows name most; the merge reads again, for the whole bill's
 * period (§1), only a part that allocated another; then the parts' allocations merge in part order and finish once.
 */
public final class RollupByParts {
    private static final Logger LOG = LoggerFactory.getLogger(RollupByParts.class);
    /** What a rollup from a history store reports of event files: none were read. */
    private static final EventReadReport NO_EVENT_FILES = new EventReadReport(0, 0, Map.of(), 0, Map.of(), 0,
            List.of());

    private final RollupRunner.Engine engine;
    private final ReadSettings settings;

    public RollupByParts(RollupRunner.Engine engine, ReadSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /** Reads one part, with the history of the period it allocates from the store. */
    public BillPartRead read(BillPart part, ProductAreaMap areas, HistoryStore history) {
        return read(part, null, areas, new HistoryByPeriod(history::load));
    }

    private BillPartRead read(BillPart part, YearMonth period, ProductAreaMap areas, HistoryByPeriod history) {
        BillReading.Result read = new BillReading(engine, settings, areas, history)
                .read(Bill.of(part), period, bytes -> { }, null);
        return new BillPartRead(part.name(), read.report(), read.allocation());
    }

    /**
     * Merges the parts' reads into the bill's rollup.
     *
     * @param reads one per part of {@code bill}, in its order
     * @throws IllegalArgumentException if the reads are not of the bill's parts, in order
     * @throws InputException           if the bill has no cost line items (its period is unknown)
     */
    public Rollup merge(Bill bill, List<BillPartRead> reads, ProductAreaMap areas, HistoryStore history,
                        String runId) {
        List<String> names = bill.parts().stream().map(BillPart::name).toList();
        if (!names.equals(reads.stream().map(BillPartRead::part).toList())) {
            throw new IllegalArgumentException("the reads are not of " + bill.name() + "'s parts in their order");
        }
        long start = System.nanoTime();
        List<BillPartRead> merged = new ArrayList<>(reads);
        YearMonth majority = BillReadReport.periodByRows(reads.stream().map(BillPartRead::report).toList());
        HistoryByPeriod byPeriod = new HistoryByPeriod(history::load);
        for (int i = 0; i < merged.size(); i++) {
            YearMonth allocated = merged.get(i).report().billingPeriod();
            if (allocated != null && !allocated.equals(majority)) {
                LOG.info("{}: most cost rows of the bill are of {}, not {}; reading the part again for {}",
                        names.get(i), majority, allocated, majority);
                merged.set(i, read(bill.parts().get(i), majority, areas, byPeriod));
            }
        }
        BillReadReport report = BillReadReport.merge(names, merged.stream().map(BillPartRead::report).toList());
        if (report.billingPeriod() == null) {
            throw new InputException(bill.name() + ": the bill has no cost line items, so its billing period is "
                    + "unknown");
        }
        long readMillis = (System.nanoTime() - start) / 1_000_000;
        long finishStart = System.nanoTime();
        Allocation allocation = PartialAllocation.merge(merged.stream().map(BillPartRead::allocation).toList())
                .finish(byPeriod, areas);
        return Rollup.of(allocation, report, NO_EVENT_FILES, runId,
                new Rollup.Timings(0, readMillis, (System.nanoTime() - finishStart) / 1_000_000), false);
    }
}
