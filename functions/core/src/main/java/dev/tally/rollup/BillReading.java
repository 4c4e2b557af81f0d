package dev.tally.rollup;

import dev.tally.allocation.Allocator;
import dev.tally.allocation.FastAllocator;
import dev.tally.allocation.HistoryByPeriod;
import dev.tally.allocation.PartialAllocation;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.billing.Bill;
import dev.tally.billing.BillPart;
import dev.tally.billing.BillReadReport;
import dev.tally.billing.BillReader;
import dev.tally.billing.BillStrings;
import dev.tally.billing.FastBillReader;
import dev.tally.billing.ReadSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Reads a bill of one or more parts into one allocation: each part by an allocator of its own (so parts
 * could be read on other threads or by other workers), the history of the period shared, the parts'
 * partial allocations merged in part order and finished once (§4 after the merge).
 *
 * <p>The billing period: given, or the one most cost rows of all parts name (§1). A part reads the period
 * of its first cost row until it knows better; a part whose first row named another period than the whole
 * bill's majority is read again for the majority's (rare in a real bill: it costs a second read of that
 * part only).
 */
final class BillReading {
    private static final Logger LOG = LoggerFactory.getLogger(BillReading.class);

    private final RollupRunner.Engine engine;
    private final ReadSettings settings;
    private final ProductAreaMap areas;
    private final HistoryByPeriod history;

    BillReading(RollupRunner.Engine engine, ReadSettings settings, ProductAreaMap areas, HistoryByPeriod history) {
        this.engine = engine;
        this.settings = settings;
        this.areas = areas;
        this.history = history;
    }

    /** The whole bill read: its report and its allocation, not yet finished. */
    record Result(BillReadReport report, PartialAllocation allocation) {
    }

    /** One part read for one period (or for its own). */
    private record Part(BillReadReport report, PartialAllocation allocation) {
    }

    /** A bill's first part opened ahead, with the id tables its reader and the allocator share. */
    record Prefetch(BillStrings strings, FastBillReader reader, FastBillReader.Reading reading) {
        static Prefetch open(ReadSettings settings, BillPart part) {
            BillStrings strings = new BillStrings();
            FastBillReader reader = new FastBillReader(settings, strings);
            return new Prefetch(strings, reader, reader.open(part));
        }

        void close() {
            try {
                reading.close();
            } catch (IOException e) {
                // the part has been read, or the run already failed for another reason
            }
        }
    }

    /**
     * @param given    the period to allocate, or null for the bill's own
     * @param progress receives the stored bytes read so far, over all parts
     * @param prefetch the first part already opened (fast engine), or null
     */
    Result read(Bill bill, YearMonth given, LongConsumer progress, Prefetch prefetch) {
        List<BillPart> parts = bill.parts();
        List<Part> read = new ArrayList<>(parts.size());
        long[] done = {0};
        for (int i = 0; i < parts.size(); i++) {
            read.add(readPart(parts.get(i), given, offset(progress, done), i == 0 ? prefetch : null));
            done[0] += Math.max(0, parts.get(i).size());
        }
        if (given == null) {
            YearMonth majority = BillReadReport.periodByRows(read.stream().map(Part::report).toList());
            for (int i = 0; i < parts.size(); i++) {
                YearMonth allocated = read.get(i).report().billingPeriod();
                if (allocated != null && !allocated.equals(majority)) {
                    LOG.info("{}: most cost rows of the bill are of {}, not {}; reading the part again for {}",
                            parts.get(i).name(), majority, allocated, majority);
                    read.set(i, readPart(parts.get(i), majority, bytes -> { }, null));
                }
            }
        }
        BillReadReport report = BillReadReport.merge(parts.stream().map(BillPart::name).toList(),
                read.stream().map(Part::report).toList());
        return new Result(report, PartialAllocation.merge(read.stream().map(Part::allocation).toList()));
    }

    private static LongConsumer offset(LongConsumer progress, long[] done) {
        long base = done[0];
        return bytes -> progress.accept(base + bytes);
    }

    private Part readPart(BillPart part, YearMonth period, LongConsumer progress, Prefetch prefetch) {
        if (engine == RollupRunner.Engine.FAST) {
            Prefetch opened = prefetch != null ? prefetch : Prefetch.open(settings, part); // closed by the read
            FastAllocator allocator = new FastAllocator(history, areas, opened.strings(), settings.ecsSplit());
            BillReadReport report = opened.reader().read(opened.reading(), period, allocator, progress);
            return new Part(report, allocator.part());
        }
        Allocator allocator = new Allocator(history, areas, settings.ecsSplit());
        BillReadReport report = new BillReader(settings).read(part, period, allocator, progress);
        return new Part(report, allocator.part());
    }
}
