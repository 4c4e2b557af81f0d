package dev.tally.delivery;

import dev.tally.InputException;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.allocation.UpfrontLedger;
import dev.tally.billing.Bill;
import dev.tally.billing.BillManifest;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.billing.ReadSettings;
import dev.tally.history.HistoryStore;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the billing function does with each notification: is it a bill delivery; has it been rolled up
 * already, or passed by a newer delivery; if not, roll the bill up from the store (streamed, parts as one
 * bill), write the run's outputs, replace the period's finalized tables when the bill is final, load the
 * run into the warehouse. Each notice is handled on its own: one that fails is reported and the others go
 * on. A run that failed only in the warehouse is loaded again from its outputs when its delivery comes
 * again, without rolling up again. With a {@link Distribution}, a manifest of many parts is claimed here and handed
 * to a distributed run, whose workers read the parts and merge them ({@link DistributedRollups}).
 *
 * <p>A delivery is rolled up on every configured cost basis ({@link Settings#bases()}), one run per basis: the bill
 * is read once per basis, each run claimed, written, finalized and loaded as a delivery of its own in the ledger
 * ({@link DeliveryLedger.DeliveryId#onBasis}). So the delivery is done once every basis is, a duplicate notification
 * finds every basis done and writes nothing, and a retry after one basis succeeded redoes only the other.
 */
public final class DeliveryProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryProcessor.class);

    /**
     * @param outputBucket where runs and finalized tables go
     * @param outputPrefix a key prefix there ({@code ""} for none)
     * @param tagKey       the cost-allocation tag naming a product area
     * @param lease        how long a claimed delivery is held before another invocation may take it over
     *                     (longer than the function's timeout)
     * @param bases        the cost bases (§8) every delivery is rolled up on, each a run of its own, in
     *                     {@link CostBasis} order, at least one
     * @param upfrontLedger the key in {@code outputBucket} of the upfront ledger ({@link UpfrontLedger}, the
     *                     {@code --upfront} file) that spreads a DBR bill's sign-up charges on the amortized basis;
     *                     empty: DBR bills are not rolled up on the amortized basis (they have no amortization
     *                     columns, and leaving their upfront fees out would understate the month)
     * @param ecsSplit     how rule 1 splits an ECS host instance (§9): by the history's CPU-seconds ({@code events})
     *                     or by AWS's split cost allocation data where the bill has it ({@code aws}); the same for every
     *                     basis, and for the parts and merge of a distributed run
     */
    public record Settings(String outputBucket, String outputPrefix, String tagKey, Duration lease,
                           RollupRunner.Engine engine, List<CostBasis> bases, Optional<String> upfrontLedger,
                           EcsSplit ecsSplit) {
        public Settings {
            if (ecsSplit == null) {
                throw new IllegalArgumentException("ECS split must be given");
            }
            bases = List.copyOf(bases);
            if (bases.isEmpty()) {
                throw new IllegalArgumentException("at least one cost basis");
            }
            if (!bases.equals(bases.stream().distinct().sorted().toList())) {
                throw new IllegalArgumentException("cost bases once each, in their order: " + bases);
            }
            if (upfrontLedger.isPresent() && !bases.contains(CostBasis.AMORTIZED)) {
                throw new IllegalArgumentException("an upfront ledger is read on the amortized basis only");
            }
        }

        /** Rule 1 by CPU-seconds (§3 as written). */
        public Settings(String outputBucket, String outputPrefix, String tagKey, Duration lease,
                        RollupRunner.Engine engine, List<CostBasis> bases, Optional<String> upfrontLedger) {
            this(outputBucket, outputPrefix, tagKey, lease, engine, bases, upfrontLedger, EcsSplit.EVENTS);
        }

        /** The unblended basis only, rule 1 by CPU-seconds (§1–§7 as written). */
        public Settings(String outputBucket, String outputPrefix, String tagKey, Duration lease,
                        RollupRunner.Engine engine) {
            this(outputBucket, outputPrefix, tagKey, lease, engine, List.of(CostBasis.UNBLENDED), Optional.empty());
        }

        /** How the billing function reads bills on one basis: by the tag key, with the configured ECS split. */
        public ReadSettings readSettings(CostBasis basis) {
            return new ReadSettings(tagKey, basis, ecsSplit);
        }
    }

    /** What became of one notice; {@code DISTRIBUTED}: handed to a distributed run, which rolls it up. */
    public enum Status { ROLLED_UP, DISTRIBUTED, IGNORED, DUPLICATE, SUPERSEDED, FAILED }

    /**
     * @param source   the object the notice named ({@code s3://…}), or empty
     * @param reason   why it was ignored, a duplicate, superseded or failed, or which run it was handed to; empty
     *                 when rolled up
     * @param summary  the run's summary, when rolled up
     * @param run      where its outputs went, when rolled up (or loaded again)
     * @param message  the SQS message the notice came in, or empty
     * @param bytesRead the bill's stored bytes read (all parts, all readings), when rolled up
     * @param costBasis the basis of the delivery's run this outcome is of; empty for a notice that is no delivery (or
     *                 whose bill could not be looked at), which has one outcome for all bases
     */
    public record Outcome(Status status, String source, String reason, Rollup.Summary summary, RunRecord run,
                          String message, long bytesRead, Optional<CostBasis> costBasis) {
        public Outcome(Status status, String source, String reason, Rollup.Summary summary, RunRecord run,
                       String message, long bytesRead) {
            this(status, source, reason, summary, run, message, bytesRead, Optional.empty());
        }

        static Outcome of(Status status, String source, String reason, String message) {
            return new Outcome(status, source, reason, null, null, message, 0);
        }

        /** This outcome, as the one of the delivery's run on {@code basis}. */
        public Outcome on(CostBasis basis) {
            return new Outcome(status, source, reason, summary, run, message, bytesRead, Optional.of(basis));
        }
    }

    private final ObjectStore store;
    private final DeliveryLedger ledger;
    private final HistoryStore history;
    private final ProductAreaStore areas;
    private final RollupOutputs outputs;
    private final RunCompletion completion;
    private final Settings settings;
    private final Clock clock;
    private final Optional<Distribution> distribution;

    public DeliveryProcessor(ObjectStore store, DeliveryLedger ledger, HistoryStore history, ProductAreaStore areas,
                             Warehouse warehouse, Settings settings, Clock clock) {
        this(store, ledger, history, areas, warehouse, settings, clock, Optional.empty());
    }

    /** @param distribution when bills of many parts are rolled up by a distributed run instead; empty: never */
    public DeliveryProcessor(ObjectStore store, DeliveryLedger ledger, HistoryStore history, ProductAreaStore areas,
                             Warehouse warehouse, Settings settings, Clock clock, Optional<Distribution> distribution) {
        this.store = store;
        this.ledger = ledger;
        this.history = history;
        this.areas = areas;
        this.outputs = new RollupOutputs(store, settings.outputBucket(), settings.outputPrefix());
        this.completion = new RunCompletion(ledger, warehouse, outputs, clock);
        this.settings = settings;
        this.clock = clock;
        this.distribution = distribution;
    }

    /**
     * Every notice, in order; never throws for one notice. A delivery has an outcome per configured basis (in
     * {@link CostBasis} order), any other notice one.
     */
    public List<Outcome> process(List<S3Notifications.Notice> notices) {
        List<Outcome> outcomes = new ArrayList<>(notices.size() * settings.bases().size());
        for (S3Notifications.Notice notice : notices) {
            for (Outcome outcome : process(notice)) {
                LOG.info("{} {}{}{}", outcome.status().name().toLowerCase(java.util.Locale.ROOT), outcome.source(),
                        outcome.costBasis().map(b -> " (" + b.id() + ")").orElse(""),
                        outcome.reason().isEmpty() ? "" : ": " + outcome.reason());
                outcomes.add(outcome);
            }
        }
        return outcomes;
    }

    private List<Outcome> process(S3Notifications.Notice notice) {
        if (notice instanceof S3Notifications.Notice.Created created) {
            return created(created.object());
        }
        if (notice instanceof S3Notifications.Notice.Test test) {
            return List.of(Outcome.of(Status.IGNORED, "s3://" + test.bucket(), "S3 test event", test.message()));
        }
        S3Notifications.Notice.Unusable unusable = (S3Notifications.Notice.Unusable) notice;
        return List.of(Outcome.of(Status.IGNORED, "", unusable.reason(), unusable.message()));
    }

    private List<Outcome> created(ObjectCreated object) {
        BillDelivery.Classified classified = BillDelivery.classify(object);
        if (classified instanceof BillDelivery.Classified.Ignored ignored) {
            return List.of(Outcome.of(Status.IGNORED, object.uri(), ignored.reason(), object.message()));
        }
        BillDelivery delivery = ((BillDelivery.Classified.Found) classified).delivery();
        Resolved resolved;
        try {
            resolved = resolve(delivery);
        } catch (IOException | UncheckedIOException | InputException e) {
            LOG.warn("{}: {}", object.uri(), e.getMessage());
            return List.of(Outcome.of(Status.FAILED, object.uri(), e.getMessage(), object.message()));
        }
        if (!resolved.stale().isEmpty()) {
            return List.of(Outcome.of(Status.SUPERSEDED, object.uri(), resolved.stale(), object.message()));
        }
        if (resolved.parts().isEmpty()) {
            return List.of(Outcome.of(Status.IGNORED, object.uri(), "the manifest lists no parts", object.message()));
        }
        // Each basis is a run of its own, claimed and marked on its own: one that fails leaves the other's done.
        List<Outcome> outcomes = new ArrayList<>();
        for (CostBasis basis : settings.bases()) {
            Outcome outcome;
            try {
                outcome = deliver(resolved, basis);
            } catch (IOException | UncheckedIOException | InputException e) {
                LOG.warn("{} ({}): {}", object.uri(), basis.id(), e.getMessage());
                outcome = Outcome.of(Status.FAILED, object.uri(), e.getMessage(), object.message());
            }
            outcomes.add(outcome.on(basis));
        }
        return outcomes;
    }

    /** The bill a delivery names, once its objects are looked at. */
    private record Resolved(BillDelivery delivery, String key, String order, List<StoredBillPart> parts,
                            String stale) {
    }

    private Outcome deliver(Resolved resolved, CostBasis basis) throws IOException {
        BillDelivery delivery = resolved.delivery();
        ObjectCreated object = delivery.object();
        boolean dbrAmortized = basis == CostBasis.AMORTIZED && delivery.kind() == BillDelivery.Kind.DBR;
        if (dbrAmortized && settings.upfrontLedger().isEmpty()) {
            return Outcome.of(Status.IGNORED, object.uri(), "not rolled up on the amortized basis: a DBR bill has no "
                    + "amortization columns, and no upfront ledger is configured to spread its sign-up charges "
                    + "(the billing function's UPFRONT_LEDGER_KEY)", object.message());
        }
        DeliveryLedger.DeliveryId id = new DeliveryLedger.DeliveryId(delivery.scope(), delivery.period(),
                resolved.key()).onBasis(basis);
        Instant started = clock.instant();
        DeliveryLedger.Claim claim = ledger.claim(id, resolved.order(), started, settings.lease());
        if (claim instanceof DeliveryLedger.Claim.Held held) {
            return completion.again(held.entry(), object.uri(), object.message());
        }
        if (!ledger.advance(id, resolved.order())) {
            ledger.mark(id, DeliveryLedger.State.SUPERSEDED, "", "a later delivery of the bill was rolled up");
            return Outcome.of(Status.SUPERSEDED, object.uri(), "a later delivery of this bill and period was rolled "
                    + "up already", object.message());
        }
        Optional<Distribution> distributed = distribution.filter(d -> d.applies(delivery.kind(),
                resolved.parts().size()));
        if (distributed.isPresent()) {
            return distribute(distributed.get().runs(), id, resolved, basis, started, object);
        }
        Bill bill = new Bill(object.uri(), List.copyOf(resolved.parts()));
        AtomicLong read = new AtomicLong();
        return completion.complete(id, resolved.order(), object.uri(), started, object.message(), () -> {
            UpfrontLedger upfront = dbrAmortized ? upfrontLedger() : null;
            return new RollupRunner(clock, settings.engine()).run(new RollupRunner.Request(bill, null, null,
                            settings.tagKey(), null, false, basis, upfront, settings.ecsSplit()), areas.load(), history,
                    bytes -> read.accumulateAndGet(bytes, Math::max));
        }, read::get);
    }

    /** The configured upfront ledger, read for every run: an edit to it applies from the next delivery on. */
    private UpfrontLedger upfrontLedger() throws IOException {
        String key = settings.upfrontLedger().orElseThrow();
        try (InputStream in = store.get(settings.outputBucket(), key, "", "")) {
            return UpfrontLedger.parse("s3://" + settings.outputBucket() + "/" + key, in.readAllBytes());
        }
    }

    /**
     * Hands a claimed delivery to a distributed run: its parts listed in the output bucket, an execution started
     * under the delivery's name. A second notification of the delivery finds the execution there and starts none.
     */
    private Outcome distribute(DistributedRuns runs, DeliveryLedger.DeliveryId id, Resolved resolved,
                               CostBasis basis, Instant started, ObjectCreated object) throws IOException {
        List<DistributedRun.Part> parts = new ArrayList<>();
        for (StoredBillPart part : resolved.parts()) {
            parts.add(new DistributedRun.Part(parts.size(), part.bucket(), part.key(), part.versionId(), part.eTag(),
                    part.size()));
        }
        String execution = DistributedRun.executionName(id);
        DistributedRun run = new DistributedRun(new RollupRunner(clock).newRunId(), object.uri(), id,
                resolved.order(), started, settings.outputBucket(), outputs.workKey(execution, "parts.json"),
                parts.size(), basis);
        boolean startedNow;
        try {
            store.put(run.bucket(), run.partsKey(), DistributedRun.partsJson(parts), "application/json");
            startedNow = runs.start(run);
        } catch (IOException | RuntimeException e) {
            ledger.mark(id, DeliveryLedger.State.FAILED, "", "distributed run not started");
            throw e;
        }
        if (!startedNow) {
            return Outcome.of(Status.DUPLICATE, object.uri(), "a distributed run of this delivery was started "
                    + "already (execution " + execution + ")", object.message());
        }
        return Outcome.of(Status.DISTRIBUTED, object.uri(), "rolled up by a distributed run of its " + parts.size()
                + " parts (execution " + execution + ", run " + run.runId() + ")", object.message());
    }

    private Resolved resolve(BillDelivery delivery) throws IOException {
        ObjectCreated object = delivery.object();
        Optional<ObjectStore.StoredObject> head = store.head(object.bucket(), object.key(), object.versionId());
        String key = object.key();
        if (head.isEmpty() && !object.rawKey().equals(object.key())) {
            head = store.head(object.bucket(), object.rawKey(), object.versionId());
            key = object.rawKey();
        }
        if (head.isEmpty()) {
            throw new ObjectStore.NotFound(object.uri());
        }
        ObjectStore.StoredObject stored = head.get();
        String order = String.format("%013d#%040x", stored.lastModified().toEpochMilli(), object.sequencerValue());
        boolean versioned = !object.versionId().isEmpty();
        if (!versioned && !object.eTag().isEmpty() && !object.eTag().equals(stored.eTag())) {
            return new Resolved(delivery, "", order, List.of(), "the object changed since this notification (a newer "
                    + "notification follows)");
        }
        String objectKey = versioned ? "v:" + object.versionId() : "e:" + stored.eTag() + "@" + object.sequencer();
        if (delivery.kind() == BillDelivery.Kind.DBR) {
            return new Resolved(delivery, objectKey, order, List.of(new StoredBillPart(store, object.bucket(), key,
                    object.versionId(), stored.eTag(), stored.size())), "");
        }
        BillManifest manifest;
        try (InputStream in = store.get(object.bucket(), key, object.versionId(), versioned ? "" : stored.eTag())) {
            manifest = BillManifest.parse(object.uri(), in);
        }
        List<StoredBillPart> parts = new ArrayList<>();
        for (BillManifest.ObjectKey part : manifest.parts()) {
            ObjectStore.StoredObject p = store.head(part.bucket(), part.key(), "")
                    .orElseThrow(() -> new ObjectStore.NotFound(part.uri()));
            parts.add(new StoredBillPart(store, part.bucket(), part.key(), "", p.eTag(), p.size()));
        }
        String deliveryKey = manifest.deliveryId().isEmpty() ? objectKey : "m:" + manifest.deliveryId();
        return new Resolved(delivery.withPeriod(manifest.billingPeriod()), deliveryKey, order, parts, "");
    }
}
