package dev.tally.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.history.History;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryStore;
import dev.tally.rollup.Rollup;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing function's decisions, on in-memory ports: what is rolled up, what is a duplicate or
 * superseded, where the outputs go, when the finalized tables are replaced, and how a failed warehouse
 * load is retried. The same flows run against S3Mock, dynalite and PostgreSQL in the function's ITs.
 */
class DeliveryProcessorTest {
    private static final String BILLS = "billing";
    private static final String OUT = "tally-out";
    private static final String DBR_KEY = "123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final InMemoryObjectStore store = new InMemoryObjectStore(false, Instant.parse("2017-03-01T00:00:00Z"));
    private final InMemoryDeliveryLedger ledger = new InMemoryDeliveryLedger();
    private final List<RunRecord> loaded = new ArrayList<>();
    private int failLoads;
    private Manifest month;
    private History history;
    private ProductAreaMap areas;

    private final Warehouse warehouse = run -> {
        if (failLoads > 0) {
            failLoads--;
            throw new Warehouse.WarehouseException("connection refused", null);
        }
        loaded.add(run);
    };

    @BeforeEach
    void month() throws IOException {
        month = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.DBR).compression(Compression.ZIP)
                .seed(3).targetRows(3000).estimated(true).build(), dir.resolve("m"));
        history = RollupRunner.loadHistory(dir.resolve("m").resolve(month.eventsFile())).history();
        areas = dev.tally.rollup.ProductAreaFile.read(dir.resolve("m").resolve(month.areasFile()));
    }

    private DeliveryProcessor processor() {
        HistoryStore historyStore = new HistoryStore() {
            @Override
            public void record(HistoryEvent event) {
                throw new UnsupportedOperationException();
            }

            @Override
            public History load(YearMonth period) {
                return history;
            }
        };
        ProductAreaStore areaStore = new ProductAreaStore() {
            @Override
            public ProductAreaMap load() {
                return areas;
            }

            @Override
            public String replace(ProductAreaMap map) {
                throw new UnsupportedOperationException();
            }
        };
        return new DeliveryProcessor(store, ledger, historyStore, areaStore, warehouse,
                new DeliveryProcessor.Settings(OUT, "", month.tagKey(), Duration.ofMinutes(20), RollupRunner.Engine.FAST),
                Clock.fixed(Instant.parse("2017-03-02T00:00:00Z"), ZoneOffset.UTC));
    }

    /** Uploads a bill and returns the notification S3 would send for it. */
    private S3Notifications.Notice upload(String key, byte[] content, String sequencer) {
        ObjectStore.StoredObject put = store.upload(BILLS, key, content);
        return notice(key, put.eTag(), sequencer);
    }

    private static S3Notifications.Notice notice(String key, String eTag, String sequencer) {
        String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/");
        return new S3Notifications.Notice.Created(new ObjectCreated(BILLS, key, encoded, "", eTag, sequencer,
                1L << 33, null, "msg-" + sequencer));
    }

    private byte[] bill(boolean estimated) throws IOException {
        Path out = dir.resolve(estimated ? "est" : "final");
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.DBR).compression(Compression.ZIP)
                .seed(3).targetRows(3000).estimated(estimated).build(), out);
        return Files.readAllBytes(out.resolve(m.billFile()));
    }

    private Rollup expected(byte[] bill) throws IOException {
        Path file = Files.write(dir.resolve("expected.csv.zip"), bill);
        return new RollupRunner().run(new RollupRunner.Request(file, dir.resolve("m").resolve(month.eventsFile()),
                dir.resolve("m").resolve(month.areasFile()), month.tagKey(), null), b -> { });
    }

    private String text(String key) {
        return new String(store.content(OUT, key).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shouldRollUpADbrDelivery_andWriteItsRunWhereAthenaFindsIt() throws IOException {
        byte[] bill = bill(true);

        List<DeliveryProcessor.Outcome> outcomes = processor().process(List.of(upload(DBR_KEY, bill, "0A")));

        DeliveryProcessor.Outcome outcome = outcomes.get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryProcessor.Status.ROLLED_UP);
        Rollup expected = expected(bill);
        assertThat(outcome.summary().totalCost()).isEqualTo(expected.summary().totalCost());
        String runId = outcome.run().runId();
        for (RollupTables table : RollupTables.values()) {
            String key = "rollups/" + table.id() + "/billing_period=2017-02/run_id=" + runId + "/part-0.csv";
            assertThat(outcome.run().tables().get(table)).isEqualTo(key);
            assertThat(text(key)).isEqualTo(new String(table.bytes(expected, false), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)).lines())
                .first().isEqualTo("product_area,cost");
        assertThat(text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)).lines())
                .hasSize(expected.productAreaCosts().size() + 1).element(1).asString().doesNotStartWith("2017-02");
        assertThat(JSON.readTree(text("runs/billing_period=2017-02/run_id=" + runId + "/summary.json"))
                .path("total_cost").asText()).isEqualTo(dev.tally.money.Money.format(expected.summary().totalCost()));
        assertThat(store.keys(OUT)).noneMatch(k -> k.startsWith("finalized/"));
        assertThat(loaded).extracting(RunRecord::runId).containsExactly(runId);
        assertThat(outcome.message()).isEqualTo("msg-0A");
    }

    @Test
    void shouldRollUpADeliveryOnce_andLetNoOlderDeliveryPassANewerOne() throws IOException {
        DeliveryProcessor processor = processor();
        byte[] estimated = bill(true);
        S3Notifications.Notice first = upload(DBR_KEY, estimated, "0A");
        byte[] fin = bill(false);
        S3Notifications.Notice second = upload(DBR_KEY, fin, "0B");

        List<DeliveryProcessor.Outcome> outcomes = processor.process(List.of(second, second, first));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status).containsExactly(
                DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.DUPLICATE,
                DeliveryProcessor.Status.SUPERSEDED);
        assertThat(outcomes.get(0).summary().isFinal()).isTrue();
        assertThat(loaded).hasSize(1);
    }

    @Test
    void shouldKeepEveryRun_butFinalizeOnlyFromAFinalBill() throws IOException {
        DeliveryProcessor processor = processor();
        DeliveryProcessor.Outcome estimated = processor.process(List.of(upload(DBR_KEY, bill(true), "0A"))).get(0);
        assertThat(store.keys(OUT)).noneMatch(k -> k.startsWith("finalized/"));

        DeliveryProcessor.Outcome fin = processor.process(List.of(upload(DBR_KEY, bill(false), "0B"))).get(0);

        assertThat(estimated.summary().isFinal()).isFalse();
        assertThat(fin.run().finalized()).isTrue();
        assertThat(store.keys(OUT)).contains(estimated.run().tables().get(RollupTables.SERVICE_COSTS),
                fin.run().tables().get(RollupTables.SERVICE_COSTS),
                "finalized/service_costs/billing_period=2017-02/part-0.csv",
                "finalized/_runs/billing_period=2017-02/run.json");
        assertThat(text("finalized/product_area_costs/billing_period=2017-02/part-0.csv"))
                .isEqualTo(text(fin.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)));
        assertThat(JSON.readTree(text("finalized/_runs/billing_period=2017-02/run.json")).path("run_id").asText())
                .isEqualTo(fin.run().runId());
        assertThat(loaded).extracting(RunRecord::finalized).containsExactly(false, true);
    }

    @Test
    void shouldLoadAFailedRunIntoTheWarehouseWhenItsDeliveryComesAgain_withoutRollingUpAgain() throws IOException {
        DeliveryProcessor processor = processor();
        failLoads = 1;
        S3Notifications.Notice notice = upload(DBR_KEY, bill(false), "0A");

        DeliveryProcessor.Outcome failed = processor.process(List.of(notice)).get(0);
        int objects = store.keys(OUT).size();
        DeliveryProcessor.Outcome retried = processor.process(List.of(notice)).get(0);
        DeliveryProcessor.Outcome again = processor.process(List.of(notice)).get(0);

        assertThat(failed.status()).isEqualTo(DeliveryProcessor.Status.FAILED);
        assertThat(failed.reason()).contains("warehouse load failed", "connection refused");
        assertThat(retried.status()).isEqualTo(DeliveryProcessor.Status.DUPLICATE);
        assertThat(retried.reason()).contains("loaded into the warehouse now");
        assertThat(store.keys(OUT)).hasSize(objects);
        assertThat(loaded).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(failed.run().runId());
            assertThat(run.finalized()).isTrue();
            assertThat(run.totalCost()).isEqualTo(failed.summary().totalCost());
        });
        assertThat(again.status()).isEqualTo(DeliveryProcessor.Status.DUPLICATE);
        assertThat(loaded).hasSize(1);
    }

    @Test
    void shouldRollUpALegacyCurManifestsPartsAsOneBill() throws IOException {
        Path out = dir.resolve("cur");
        Manifest cur = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR).compression(Compression.GZIP)
                .seed(3).targetRows(3000).build(), out);
        byte[] whole = Files.readAllBytes(out.resolve(cur.billFile()));
        String prefix = "cur/hourly/20170201-20170301/";
        store.upload(BILLS, prefix + "asm-1/hourly-1.csv.gz", whole);
        S3Notifications.Notice manifest = upload(prefix + "hourly-Manifest.json", ("{\"assemblyId\": \"asm-1\", "
                + "\"bucket\": \"" + BILLS + "\", \"billingPeriod\": {\"start\": \"20170201T000000.000Z\"}, "
                + "\"reportKeys\": [\"" + prefix + "asm-1/hourly-1.csv.gz\"]}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "0C");
        S3Notifications.Notice assemblyCopy = upload(prefix + "asm-1/hourly-Manifest.json",
                store.content(BILLS, prefix + "hourly-Manifest.json").orElseThrow(), "0D");

        List<DeliveryProcessor.Outcome> outcomes = processor().process(List.of(manifest, assemblyCopy,
                notice(prefix + "asm-1/hourly-1.csv.gz", "", "0E")));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status).containsExactly(
                DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.DUPLICATE,
                DeliveryProcessor.Status.IGNORED);
        assertThat(outcomes.get(0).summary().totalCost()).isEqualByComparingTo(cur.totalCost());
        assertThat(outcomes.get(0).summary().format()).isEqualTo("cur");
    }

    @Test
    void shouldIgnoreTestEventsAndObjectsThatAreNoBill_andReportAMissingObject() {
        List<DeliveryProcessor.Outcome> outcomes = processor().process(List.of(
                new S3Notifications.Notice.Test(BILLS, "m1"),
                notice("notes/readme.txt", "", "01"),
                notice(DBR_KEY, "abc", "02")));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status).containsExactly(
                DeliveryProcessor.Status.IGNORED, DeliveryProcessor.Status.IGNORED, DeliveryProcessor.Status.FAILED);
        assertThat(outcomes.get(2).reason()).contains("no such object");
        assertThat(store.keys(OUT)).isEmpty();
    }

    @Test
    void shouldCallAStaleNotificationSuperseded_whenTheObjectChangedSince() throws IOException {
        S3Notifications.Notice old = upload(DBR_KEY, bill(true), "0A");
        upload(DBR_KEY, bill(false), "0B");

        DeliveryProcessor.Outcome outcome = processor().process(List.of(old)).get(0);

        assertThat(outcome.status()).isEqualTo(DeliveryProcessor.Status.SUPERSEDED);
        assertThat(outcome.reason()).contains("changed since");
    }
}
