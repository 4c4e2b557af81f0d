package dev.tally.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.billing.CostBasis;
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
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return processor(new DeliveryProcessor.Settings(OUT, "", month.tagKey(), Duration.ofMinutes(20),
                RollupRunner.Engine.FAST), store);
    }

    private DeliveryProcessor processor(List<CostBasis> bases, Optional<String> upfront, ObjectStore objects) {
        return processor(new DeliveryProcessor.Settings(OUT, "", month.tagKey(), Duration.ofMinutes(20),
                RollupRunner.Engine.FAST, bases, upfront), objects);
    }

    private DeliveryProcessor processor(DeliveryProcessor.Settings settings, ObjectStore objects) {
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
        return new DeliveryProcessor(objects, ledger, historyStore, areaStore, warehouse, settings,
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
            String key = "rollups/" + table.id() + "/billing_period=2017-02/cost_basis=unblended/run_id=" + runId
                    + "/part-0.csv";
            assertThat(outcome.run().tables().get(table)).isEqualTo(key);
            assertThat(text(key)).isEqualTo(new String(table.bytes(expected, false), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)).lines())
                .first().isEqualTo("product_area,cost");
        assertThat(text(outcome.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)).lines())
                .hasSize(expected.productAreaCosts().size() + 1).element(1).asString().doesNotStartWith("2017-02");
        assertThat(JSON.readTree(text("runs/billing_period=2017-02/cost_basis=unblended/run_id=" + runId
                + "/summary.json")).path("total_cost").asText()).isEqualTo(dev.tally.money.Money.format(expected.summary().totalCost()));
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
                "finalized/service_costs/billing_period=2017-02/cost_basis=unblended/part-0.csv",
                "finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json");
        assertThat(text("finalized/product_area_costs/billing_period=2017-02/cost_basis=unblended/part-0.csv"))
                .isEqualTo(text(fin.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)));
        assertThat(JSON.readTree(text("finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json"))
                .path("run_id").asText())
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

    /** A CUR 2.0 month with reservations and savings plans, delivered as a Data Export; its notification. */
    private S3Notifications.Notice cur2Export(Manifest[] generated, boolean estimated, String execution,
                                              String sequencer) throws IOException {
        Path out = dir.resolve("cur2-" + execution);
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR2).compression(Compression.GZIP)
                .seed(3).targetRows(3000).commitments(true).estimated(estimated).build(), out);
        generated[0] = m;
        String data = "exports/cur2/data/BILLING_PERIOD=2017-02/" + execution + "/cur2-00001.csv.gz";
        store.upload(BILLS, data, Files.readAllBytes(out.resolve(m.billFile())));
        return upload("exports/cur2/metadata/BILLING_PERIOD=2017-02/cur2-Manifest.json", ("{\"executionId\": \""
                + execution + "\", \"dataFiles\": [\"s3://" + BILLS + "/" + data + "\"]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), sequencer);
    }

    private static final List<CostBasis> BOTH = List.of(CostBasis.UNBLENDED, CostBasis.AMORTIZED);

    private List<String> runRecords(String basis) {
        return store.keys(OUT).stream().filter(k -> k.startsWith("runs/billing_period=2017-02/cost_basis=" + basis
                + "/") && k.endsWith("/run.json")).toList();
    }

    @Test
    void shouldRollUpEveryConfiguredBasis_sideBySide_eachToItsOwnTotal_andADuplicateWritesNothing() throws IOException {
        Manifest[] m = new Manifest[1];
        S3Notifications.Notice notice = cur2Export(m, true, "e1", "0A");
        DeliveryProcessor processor = processor(BOTH, Optional.empty(), store);

        List<DeliveryProcessor.Outcome> outcomes = processor.process(List.of(notice));
        List<String> keys = List.copyOf(store.keys(OUT));
        List<DeliveryProcessor.Outcome> again = processor.process(List.of(notice));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.ROLLED_UP);
        assertThat(outcomes).extracting(o -> o.costBasis().orElseThrow()).containsExactlyElementsOf(BOTH);
        DeliveryProcessor.Outcome unblended = outcomes.get(0);
        DeliveryProcessor.Outcome amortized = outcomes.get(1);
        assertThat(unblended.summary().totalCost()).isEqualByComparingTo(m[0].totalCost());
        assertThat(amortized.summary().totalCost()).isEqualByComparingTo(m[0].amortized().totalCost())
                .isNotEqualByComparingTo(m[0].totalCost());
        assertThat(amortized.summary().costBasis()).isEqualTo("amortized");
        assertThat(unblended.run().runId()).isNotEqualTo(amortized.run().runId());
        assertThat(amortized.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)).isEqualTo("rollups/"
                + "product_area_costs/billing_period=2017-02/cost_basis=amortized/run_id=" + amortized.run().runId()
                + "/part-0.csv");
        BigDecimal sum = BigDecimal.ZERO;
        for (String line : text(amortized.run().tables().get(RollupTables.PRODUCT_AREA_COSTS)).lines().skip(1).toList()) {
            sum = sum.add(new BigDecimal(line.substring(line.lastIndexOf(',') + 1)));
        }
        assertThat(sum).isEqualByComparingTo(m[0].amortized().totalCost());
        assertThat(runRecords("unblended")).hasSize(1);
        assertThat(runRecords("amortized")).hasSize(1);
        assertThat(loaded).extracting(RunRecord::costBasis).containsExactlyElementsOf(BOTH);

        assertThat(again).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.DUPLICATE, DeliveryProcessor.Status.DUPLICATE);
        assertThat(store.keys(OUT)).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(loaded).hasSize(2);
    }

    @Test
    void shouldRedoOnlyTheBasisThatFailed_whenTheDeliveryComesAgain() throws IOException {
        Manifest[] m = new Manifest[1];
        S3Notifications.Notice notice = cur2Export(m, false, "e1", "0A");
        int[] failPuts = {1};
        ObjectStore flaky = new ObjectStore() {
            @Override
            public Optional<StoredObject> head(String bucket, String key, String versionId) throws IOException {
                return store.head(bucket, key, versionId);
            }

            @Override
            public java.io.InputStream get(String bucket, String key, String versionId, String ifMatch)
                    throws IOException {
                return store.get(bucket, key, versionId, ifMatch);
            }

            @Override
            public void put(String bucket, String key, byte[] content, String contentType) throws IOException {
                if (key.contains("/cost_basis=amortized/") && failPuts[0] > 0) {
                    failPuts[0]--;
                    throw new IOException("S3 is down for " + key);
                }
                store.put(bucket, key, content, contentType);
            }

            @Override
            public boolean putIfAbsent(String bucket, String key, byte[] content, String contentType) {
                return store.putIfAbsent(bucket, key, content, contentType);
            }

            @Override
            public List<String> list(String bucket, String prefix) {
                return store.list(bucket, prefix);
            }
        };
        DeliveryProcessor processor = processor(BOTH, Optional.empty(), flaky);

        List<DeliveryProcessor.Outcome> first = processor.process(List.of(notice));
        List<DeliveryProcessor.Outcome> retried = processor.process(List.of(notice));

        assertThat(first).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.FAILED);
        assertThat(first.get(1).reason()).contains("S3 is down");
        assertThat(retried).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.DUPLICATE, DeliveryProcessor.Status.ROLLED_UP);
        assertThat(runRecords("unblended")).hasSize(1);
        assertThat(runRecords("amortized")).hasSize(1);
        assertThat(loaded).extracting(RunRecord::costBasis).containsExactlyElementsOf(BOTH);
        assertThat(retried.get(1).summary().totalCost()).isEqualByComparingTo(m[0].amortized().totalCost());
        assertThat(store.keys(OUT)).contains("finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json",
                "finalized/_runs/billing_period=2017-02/cost_basis=amortized/run.json");
    }

    @Test
    void shouldReplaceTheFinalizedTablesOfItsOwnBasisOnly() throws IOException {
        Manifest[] m = new Manifest[1];
        List<DeliveryProcessor.Outcome> both = processor(BOTH, Optional.empty(), store)
                .process(List.of(cur2Export(m, false, "e1", "0A")));
        String unblendedBefore = text("finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json");
        String unblendedTable = text("finalized/product_area_costs/billing_period=2017-02/cost_basis=unblended/"
                + "part-0.csv");

        DeliveryProcessor.Outcome later = processor(List.of(CostBasis.AMORTIZED), Optional.empty(), store)
                .process(List.of(cur2Export(m, false, "e2", "0B"))).get(0);

        assertThat(both).allSatisfy(o -> assertThat(o.run().finalized()).isTrue());
        assertThat(later.run().finalized()).isTrue();
        assertThat(JSON.readTree(text("finalized/_runs/billing_period=2017-02/cost_basis=amortized/run.json"))
                .path("run_id").asText()).isEqualTo(later.run().runId()).isNotEqualTo(both.get(1).run().runId());
        assertThat(text("finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json"))
                .isEqualTo(unblendedBefore).contains(both.get(0).run().runId());
        assertThat(text("finalized/product_area_costs/billing_period=2017-02/cost_basis=unblended/part-0.csv"))
                .isEqualTo(unblendedTable);
        assertThat(JSON.readTree(text("finalized/_runs/billing_period=2017-02/cost_basis=amortized/run.json"))
                .path("cost_basis").asText()).isEqualTo("amortized");
    }

    @Test
    void shouldLeaveADbrOffTheAmortizedBasis_withoutAnUpfrontLedger_sayingWhy() throws IOException {
        Path out = dir.resolve("dbr-commitments");
        Manifest dbr = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.DBR).compression(Compression.ZIP)
                .seed(3).targetRows(3000).commitments(true).build(), out);

        List<DeliveryProcessor.Outcome> outcomes = processor(BOTH, Optional.empty(), store)
                .process(List.of(upload(DBR_KEY, Files.readAllBytes(out.resolve(dbr.billFile())), "0A")));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.IGNORED);
        assertThat(outcomes.get(1).reason()).contains("amortized", "no upfront ledger", "UPFRONT_LEDGER_KEY");
        assertThat(outcomes.get(0).summary().totalCost()).isEqualByComparingTo(dbr.totalCost());
        assertThat(store.keys(OUT)).noneMatch(k -> k.contains("cost_basis=amortized"));
        assertThat(loaded).extracting(RunRecord::costBasis).containsExactly(CostBasis.UNBLENDED);
    }

    @Test
    void shouldSpreadADbrsSignUpCharges_byTheConfiguredUpfrontLedger_onTheAmortizedBasis() throws IOException {
        Path out = dir.resolve("dbr-commitments");
        Manifest dbr = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.DBR).compression(Compression.ZIP)
                .seed(3).targetRows(3000).commitments(true).build(), out);
        store.upload(OUT, "config/upfront.json", Files.readAllBytes(out.resolve(dbr.upfrontFile())));

        List<DeliveryProcessor.Outcome> outcomes = processor(BOTH, Optional.of("config/upfront.json"), store)
                .process(List.of(upload(DBR_KEY, Files.readAllBytes(out.resolve(dbr.billFile())), "0A")));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.ROLLED_UP);
        assertThat(outcomes.get(0).summary().totalCost()).isEqualByComparingTo(dbr.totalCost());
        assertThat(outcomes.get(1).summary().totalCost()).isEqualByComparingTo(dbr.amortized().totalCost())
                .isNotEqualByComparingTo(dbr.totalCost());
    }

    @Test
    void shouldFailTheAmortizedRunOfADbr_whileTheConfiguredLedgerIsMissing_andRollItUpOnceItIsThere()
            throws IOException {
        S3Notifications.Notice notice = upload(DBR_KEY, bill(false), "0A");
        DeliveryProcessor processor = processor(BOTH, Optional.of("config/upfront.json"), store);

        List<DeliveryProcessor.Outcome> outcomes = processor.process(List.of(notice));
        store.upload(OUT, "config/upfront.json", "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<DeliveryProcessor.Outcome> retried = processor.process(List.of(notice));

        assertThat(outcomes).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.ROLLED_UP, DeliveryProcessor.Status.FAILED);
        assertThat(outcomes.get(1).reason()).contains("config/upfront.json", "no such object");
        assertThat(retried).extracting(DeliveryProcessor.Outcome::status)
                .containsExactly(DeliveryProcessor.Status.DUPLICATE, DeliveryProcessor.Status.ROLLED_UP);
        assertThat(loaded).extracting(RunRecord::costBasis).containsExactlyElementsOf(BOTH);
    }
}
