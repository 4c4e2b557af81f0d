package dev.tally.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.BillParts;
import dev.tally.RepoFiles;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.history.EventFiles;
import dev.tally.history.InMemoryHistoryStore;
import dev.tally.rollup.ProductAreaFile;
import dev.tally.rollup.RollupRunner;
import dev.tally.rollup.RollupTables;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A legacy CUR manifest of three parts handed to a distributed run, on in-memory ports: the billing function claims
 * it and starts one run (never two for one delivery), the part workers and the merge roll it up, and the run's
 * outputs, ledger and warehouse load are those of the same bill rolled up in the notified invocation.
 */
class DistributedRollupsTest {
    private static final String BILLS = "billing";
    private static final String OUT = "tally-out";
    private static final String PREFIX = "cur/hourly/20170201-20170301/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs by execution name, as Step Functions keeps them: a name starts one execution. */
    private final Map<String, DistributedRun> started = new LinkedHashMap<>();
    private final DistributedRuns runs = run -> started.putIfAbsent(run.executionName(), run) == null;
    private final List<RunRecord> loaded = new ArrayList<>();
    private int failLoads;
    private final Warehouse warehouse = run -> {
        if (failLoads > 0) {
            failLoads--;
            throw new Warehouse.WarehouseException("connection refused", null);
        }
        loaded.add(run);
    };
    private Clock clock = Clock.fixed(Instant.parse("2017-03-02T00:00:00Z"), ZoneOffset.UTC);
    private InMemoryObjectStore store;
    private InMemoryDeliveryLedger ledger;
    private InMemoryHistoryStore history;
    private ProductAreaStore areas;
    private Manifest month;
    private Path monthDir;

    private List<CostBasis> bases = List.of(CostBasis.UNBLENDED);
    private EcsSplit ecsSplit = EcsSplit.EVENTS;

    @BeforeEach
    void month() throws IOException {
        month(false);
    }

    private void month(boolean commitments) throws IOException {
        month = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR).compression(Compression.GZIP)
                .seed(4).targetRows(6000).malformedRows(2).commitments(commitments).build(),
                dir.resolve(commitments ? "mc" : "m"));
        monthDir = dir.resolve(commitments ? "mc" : "m");
        history = new InMemoryHistoryStore();
        EventFiles.read(monthDir.resolve(month.eventsFile()), history::record);
        ProductAreaMap map = ProductAreaFile.read(monthDir.resolve(month.areasFile()));
        areas = new ProductAreaStore() {
            @Override
            public ProductAreaMap load() {
                return map;
            }

            @Override
            public String replace(ProductAreaMap replacement) {
                throw new UnsupportedOperationException("the rollup only reads the map");
            }
        };
        store = new InMemoryObjectStore(false, Instant.parse("2017-03-01T00:00:00Z"));
        ledger = new InMemoryDeliveryLedger();
    }

    private DeliveryProcessor.Settings settings() {
        return new DeliveryProcessor.Settings(OUT, "tally/", month.tagKey(), Duration.ofMinutes(20),
                RollupRunner.Engine.FAST, bases, Optional.empty(), ecsSplit);
    }

    private DeliveryProcessor processor(Optional<Distribution> distribution) {
        return new DeliveryProcessor(store, ledger, history, areas, warehouse, settings(), clock, distribution);
    }

    private DistributedRollups workers() {
        return new DistributedRollups(store, ledger, history, areas, warehouse, settings(), clock);
    }

    /** Puts the month as a legacy CUR delivery of {@code n} parts; returns the manifest's notice. */
    private S3Notifications.Notice deliver(int n) throws IOException {
        return deliver(BillParts.split(Files.readAllBytes(monthDir.resolve(month.billFile())), n));
    }

    /** Puts gzip parts as a legacy CUR delivery; returns the manifest's notice. */
    private S3Notifications.Notice deliver(List<byte[]> parts) throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            keys.add(PREFIX + "asm-1/hourly-" + (i + 1) + ".csv.gz");
            store.upload(BILLS, keys.get(i), parts.get(i));
        }
        String key = PREFIX + "hourly-Manifest.json";
        ObjectStore.StoredObject manifest = store.upload(BILLS, key, ("{\"assemblyId\": \"asm-1\", \"bucket\": \""
                + BILLS + "\", \"billingPeriod\": {\"start\": \"20170201T000000.000Z\"}, \"reportKeys\": "
                + JSON.writeValueAsString(keys) + "}").getBytes(StandardCharsets.UTF_8));
        return new S3Notifications.Notice.Created(new ObjectCreated(BILLS, key, key, "", manifest.eTag(), "0A", -1,
                null, "msg-1"));
    }

    /** What the state machine does with a started run: each part to a worker, then the merge. */
    private DeliveryProcessor.Outcome execute(DistributedRun run) throws IOException {
        JsonNode parts = JSON.readTree(store.content(OUT, run.partsKey()).orElseThrow());
        for (DistributedRun.Part part : DistributedRun.partsFromJson(parts)) {
            assertThat(workers().readPart(run, part)).isEqualTo(run.partReadKey(part.index()));
        }
        return workers().merge(run);
    }

    private String text(String key) {
        return new String(store.content(OUT, key).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldHandAManifestOfManyPartsToOneDistributedRun_listingItsPartsInOrder() throws IOException {
        S3Notifications.Notice notice = deliver(3);

        DeliveryProcessor.Outcome outcome = processor(Optional.of(new Distribution(runs, 2))).process(List.of(notice))
                .get(0);

        assertThat(outcome.status()).isEqualTo(DeliveryProcessor.Status.DISTRIBUTED);
        assertThat(started).hasSize(1);
        DistributedRun run = started.values().iterator().next();
        assertThat(outcome.reason()).contains("3 parts", run.executionName(), run.runId());
        assertThat(run.executionName()).matches("bill-2017-02-[0-9a-f]{40}");
        assertThat(run.partsKey()).isEqualTo("tally/work/" + run.executionName() + "/parts.json");
        assertThat(run.toString()).contains("m:asm-1");
        assertThat(DistributedRun.partsFromJson(JSON.readTree(store.content(OUT, run.partsKey()).orElseThrow())))
                .extracting(DistributedRun.Part::key).containsExactly(PREFIX + "asm-1/hourly-1.csv.gz",
                        PREFIX + "asm-1/hourly-2.csv.gz", PREFIX + "asm-1/hourly-3.csv.gz");
        assertThat(DistributedRun.fromJson(run.toJson())).isEqualTo(run);
        assertThat(ledger.get(run.id())).map(DeliveryLedger.Entry::state).contains(DeliveryLedger.State.CLAIMED);
        assertThat(store.keys(OUT)).noneMatch(k -> k.contains("rollups/"));
    }

    @Test
    void shouldStartNoSecondRun_whenTheNotificationComesAgain_evenAfterTheLeaseRanOut() throws IOException {
        S3Notifications.Notice notice = deliver(3);
        Optional<Distribution> distribution = Optional.of(new Distribution(runs, 2));
        processor(distribution).process(List.of(notice));

        DeliveryProcessor.Outcome busy = processor(distribution).process(List.of(notice)).get(0);
        clock = Clock.offset(clock, Duration.ofHours(1));
        DeliveryProcessor.Outcome late = processor(distribution).process(List.of(notice)).get(0);

        assertThat(busy.status()).isEqualTo(DeliveryProcessor.Status.DUPLICATE);
        assertThat(late.status()).isEqualTo(DeliveryProcessor.Status.DUPLICATE);
        assertThat(late.reason()).contains("started already", started.keySet().iterator().next());
        assertThat(started).hasSize(1);
    }

    @Test
    void shouldRollUpADistributedRun_exactlyAsTheNotifiedInvocationRollsTheBillUp() throws IOException {
        S3Notifications.Notice notice = deliver(3);
        processor(Optional.of(new Distribution(runs, 2))).process(List.of(notice));
        DistributedRun run = started.values().iterator().next();

        DeliveryProcessor.Outcome merged = execute(run);

        assertThat(merged.status()).isEqualTo(DeliveryProcessor.Status.ROLLED_UP);
        assertThat(merged.run().runId()).isEqualTo(run.runId());
        assertThat(merged.run().startedAt()).isEqualTo(run.startedAt());
        assertThat(ledger.get(run.id())).map(DeliveryLedger.Entry::state).contains(DeliveryLedger.State.LOADED);
        assertThat(loaded).extracting(RunRecord::runId).containsExactly(run.runId());
        Map<String, String> distributed = new LinkedHashMap<>();
        for (RollupTables table : RollupTables.values()) {
            distributed.put(table.id(), text(merged.run().tables().get(table)));
            distributed.put("finalized " + table.id(), text("tally/finalized/" + table.id()
                    + "/billing_period=2017-02/cost_basis=unblended/part-0.csv"));
        }
        JsonNode report = ((ObjectNode) JSON.readTree(text("tally/runs/billing_period=2017-02/cost_basis=unblended/run_id=" + run.runId()
                + "/report.json"))).without(List.of("run_id", "timings_ms"));

        // the same delivery rolled up in the invocation, in a fresh deployment
        month();
        DeliveryProcessor.Outcome single = processor(Optional.empty()).process(List.of(deliver(3))).get(0);

        assertThat(single.status()).isEqualTo(DeliveryProcessor.Status.ROLLED_UP);
        assertThat(started).hasSize(1);
        for (RollupTables table : RollupTables.values()) {
            assertThat(distributed.get(table.id())).as(table.id()).isEqualTo(text(single.run().tables().get(table)));
            assertThat(distributed.get("finalized " + table.id())).as(table.id())
                    .isEqualTo(text("tally/finalized/" + table.id() + "/billing_period=2017-02/cost_basis=unblended/part-0.csv"));
        }
        JsonNode singleReport = ((ObjectNode) JSON.readTree(text("tally/runs/billing_period=2017-02/cost_basis=unblended/run_id="
                + single.run().runId() + "/report.json"))).without(List.of("run_id", "timings_ms"));
        assertThat(report).isEqualTo(singleReport);
        assertThat(merged.summary().totalCost()).isEqualTo(single.summary().totalCost());
        assertThat(merged.bytesRead()).isPositive();
    }

    @Test
    void shouldLoadTheRunAgainOnly_whenTheMergeIsRetriedAfterAFailedWarehouseLoad() throws IOException {
        processor(Optional.of(new Distribution(runs, 2))).process(List.of(deliver(3)));
        DistributedRun run = started.values().iterator().next();
        failLoads = 1;

        DeliveryProcessor.Outcome failed = execute(run);
        int objects = store.keys(OUT).size();
        DeliveryProcessor.Outcome retried = workers().merge(run);
        DeliveryProcessor.Outcome again = workers().merge(run);

        assertThat(failed.status()).isEqualTo(DeliveryProcessor.Status.FAILED);
        assertThat(failed.reason()).contains("warehouse load failed");
        assertThat(retried.status()).isEqualTo(DeliveryProcessor.Status.DUPLICATE);
        assertThat(retried.reason()).contains("loaded into the warehouse now");
        assertThat(again.status()).isEqualTo(DeliveryProcessor.Status.DUPLICATE);
        assertThat(store.keys(OUT)).hasSize(objects);
        assertThat(loaded).extracting(RunRecord::runId).containsExactly(run.runId());
    }

    @Test
    void shouldFailTheMergeAndItsClaim_whenAPartsReadIsMissing() throws IOException {
        processor(Optional.of(new Distribution(runs, 2))).process(List.of(deliver(3)));
        DistributedRun run = started.values().iterator().next();
        workers().readPart(run, DistributedRun.partsFromJson(JSON.readTree(store.content(OUT, run.partsKey())
                .orElseThrow())).get(0));

        DeliveryProcessor.Outcome merged = workers().merge(run);

        assertThat(merged.status()).isEqualTo(DeliveryProcessor.Status.FAILED);
        assertThat(merged.reason()).contains(run.partReadKey(1), "no such object");
        assertThat(ledger.get(run.id())).map(DeliveryLedger.Entry::state).contains(DeliveryLedger.State.FAILED);
        assertThat(store.keys(OUT)).noneMatch(k -> k.contains("/rollups/"));
        assertThat(loaded).isEmpty();
    }

    @Test
    void shouldRollUpInTheInvocation_aManifestOfFewerPartsThanTheThreshold() throws IOException {
        DeliveryProcessor.Outcome outcome = processor(Optional.of(new Distribution(runs, 4))).process(
                List.of(deliver(3))).get(0);

        assertThat(outcome.status()).isEqualTo(DeliveryProcessor.Status.ROLLED_UP);
        assertThat(started).isEmpty();
    }

    @Test
    void shouldFailTheRecordAndFreeTheClaim_whenTheRunCannotBeStarted() throws IOException {
        S3Notifications.Notice notice = deliver(2);
        boolean[] down = {true};
        DistributedRuns flaky = run -> {
            if (down[0]) {
                throw new IllegalStateException("Step Functions throttled the call");
            }
            return runs.start(run);
        };
        DeliveryProcessor processor = processor(Optional.of(new Distribution(flaky, 2)));

        assertThatThrownBy(() -> processor.process(List.of(notice))).hasMessageContaining("throttled");
        down[0] = false;
        DeliveryProcessor.Outcome retried = processor.process(List.of(notice)).get(0);

        assertThat(retried.status()).isEqualTo(DeliveryProcessor.Status.DISTRIBUTED);
        assertThat(started).hasSize(1);
    }

    @Test
    void shouldDistributeOnlyManifestsOfAtLeastTheThresholdsParts() {
        Distribution distribution = new Distribution(runs, 3);

        assertThat(distribution.applies(BillDelivery.Kind.CUR_MANIFEST, 3)).isTrue();
        assertThat(distribution.applies(BillDelivery.Kind.DATA_EXPORTS_MANIFEST, 4)).isTrue();
        assertThat(distribution.applies(BillDelivery.Kind.CUR_MANIFEST, 2)).isFalse();
        assertThat(distribution.applies(BillDelivery.Kind.DBR, 3)).isFalse();
        assertThatThrownBy(() -> new Distribution(runs, 1)).hasMessageContaining("at least 2 parts");
    }

    @Test
    void shouldRunEachBasisAsARunOfItsOwn_readAndMergedOnItsBasis_asTheInvocationRollsItUp() throws IOException {
        bases = List.of(CostBasis.UNBLENDED, CostBasis.AMORTIZED);
        month(true);
        S3Notifications.Notice notice = deliver(3);

        List<DeliveryProcessor.Outcome> handed = processor(Optional.of(new Distribution(runs, 2)))
                .process(List.of(notice));
        List<DeliveryProcessor.Outcome> again = processor(Optional.of(new Distribution(runs, 2)))
                .process(List.of(notice));
        Map<CostBasis, DistributedRun> byBasis = new java.util.EnumMap<>(CostBasis.class);
        started.values().forEach(run -> byBasis.put(run.costBasis(), run));
        Map<CostBasis, DeliveryProcessor.Outcome> merged = new java.util.EnumMap<>(CostBasis.class);
        for (DistributedRun run : byBasis.values()) {
            merged.put(run.costBasis(), execute(DistributedRun.fromJson(run.toJson())));
        }
        Map<String, String> distributed = new LinkedHashMap<>();
        merged.forEach((basis, outcome) -> distributed.put(basis.id(),
                text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS))));

        assertThat(handed).extracting(DeliveryProcessor.Outcome::status).containsOnly(DeliveryProcessor.Status.DISTRIBUTED)
                .hasSize(2);
        assertThat(again).extracting(DeliveryProcessor.Outcome::status).containsOnly(DeliveryProcessor.Status.DUPLICATE)
                .hasSize(2);
        assertThat(started).hasSize(2);
        assertThat(byBasis).containsOnlyKeys(CostBasis.UNBLENDED, CostBasis.AMORTIZED);
        assertThat(byBasis.get(CostBasis.UNBLENDED).executionName())
                .isNotEqualTo(byBasis.get(CostBasis.AMORTIZED).executionName());
        assertThat(merged.get(CostBasis.UNBLENDED).summary().totalCost()).isEqualByComparingTo(month.totalCost());
        assertThat(merged.get(CostBasis.AMORTIZED).summary().totalCost())
                .isEqualByComparingTo(month.amortized().totalCost()).isNotEqualByComparingTo(month.totalCost());
        assertThat(merged.get(CostBasis.AMORTIZED).run().tables().get(RollupTables.PRODUCT_AREA_COSTS))
                .contains("/cost_basis=amortized/");
        assertThat(loaded).extracting(RunRecord::costBasis)
                .containsExactlyInAnyOrder(CostBasis.UNBLENDED, CostBasis.AMORTIZED);

        // the same delivery rolled up in the invocation, in a fresh deployment, gives the same tables per basis
        month(true);
        List<DeliveryProcessor.Outcome> single = processor(Optional.empty()).process(List.of(deliver(3)));
        for (DeliveryProcessor.Outcome outcome : single) {
            assertThat(text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)))
                    .as(outcome.costBasis().orElseThrow().id())
                    .isEqualTo(distributed.get(outcome.costBasis().orElseThrow().id()));
        }
    }

    /**
     * The split cost allocation sample (§9) as two parts, the split line items in the second: with {@code ECS_SPLIT}
     * {@code aws} the parts are read and merged by AWS's split, so the distributed run's tables, comparison and
     * summary are those of the invocation, and not those of the CPU-seconds split.
     */
    @Test
    void shouldReadAndMergeTheParts_withTheConfiguredEcsSplit_asTheInvocationDoes() throws IOException {
        Path sample = RepoFiles.events("split-cost-allocation");
        List<String> lines = Files.readAllLines(sample.resolve("cur-2017-02.csv"));
        List<String> hosts = new ArrayList<>(List.of(lines.get(0) + "\n"));
        List<String> tasks = new ArrayList<>(List.of(lines.get(0) + "\n"));
        for (String line : lines.subList(1, lines.size())) {
            (line.contains(":task/") ? tasks : hosts).add(line + "\n");
        }
        List<byte[]> parts = List.of(BillParts.gzip(hosts), BillParts.gzip(tasks));
        Map<EcsSplit, Map<String, String>> tables = new java.util.EnumMap<>(EcsSplit.class);
        for (EcsSplit split : EcsSplit.values()) {
            for (boolean distribute : List.of(true, false)) {
                ecsSplit = split;
                splitSample(sample);
                DeliveryProcessor.Outcome outcome;
                if (distribute) {
                    processor(Optional.of(new Distribution(runs, 2))).process(List.of(deliver(parts)));
                    outcome = execute(started.remove(started.keySet().iterator().next()));
                } else {
                    outcome = processor(Optional.empty()).process(List.of(deliver(parts))).get(0);
                }
                assertThat(outcome.status()).isEqualTo(DeliveryProcessor.Status.ROLLED_UP);
                assertThat(outcome.summary().ecsSplit()).isEqualTo(split.id());
                Map<String, String> written = new LinkedHashMap<>();
                for (RollupTables table : List.of(RollupTables.PRODUCT_AREA_COSTS, RollupTables.SERVICE_COSTS,
                        RollupTables.ECS_SPLIT_COMPARISON)) {
                    written.put(table.id(), text(outcome.run().tables().get(table)));
                }
                assertThat(text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS).replace(
                        "rollups/product_area_costs/", "runs/").replace("part-0.csv", "summary.json")))
                        .contains("\"ecs_split\" : \"" + split.id() + "\"");
                if (distribute) {
                    tables.put(split, written);
                } else {
                    assertThat(written).as(split.id()).isEqualTo(tables.get(split));
                }
            }
        }

        assertThat(tables.get(EcsSplit.AWS).get("product_area_costs")).isEqualTo(
                "product_area,cost\n(unallocated),0.1000000000\n(unmapped),2.3300000000\nalpha,0.4700000000\n");
        assertThat(tables.get(EcsSplit.EVENTS).get("product_area_costs"))
                .isNotEqualTo(tables.get(EcsSplit.AWS).get("product_area_costs"));
        assertThat(tables.get(EcsSplit.AWS).get("ecs_split_comparison"))
                .isEqualTo(tables.get(EcsSplit.EVENTS).get("ecs_split_comparison")).isEqualTo(
                        "cluster,service,product_area,events_cost,aws_cost,difference\n"
                                + "other,(unknown),(unmapped),0.0000000000,0.5000000000,0.5000000000\n"
                                + "prod,A,alpha,0.5000000000,0.3500000000,-0.1500000000\n"
                                + "prod,B,(unmapped),0.5000000000,0.6500000000,0.1500000000\n"
                                + "prod,C,(unmapped),0.0000000000,1.0000000000,1.0000000000\n");
    }

    /** A fresh deployment whose history and map are the split sample's. */
    private void splitSample(Path sample) {
        history = new InMemoryHistoryStore();
        EventFiles.read(sample.resolve("events.jsonl"), history::record);
        ProductAreaMap map = ProductAreaFile.read(sample.resolve("areas.json"));
        areas = new ProductAreaStore() {
            @Override
            public ProductAreaMap load() {
                return map;
            }

            @Override
            public String replace(ProductAreaMap replacement) {
                throw new UnsupportedOperationException("the rollup only reads the map");
            }
        };
        store = new InMemoryObjectStore(false, Instant.parse("2017-03-01T00:00:00Z"));
        ledger = new InMemoryDeliveryLedger();
    }
}
