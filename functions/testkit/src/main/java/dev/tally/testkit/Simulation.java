package dev.tally.testkit;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.uniform;
import static dev.tally.testkit.EventQueue.EVENT_MALFORMED;
import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.MINUTE;

/**
 * One generation run. Plans the month's entities ({@link MonthPlanner}: per-entity state only), then walks the
 * month hour by hour: task starts and stops ({@link TaskScheduler}), events due in the hour ({@link EventQueue}:
 * a time-ordered queue holds only near-future events and planned per-entity actions), then the hour's bill rows
 * ({@link UsageRows}, {@link ChargeRows}, with their {@link Commitments}), written straight to the file through the
 * {@link BillLedger}; at the end {@code areas.json}, the manifest ({@link MonthSummary}) and, for DBR with
 * {@code commitments}, the upfront ledger.
 */
final class Simulation {
    private final MonthSpec spec;
    private final Month month;
    private final Times times;

    // independent random streams: switching one feature never shifts another's draws
    private final SplittableRandom planRng;
    private final SplittableRandom taskRng;
    private final SplittableRandom rowRng;
    private final SplittableRandom eventRng;
    private final SplittableRandom noiseRng;
    private final SplittableRandom malformedRowRng;
    private final SplittableRandom dupRng;
    private final SplittableRandom shuffleRng;
    private final SplittableRandom malformedEventRng;
    /** {@code extra-decimals}, or null. */
    private final ExtraDecimals extraDecimals;
    /** {@code stray-period-rows} (none when 0). */
    private final StrayRows strayRows;
    private final SplittableRandom commitmentsRng;
    /** {@code commitments} (planned with the fleet), or null. */
    private Commitments commitments;
    private final SplittableRandom splitRng;
    /** {@code split-cost-allocation} (after planning), or null. */
    private SplitCostAllocation split;

    private final EventQueue events;
    private final BillLedger ledger;

    Simulation(MonthSpec spec) {
        this.spec = spec;
        this.month = new Month(spec);
        this.times = month.times;
        SplittableRandom master = new SplittableRandom(spec.seed() ^ 0x7a11_7e57_c0_57L);
        planRng = master.split();
        taskRng = master.split();
        rowRng = master.split();
        eventRng = master.split();
        noiseRng = master.split();
        malformedRowRng = master.split();
        dupRng = master.split();
        shuffleRng = master.split();
        malformedEventRng = master.split();
        // split last: the streams above are the same with or without these options
        SplittableRandom extraDecimalsRng = master.split();
        SplittableRandom strayRng = master.split();
        commitmentsRng = master.split();
        splitRng = master.split();
        extraDecimals = spec.extraDecimals() ? new ExtraDecimals(extraDecimalsRng, spec.amountsAsDoubles()) : null;
        strayRows = new StrayRows(spec.strayPeriodRows(), times, strayRng);
        events = new EventQueue(month, eventRng, noiseRng);
        ledger = new BillLedger(month, malformedRowRng, extraDecimals);
    }

    Manifest run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        plan();
        TaskLifecycle lives = new TaskLifecycle(month, events, taskRng, split);
        String billName = spec.billFileName();
        String eventsName = spec.events().fileName();
        Path billPath = outDir.resolve(billName);
        Path eventsPath = outDir.resolve(eventsName);
        // a previous run with other compression options must not leave a second bill or event log behind
        for (Compression c : Compression.values()) {
            Files.deleteIfExists(outDir.resolve(c.fileName(spec.billEntryName())));
        }
        Files.deleteIfExists(outDir.resolve(spec.events().withGzip(!spec.events().gzip()).fileName()));
        Files.deleteIfExists(outDir.resolve(Commitments.UPFRONT_FILE));
        EventSink sink;
        boolean parquet = spec.compression() == Compression.PARQUET;
        try (BillWriter b = BillWriter.create(spec.format(), parquet ? Writer.nullWriter()
                        : Outputs.open(billPath, spec.compression(), spec.billEntryName(), times.period.atDay(1)
                                .atStartOfDay().plusMonths(1).plusHours(6)), times, spec.tagKey(), month.payer,
                rowRng.split(), spec.noResourceIds(), spec.focusNulls(), spec.commitments(),
                spec.splitCostAllocation(), parquet ? new ParquetRows(billPath, spec.parquet(), spec.focusNulls()) : null);
             EventSink s = new EventSink(Outputs.open(eventsPath, spec.events().gzip() ? Compression.GZIP
                     : Compression.NONE, null, null), spec.events(), dupRng, shuffleRng, malformedEventRng)) {
            ledger.open(b);
            events.sink(s);
            sink = s;
            simulate(new TaskScheduler(month, lives, taskRng), lives);
        }
        String upfrontName = null;
        if (commitments != null && spec.format() == BillFormat.DBR) {
            upfrontName = Commitments.UPFRONT_FILE;
            commitments.writeUpfrontLedger(outDir.resolve(upfrontName));
        }
        MonthSummary summary = new MonthSummary(month, ledger, lives, extraDecimals, strayRows, commitments, split);
        summary.writeAreas(outDir.resolve("areas.json"));
        Manifest m = summary.manifest(billName, eventsName, upfrontName, sink);
        Files.writeString(outDir.resolve(Manifest.FILE_NAME), m.toJson());
        return m;
    }

    private void plan() {
        new MonthPlanner(month, events, planRng, noiseRng).plan();
        ledger.placeMalformed(spec.malformedRows(), month.estimatedRows);
        commitments = spec.commitments() ? new Commitments(month, ledger, commitmentsRng) : null;
        split = spec.splitCostAllocation() ? new SplitCostAllocation(month, ledger, splitRng) : null;
        // malformed event lines at random instants
        for (int i = 0; i < spec.events().malformedEvents(); i++) {
            events.push(uniform(malformedEventRng, month.start - DAY, month.end - MINUTE), EVENT_MALFORMED, null, null,
                    0, 0, null, null);
        }
    }

    private void simulate(TaskScheduler tasks, TaskLifecycle lives) throws IOException {
        UsageRows usage = new UsageRows(month, lives, ledger, rowRng, commitments, split);
        ChargeRows charges = new ChargeRows(month, ledger, extraDecimals, commitments);
        ledger.writeHeader();
        tasks.startInitialTasks();
        events.drain(month.start);
        charges.headRows();
        for (int h = 0; h < month.hours; h++) {
            long hs = times.hourStart(h);
            long he = hs + HOUR;
            tasks.tasksForHour(h, hs, he);
            events.drain(he);
            usage.hourRows(h, hs, he);
            if (h == month.hours / 2) {
                charges.midMonthBlankRow(hs, he);
            }
            while (strayRows.due(h)) {
                ledger.otherPeriod(strayRows.next(ledger.row, month.accounts, month.areas, month.invoiceMain));
            }
        }
        events.drain(month.end);
        events.clear();
        charges.tailRows();
    }
}
