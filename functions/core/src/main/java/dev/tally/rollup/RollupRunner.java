package dev.tally.rollup;

import dev.tally.InputException;
import dev.tally.allocation.Allocation;
import dev.tally.allocation.HistoryByPeriod;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.UpfrontLedger;
import dev.tally.billing.Bill;
import dev.tally.billing.BillFormat;
import dev.tally.billing.BillReadReport;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.billing.ReadSettings;
import dev.tally.history.EventFiles;
import dev.tally.history.EventReadReport;
import dev.tally.history.History;
import dev.tally.history.HistoryBuilder;
import dev.tally.history.HistoryStore;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;

/** Runs one rollup from files: events into history, the bill streamed through the allocator, tables out. */
public final class RollupRunner {
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param bill    the bill: one file, or the parts of a directory or manifest (see {@link Bill#of(Path)})
     * @param events  events file or directory, or null for a bill-only rollup
     * @param areas   product-area map file, or null (every service unmapped)
     * @param tagKey  the product-area tag key, without {@code user:}
     * @param period  billing period to use instead of the bill's own, or null
     * @param declaredFinal the bill is final though it has no invoice id column to say so ({@code --final})
     * @param costBasis the amount of each row allocated (§8)
     * @param upfront   DBR upfront fees spread over their term (amortized basis only), or null
     * @param ecsSplit  how rule 1 splits an ECS host instance (§9)
     */
    public record Request(Bill bill, Path events, Path areas, String tagKey, YearMonth period,
                          boolean declaredFinal, CostBasis costBasis, UpfrontLedger upfront, EcsSplit ecsSplit) {
        public Request {
            if (ecsSplit == null) {
                throw new IllegalArgumentException("ECS split must be given");
            }
            if (bill == null) {
                throw new IllegalArgumentException("billing file is required");
            }
            if (tagKey == null || tagKey.isBlank()) {
                throw new IllegalArgumentException("tag key must not be empty");
            }
            if (costBasis == null) {
                throw new IllegalArgumentException("cost basis must be given");
            }
            if (upfront != null && costBasis != CostBasis.AMORTIZED) {
                throw new InputException("--upfront spreads DBR upfront fees under the amortized basis: give "
                        + "--cost-basis amortized with it");
            }
        }

        /** Rule 1 by CPU-seconds (§3 as written). */
        public Request(Bill bill, Path events, Path areas, String tagKey, YearMonth period, boolean declaredFinal,
                       CostBasis costBasis, UpfrontLedger upfront) {
            this(bill, events, areas, tagKey, period, declaredFinal, costBasis, upfront, EcsSplit.EVENTS);
        }

        /** The unblended basis, no upfront ledger. */
        public Request(Bill bill, Path events, Path areas, String tagKey, YearMonth period, boolean declaredFinal) {
            this(bill, events, areas, tagKey, period, declaredFinal, CostBasis.UNBLENDED, null);
        }

        /** How the readers read this request's bill. */
        public ReadSettings readSettings() {
            return new ReadSettings(tagKey, costBasis, ecsSplit);
        }

        /** @throws dev.tally.billing.BillFileException if a directory or manifest of parts cannot be used */
        public Request(Path billing, Path events, Path areas, String tagKey, YearMonth period,
                       boolean declaredFinal) {
            this(Bill.of(billing), events, areas, tagKey, period, declaredFinal);
        }

        public Request(Path billing, Path events, Path areas, String tagKey, YearMonth period) {
            this(billing, events, areas, tagKey, period, false);
        }
    }

    /**
     * How the bill is read and allocated. Both give the same numbers to the last unit (tests hold them
     * to it); {@code REFERENCE} is the plain, readable implementation of the contract, {@code FAST} the
     * one that runs at the speed of the disk.
     */
    public enum Engine {
        /** Byte-level reading on two threads, ids and long arithmetic. */
        FAST,
        /** The CSV library, objects and decimals: the contract written as plainly as possible. */
        REFERENCE
    }

    private final Clock clock;
    private final Engine engine;

    public RollupRunner(Clock clock, Engine engine) {
        this.clock = clock;
        this.engine = engine;
    }

    public RollupRunner(Clock clock) {
        this(clock, Engine.FAST);
    }

    public RollupRunner(Engine engine) {
        this(Clock.systemUTC(), engine);
    }

    public RollupRunner() {
        this(Clock.systemUTC(), Engine.FAST);
    }

    /** Reads the events of a path into a history. */
    public static LoadedHistory loadHistory(Path events) {
        if (events == null) {
            return new LoadedHistory(History.empty(), NO_EVENT_FILES);
        }
        HistoryBuilder builder = new HistoryBuilder();
        EventReadReport report = EventFiles.readInto(events, builder);
        return new LoadedHistory(builder.build(), report);
    }

    /** A history and what reading its events found. */
    public record LoadedHistory(History history, EventReadReport report) {
    }

    /**
     * @param billProgress receives the bill's bytes read so far, now and then
     * @throws InputException if an input cannot be used at all
     */
    public Rollup run(Request request, LongConsumer billProgress) {
        ProductAreaMap areas = request.areas() == null ? ProductAreaMap.empty() : ProductAreaFile.read(request.areas());
        // The fast engine opens the bill first: a bill that cannot be read fails at once, and its first
        // batches are decompressed and split while the events are read and the history is built.
        BillReading.Prefetch prefetch = engine == Engine.FAST
                ? BillReading.Prefetch.open(request.readSettings(), request.bill().parts().get(0)) : null;
        try {
            long start = System.nanoTime();
            LoadedHistory history = loadHistory(request.events());
            return run(request, areas, period -> history.history(), history.report(), billProgress,
                    millisSince(start), prefetch);
        } finally {
            if (prefetch != null) {
                prefetch.close(); // nothing left to do once read, and stops the reading threads on a failure
            }
        }
    }

    /** Rolls up a bill against an already loaded history and map. */
    public Rollup run(Request request, ProductAreaMap areas, LoadedHistory history, LongConsumer billProgress) {
        return run(request, areas, history, billProgress, 0);
    }

    /**
     * Rolls up a bill against a history store (DynamoDB, say): the store is asked for the period's
     * history once the bill's period is known.
     */
    public Rollup run(Request request, ProductAreaMap areas, HistoryStore store, LongConsumer billProgress) {
        return run(request, areas, store::load, NO_EVENT_FILES, billProgress, 0, null);
    }

    private static final EventReadReport NO_EVENT_FILES = new EventReadReport(0, 0, Map.of(), 0, Map.of(), 0,
            List.of());

    private Rollup run(Request request, ProductAreaMap areas, LoadedHistory history, LongConsumer billProgress,
                       long eventsMillis) {
        return run(request, areas, period -> history.history(), history.report(), billProgress, eventsMillis, null);
    }

    /**
     * @param readEventsMillis time already spent reading events before the bill
     * @param prefetch         the bill already opened (fast engine), or null
     */
    private Rollup run(Request request, ProductAreaMap areas, Function<YearMonth, History> history,
                       EventReadReport eventReport, LongConsumer billProgress, long readEventsMillis,
                       BillReading.Prefetch prefetch) {
        long[] loadMillis = new long[1];
        Function<YearMonth, History> timed = period -> {
            long start = System.nanoTime();
            History loaded = history.apply(period);
            loadMillis[0] += millisSince(start);
            return loaded;
        };
        long billStart = System.nanoTime();
        BillReading.Result read = new BillReading(engine, request.readSettings(), areas, new HistoryByPeriod(timed))
                .read(request.bill(), request.period(), billProgress, prefetch);
        BillReadReport bill = read.report();
        long billMillis = millisSince(billStart) - loadMillis[0];
        long finishStart = System.nanoTime();
        if (bill.billingPeriod() == null) {
            throw new InputException(request.bill().name() + ": the bill has no cost line items, so its billing "
                    + "period is unknown; give it with --period");
        }
        if (request.upfront() != null) {
            if (bill.format() != BillFormat.DBR) {
                throw new InputException("--upfront: the ledger spreads the upfront fees of DBR bills; this bill is "
                        + bill.format().id() + ", whose own amortization columns spread its fees");
            }
            read.allocation().addUpfrontParts(request.upfront().partsOf(bill.billingPeriod()));
        }
        Allocation allocation = read.allocation().finish();
        return Rollup.of(allocation, bill, eventReport, newRunId(),
                new Rollup.Timings(readEventsMillis + loadMillis[0], billMillis, millisSince(finishStart)),
                request.declaredFinal());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A run id that sorts by time: {@code 20170301T020000Z-1a2b3c4d}. */
    public String newRunId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return RUN_ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
    }
}
