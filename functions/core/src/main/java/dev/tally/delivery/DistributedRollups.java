package dev.tally.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.InputException;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.billing.Bill;
import dev.tally.billing.BillPart;
import dev.tally.history.HistoryStore;
import dev.tally.rollup.BillPartCodec;
import dev.tally.rollup.BillPartRead;
import dev.tally.rollup.RollupByParts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The workers of a distributed run ({@link DistributedRun}): each part of the bill read by a worker of its own, with
 * the history of its period, its read written beside the run's parts list; then one merge that reads the parts'
 * reads in part order, merges and finishes them ({@link RollupByParts}) and completes the run exactly as the billing
 * function completes one it read itself — the same outputs, ledger marks, finalized tables and warehouse load — so
 * that a distributed run cannot be told from one invocation's. Both steps may be retried: a part's read is written
 * whole under a fixed key, and a merge finds in the ledger what an earlier attempt of it finished. A run is of one cost
 * basis ({@link DistributedRun#costBasis()}): its parts are read and merged on that basis.
 */
public final class DistributedRollups {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedRollups.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<DeliveryLedger.State> DONE = Set.of(DeliveryLedger.State.ROLLED_UP,
            DeliveryLedger.State.LOADED, DeliveryLedger.State.SUPERSEDED);

    private final ObjectStore store;
    private final DeliveryLedger ledger;
    private final HistoryStore history;
    private final ProductAreaStore areas;
    private final DeliveryProcessor.Settings settings;
    private final RunCompletion completion;

    public DistributedRollups(ObjectStore store, DeliveryLedger ledger, HistoryStore history, ProductAreaStore areas,
                              Warehouse warehouse, DeliveryProcessor.Settings settings, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.history = history;
        this.areas = areas;
        this.settings = settings;
        this.completion = new RunCompletion(ledger, warehouse,
                new RollupOutputs(store, settings.outputBucket(), settings.outputPrefix()), clock);
    }

    /**
     * Reads one part of the run's bill and writes what it read.
     *
     * @return the key of the part's read in the run's bucket ({@link DistributedRun#partReadKey})
     */
    public String readPart(DistributedRun run, DistributedRun.Part part) throws IOException {
        BillPartRead read = rollup(run).read(part.in(store), areas.load(), history);
        String key = run.partReadKey(part.index());
        store.put(run.bucket(), key, BillPartCodec.encode(read), "application/gzip");
        return key;
    }

    /**
     * Merges the parts' reads into the run's rollup and completes the run; a run an earlier attempt completed is
     * only loaded into the warehouse again if its load failed. A merge that cannot be done (a part's read missing,
     * a bill part unreadable) is a {@code FAILED} outcome, as in the billing function.
     *
     * @throws IllegalStateException if the ledger has no entry for the run's delivery
     */
    public DeliveryProcessor.Outcome merge(DistributedRun run) {
        try {
            return complete(run);
        } catch (IOException | UncheckedIOException | InputException e) {
            LOG.warn("{} (run {}): {}", run.source(), run.runId(), e.getMessage());
            return DeliveryProcessor.Outcome.of(DeliveryProcessor.Status.FAILED, run.source(), e.getMessage(), "")
                    .on(run.costBasis());
        }
    }

    /** The parts of a run are read, and merged, on the run's basis. */
    private RollupByParts rollup(DistributedRun run) {
        return new RollupByParts(settings.engine(), settings.readSettings(run.costBasis()));
    }

    private DeliveryProcessor.Outcome complete(DistributedRun run) throws IOException {
        DeliveryLedger.Entry entry = ledger.get(run.id()).orElseThrow(() -> new IllegalStateException(
                "the ledger has no claim of " + run.source() + " for run " + run.runId()));
        if (DONE.contains(entry.state())) {
            return completion.again(entry, run.source(), "").on(run.costBasis());
        }
        List<DistributedRun.Part> parts;
        try (InputStream in = store.get(run.bucket(), run.partsKey(), "", "")) {
            parts = DistributedRun.partsFromJson(JSON.readTree(in));
        }
        if (parts.size() != run.parts()) {
            throw new IllegalStateException(run.partsKey() + " lists " + parts.size() + " parts, the run "
                    + run.parts());
        }
        List<BillPart> billParts = new ArrayList<>();
        long bytes = 0;
        for (DistributedRun.Part part : parts) {
            billParts.add(part.in(store));
            bytes += Math.max(0, part.size());
        }
        Bill bill = new Bill(run.source(), billParts);
        long stored = bytes;
        return completion.complete(run.id(), run.order(), run.source(), run.startedAt(), "", () -> {
            List<BillPartRead> reads = new ArrayList<>();
            for (DistributedRun.Part part : parts) {
                try (InputStream in = store.get(run.bucket(), run.partReadKey(part.index()), "", "")) {
                    reads.add(BillPartCodec.decode(in));
                }
            }
            return rollup(run).merge(bill, reads, areas.load(), history, run.runId());
        }, () -> stored).on(run.costBasis());
    }
}
