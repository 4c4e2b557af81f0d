package dev.tally.functions.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.BillParts;
import dev.tally.RepoFiles;
import dev.tally.billing.Bill;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import dev.tally.rollup.RollupTables;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import dev.tally.testkit.ParquetBills;
import dev.tally.testkit.ParquetOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing function on the local stack, wired from its environment as in Lambda: bills put into S3Mock,
 * the handler invoked with each shape of notification, the history and map in dynalite, the runs loaded
 * through the Redshift Data API endpoint (or JDBC) into PostgreSQL — and the tables read back from S3 and
 * PostgreSQL equal to {@code tally rollup} on the same input, row for row.
 */
@LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.S3, LocalService.POSTGRES, LocalService.REDSHIFT_DATA})
class BillingFunctionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DBR = "123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip";

    @TempDir
    static Path months;
    static Manifest estimatedDbr;
    static Manifest finalDbr;
    static Manifest cur;
    static Manifest cur2;

    private static LocalAws aws;
    private static S3Client s3;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start(LocalAws stack) throws IOException {
        aws = stack;
        AwsConfig config = AwsConfig.local(stack.serviceEndpoints());
        s3 = AwsClients.s3(config, AwsClients.httpClient());
        dynamo = AwsClients.dynamoDb(config, AwsClients.httpClient());
        estimatedDbr = month("dbr-estimated", BillFormat.DBR, Compression.ZIP, true);
        finalDbr = month("dbr-final", BillFormat.DBR, Compression.ZIP, false);
        cur = month("cur", BillFormat.CUR, Compression.GZIP, false);
        cur2 = month("cur2", BillFormat.CUR2, Compression.GZIP, true);
    }

    private static Manifest month(String name, BillFormat format, Compression compression, boolean estimated)
            throws IOException {
        return MonthGenerator.generate(MonthSpec.builder().format(format).compression(compression).seed(7)
                .targetRows(4000).estimated(estimated).malformedRows(2).build(), months.resolve(name));
    }

    @AfterAll
    static void stop() {
        s3.close();
        dynamo.close();
    }

    @AfterEach
    void clearFaults() {
        aws.redshiftDataFaults().clear();
    }

    /** One deployment of the function on the stack, with the events and map of the final DBR month. */
    private static BillingDeployment deployment(String warehouse) throws IOException {
        Path month = months.resolve("dbr-final");
        return new BillingDeployment(aws, s3, dynamo, month.resolve(finalDbr.eventsFile()),
                month.resolve(finalDbr.areasFile()), warehouse, Map.of());
    }

    private static Rollup expected(Path bill) {
        Path month = months.resolve("dbr-final");
        return new RollupRunner().run(new RollupRunner.Request(bill, month.resolve(finalDbr.eventsFile()),
                month.resolve(finalDbr.areasFile()), finalDbr.tagKey(), null), b -> { });
    }

    private static byte[] file(String month, Manifest m) throws IOException {
        return Files.readAllBytes(months.resolve(month).resolve(m.billFile()));
    }

    /** A CSV line's fields joined by commas as JDBC returns them (quotes of fields with commas removed). */
    private static String unquote(String csvLine) {
        return java.util.Arrays.stream(csvLine.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .map(f -> f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1).replace("\"\"", "\"") : f)
                .collect(java.util.stream.Collectors.joining(","));
    }

    private static List<String> areaRows(Rollup rollup) {
        return rollup.productAreaCosts().stream().map(r -> r.productArea() + "," + r.cost().toPlainString()).toList();
    }

    @Test
    void shouldRollUpADbrZip_intoS3AndTheWarehouse_likeTallyRollup_andOnlyOnce() throws Exception {
        BillingDeployment d = deployment("redshift");
        d.put(DBR, file("dbr-final", finalDbr));

        JsonNode response = d.invoke(d.s3Event(DBR, "0055AED6DCD90281E5"));
        JsonNode again = d.invoke(d.s3Event(DBR, "0055AED6DCD90281E5"));

        assertThat(response.path("records").get(0).path("status").asText()).isEqualTo("rolled_up");
        Rollup expected = expected(months.resolve("dbr-final").resolve(finalDbr.billFile()));
        JsonNode outputs = response.path("records").get(0).path("outputs");
        for (RollupTables table : RollupTables.values()) {
            assertThat(d.s3Text(outputs.path("tables").path(table.id()).asText()))
                    .isEqualTo(new String(table.bytes(expected, false), StandardCharsets.UTF_8));
            assertThat(d.s3Text("finalized/" + table.id() + "/billing_period=2017-02/cost_basis=unblended/part-0.csv"))
                    .isEqualTo(new String(table.bytes(expected, false), StandardCharsets.UTF_8));
        }
        for (RollupTables table : RollupTables.values()) {
            // every finalized table, row for row, as the CSV tally rollup writes (without the period column)
            List<String> columns = table.columns().subList(1, table.columns().size());
            String order = String.join(", ", columns.subList(0, columns.size() - 1));
            List<String> csv = new String(table.bytes(expected, false), StandardCharsets.UTF_8).lines().skip(1).toList();
            assertThat(d.rows("SELECT " + String.join(", ", columns) + " FROM {s}." + table.id() + "_finalized WHERE "
                    + "billing_period = '2017-02' ORDER BY " + order))
                    .as(table.id()).containsExactlyInAnyOrderElementsOf(csv.stream().map(BillingFunctionIT::unquote).toList());
        }
        assertThat(d.rows("SELECT count(*) FROM {s}.service_costs_rollup"))
                .containsExactly(Integer.toString(expected.serviceCosts().size()));
        assertThat(again.path("records").get(0).path("status").asText()).isEqualTo("duplicate");
        assertThat(d.rows("SELECT count(*) FROM {s}.rollup_runs")).containsExactly("1");
        assertThat(d.counts.totals()).containsEntry(BillingMetrics.ROLLED_UP, 1L)
                .containsEntry(BillingMetrics.DUPLICATE, 1L);
    }

    @Test
    void shouldKeepAnEstimatedAndAFinalRun_butFinalizeOnlyTheFinal_andLetNoOlderDeliveryPass() throws Exception {
        BillingDeployment d = deployment("jdbc");
        d.put(DBR, file("dbr-estimated", estimatedDbr));
        String estimatedNotice = d.s3Event(DBR, "0A");
        JsonNode estimated = d.invoke(estimatedNotice);
        d.put(DBR, file("dbr-final", finalDbr));
        JsonNode fin = d.invoke(d.s3Event(DBR, "0B"));
        JsonNode late = d.invoke(estimatedNotice);

        assertThat(estimated.path("records").get(0).path("summary").path("final").asBoolean()).isFalse();
        assertThat(fin.path("records").get(0).path("summary").path("final").asBoolean()).isTrue();
        assertThat(late.path("records").get(0).path("status").asText()).isEqualTo("superseded");
        assertThat(d.rows("SELECT is_final FROM {s}.rollup_runs ORDER BY is_final")).containsExactly("f", "t");
        String finalRun = fin.path("records").get(0).path("summary").path("run_id").asText();
        assertThat(d.rows("SELECT DISTINCT run_id FROM {s}.product_area_costs_finalized")).containsExactly(finalRun);
        assertThat(d.rows("SELECT count(DISTINCT run_id) FROM {s}.product_area_costs_rollup")).containsExactly("2");
    }

    @Test
    void shouldRollUpALegacyCurManifestsThreeParts_throughSqs_asOneBill() throws Exception {
        BillingDeployment d = deployment("jdbc");
        String prefix = "cur/hourly/20170201-20170301/";
        List<byte[]> parts = BillParts.split(file("cur", cur), 3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            keys.add(prefix + "asm-1/hourly-" + (i + 1) + ".csv.gz");
            d.put(keys.get(i), parts.get(i));
        }
        d.put(prefix + "hourly-Manifest.json", ("{\"assemblyId\":\"asm-1\",\"bucket\":\"" + d.bills + "\","
                + "\"compression\":\"GZIP\",\"billingPeriod\":{\"start\":\"20170201T000000.000Z\","
                + "\"end\":\"20170301T000000.000Z\"},\"reportKeys\":" + JSON.writeValueAsString(keys) + "}")
                .getBytes(StandardCharsets.UTF_8));

        JsonNode response = d.invoke(d.sqsEvent("{\"Records\":[" + d.s3Record(keys.get(0), "01") + "]}",
                "{\"Records\":[" + d.s3Record(prefix + "hourly-Manifest.json", "02") + "]}",
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"" + d.bills + "\"}"));

        assertThat(response.path("records")).extracting(r -> r.path("status").asText())
                .containsExactly("ignored", "rolled_up", "ignored");
        assertThat(response.path("batchItemFailures")).isEmpty();
        Path whole = months.resolve("cur").resolve(cur.billFile());
        Rollup expected = expected(whole);
        assertThat(response.path("records").get(1).path("summary").path("total_cost").asText())
                .isEqualTo(dev.tally.money.Money.format(expected.summary().totalCost()));
        assertThat(d.rows("SELECT product_area, cost FROM {s}.product_area_costs_finalized ORDER BY product_area"))
                .isEqualTo(areaRows(expected));
    }

    @Test
    void shouldRollUpEachRefreshOfADataExport_fromEventBridge_onlyWhatItsManifestLists() throws Exception {
        BillingDeployment d = deployment("jdbc");
        String data = "exports/cur2/data/BILLING_PERIOD=2017-02/";
        String manifest = "exports/cur2/metadata/BILLING_PERIOD=2017-02/cur2-Manifest.json";
        List<byte[]> first = BillParts.split(file("cur2", cur2), 2);
        d.put(data + "2017-02-10T00:00:00.000Z-e1/cur2-00001.csv.gz", first.get(0));
        d.put(manifest, manifest(d, "e1", List.of(data + "2017-02-10T00:00:00.000Z-e1/cur2-00001.csv.gz")));
        JsonNode refresh1 = d.invoke(d.eventBridge(manifest, "01"));
        List<byte[]> second = BillParts.split(file("cur2", cur2), 3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < second.size(); i++) {
            keys.add(data + "2017-02-20T00:00:00.000Z-e2/cur2-0000" + (i + 1) + ".csv.gz");
            d.put(keys.get(i), second.get(i));
        }
        d.put(manifest, manifest(d, "e2", keys));
        JsonNode refresh2 = d.invoke(d.eventBridge(manifest, "02"));

        assertThat(refresh1.path("records").get(0).path("status").asText()).isEqualTo("rolled_up");
        assertThat(refresh2.path("records").get(0).path("status").asText()).isEqualTo("rolled_up");
        Rollup whole = expected(months.resolve("cur2").resolve(cur2.billFile()));
        assertThat(refresh2.path("records").get(0).path("summary").path("total_cost").asText())
                .isEqualTo(dev.tally.money.Money.format(whole.summary().totalCost()));
        assertThat(refresh1.path("records").get(0).path("summary").path("line_items").asLong())
                .isLessThan(whole.summary().lineItems());
        assertThat(d.rows("SELECT count(*) FROM {s}.rollup_runs")).containsExactly("2");
        assertThat(d.rows("SELECT count(*) FROM {s}.product_area_costs_finalized")).containsExactly("0");
    }

    @Test
    void shouldRollUpADataExportOfParquetParts_readByRangedGets_likeTheSameMonthsCsv() throws Exception {
        BillingDeployment d = deployment("jdbc");
        Path monthDir = months.resolve("cur2-parquet");
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR2).compression(Compression.NONE)
                .doubleAmounts(true).seed(7).targetRows(4000).estimated(true).commitments(true).build(), monthDir);
        Path whole = monthDir.resolve(m.billFile());
        List<String> lines = Files.readAllLines(whole);
        String data = "exports/cur2pq/data/BILLING_PERIOD=2017-02/";
        String manifest = "exports/cur2pq/metadata/BILLING_PERIOD=2017-02/cur2pq-Manifest.json";
        List<String> keys = new ArrayList<>();
        int half = lines.size() / 2;
        for (int p = 0; p < 2; p++) {
            List<String> part = new ArrayList<>(List.of(lines.get(0)));
            part.addAll(p == 0 ? lines.subList(1, half) : lines.subList(half, lines.size()));
            Path csv = Files.write(monthDir.resolve("part-" + p + ".csv"), part);
            Path parquet = monthDir.resolve("part-" + p + ".snappy.parquet");
            ParquetBills.fromCsv(csv, parquet, new ParquetOptions(ParquetOptions.Times.TIMESTAMP,
                    ParquetOptions.Tags.MAP, 64 << 10), false);
            keys.add(data + "cur2pq-0000" + (p + 1) + ".snappy.parquet");
            d.put(keys.get(p), Files.readAllBytes(parquet));
        }
        d.put(manifest, manifest(d, "e1", keys));

        JsonNode result = d.invoke(d.eventBridge(manifest, "03"));

        Rollup expected = expected(whole);
        assertThat(result.path("records").get(0).path("status").asText()).isEqualTo("rolled_up");
        assertThat(result.path("records").get(0).path("summary").path("total_cost").asText())
                .isEqualTo(dev.tally.money.Money.format(expected.summary().totalCost()));
        assertThat(result.path("records").get(0).path("summary").path("line_items").asLong())
                .isEqualTo(m.lineItems()).isEqualTo(expected.summary().lineItems());
        assertThat(d.rows("SELECT product_area, cost FROM {s}.product_area_costs_rollup ORDER BY product_area"))
                .isEqualTo(areaRows(expected));
    }

    @Test
    void shouldLeaveNoPartialFinalizedPeriod_whenTheWarehouseFailsMidLoad_andCompleteItOnTheRetry() throws Exception {
        BillingDeployment d = deployment("redshift");
        d.put(DBR, file("dbr-estimated", estimatedDbr));
        d.invoke(d.s3Event(DBR, "0A"));
        List<String> before = d.rows("SELECT product_area, cost FROM {s}.product_area_costs_rollup ORDER BY 1");
        d.put(DBR, file("dbr-final", finalDbr));
        String finalNotice = d.s3Event(DBR, "0B");
        aws.redshiftDataFaults().failStatementsMatching(Pattern.compile("(?i)insert into \\S*service_costs_finalized"), 1);

        JsonNode failed = d.invoke(d.sqsEvent(finalNotice));
        List<String> finalizedAfterFailure = d.rows("SELECT count(*) FROM {s}.product_area_costs_finalized");
        List<String> runsAfterFailure = d.rows("SELECT count(*) FROM {s}.rollup_runs");
        JsonNode retried = d.invoke(d.sqsEvent(finalNotice));

        assertThat(failed.path("records").get(0).path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("batchItemFailures")).extracting(f -> f.path("itemIdentifier").asText())
                .containsExactly("m-0");
        assertThat(finalizedAfterFailure).containsExactly("0");
        assertThat(runsAfterFailure).containsExactly("1");
        assertThat(before).isNotEmpty();
        assertThat(retried.path("records").get(0).path("status").asText()).isEqualTo("duplicate");
        assertThat(retried.path("records").get(0).path("reason").asText()).contains("loaded into the warehouse now");
        Rollup expected = expected(months.resolve("dbr-final").resolve(finalDbr.billFile()));
        assertThat(d.rows("SELECT product_area, cost FROM {s}.product_area_costs_finalized ORDER BY product_area"))
                .isEqualTo(areaRows(expected));
        assertThat(d.rows("SELECT count(*) FROM {s}.rollup_runs")).containsExactly("2");
    }

    /**
     * The split cost allocation sample (§9, {@code events/split-cost-allocation}) delivered as a legacy CUR to a
     * function configured with {@code ECS_SPLIT=aws}, its history recorded from the sample's events: the hosts split by
     * AWS's split line items, the comparison of both splits in S3 ({@code ecs_split_comparison.csv}) and in the
     * warehouse (every money column exact), {@code summary.json} saying {@code aws} — and every table as
     * {@code tally rollup --ecs-split aws} writes it.
     */
    @Test
    void shouldSplitEcsHostsByAwsSplitLineItems_whenConfigured_andCompareBothSplitsInS3AndTheWarehouse()
            throws Exception {
        Path sample = RepoFiles.events("split-cost-allocation");
        BillingDeployment d = new BillingDeployment(aws, s3, dynamo, sample.resolve("events.jsonl"),
                sample.resolve("areas.json"), "redshift", Map.of(BillingConfig.ECS_SPLIT, "aws"));
        String prefix = "cur/split/20170201-20170301/";
        String part = prefix + "asm-9/split-1.csv.gz";
        d.put(part, BillParts.gzip(BillParts.records(Files.readString(sample.resolve("cur-2017-02.csv")))));
        d.put(prefix + "split-Manifest.json", ("{\"assemblyId\":\"asm-9\",\"bucket\":\"" + d.bills + "\","
                + "\"compression\":\"GZIP\",\"billingPeriod\":{\"start\":\"20170201T000000.000Z\","
                + "\"end\":\"20170301T000000.000Z\"},\"reportKeys\":[\"" + part + "\"]}").getBytes(StandardCharsets.UTF_8));

        JsonNode response = d.invoke(d.s3Event(prefix + "split-Manifest.json", "0C"));

        JsonNode record = response.path("records").get(0);
        assertThat(record.path("status").asText()).isEqualTo("rolled_up");
        assertThat(record.path("summary").path("ecs_split").asText()).isEqualTo("aws");
        String runId = record.path("summary").path("run_id").asText();
        String partition = "billing_period=2017-02/cost_basis=unblended/run_id=" + runId;
        assertThat(JSON.readTree(d.s3Text("runs/" + partition + "/summary.json")).path("ecs_split").asText())
                .isEqualTo("aws");
        JsonNode tables = record.path("outputs").path("tables");
        assertThat(tables.path("ecs_split_comparison").asText())
                .isEqualTo("rollups/ecs_split_comparison/" + partition + "/part-0.csv");
        assertThat(d.s3Text(tables.path("ecs_split_comparison").asText())).isEqualTo(
                "cluster,service,product_area,events_cost,aws_cost,difference\n"
                        + "other,(unknown),(unmapped),0.0000000000,0.5000000000,0.5000000000\n"
                        + "prod,A,alpha,0.5000000000,0.3500000000,-0.1500000000\n"
                        + "prod,B,(unmapped),0.5000000000,0.6500000000,0.1500000000\n"
                        + "prod,C,(unmapped),0.0000000000,1.0000000000,1.0000000000\n");
        assertThat(d.rows("SELECT billing_period, cluster, service, product_area, events_cost, aws_cost, difference, "
                + "cost_basis FROM {s}.ecs_split_comparison_rollup WHERE run_id = '" + runId + "' ORDER BY cluster, "
                + "service")).containsExactly(
                "2017-02,other,(unknown),(unmapped),0.0000000000,0.5000000000,0.5000000000,unblended",
                "2017-02,prod,A,alpha,0.5000000000,0.3500000000,-0.1500000000,unblended",
                "2017-02,prod,B,(unmapped),0.5000000000,0.6500000000,0.1500000000,unblended",
                "2017-02,prod,C,(unmapped),0.0000000000,1.0000000000,1.0000000000,unblended");
        // the aws-mode numbers of SplitCostAllocationTest: i-1's first hour 0.35 : 0.65, its second to prod/C
        List<String> areas = List.of("(unallocated),0.1000000000", "(unmapped),2.3300000000", "alpha,0.4700000000");
        assertThat(d.s3Text(tables.path("product_area_costs").asText()).lines().skip(1).toList()).isEqualTo(areas);
        assertThat(d.rows("SELECT product_area, cost FROM {s}.product_area_costs_rollup WHERE run_id = '" + runId
                + "' ORDER BY product_area")).isEqualTo(areas);
        assertThat(d.rows("SELECT cluster, service, product_area, cost FROM {s}.service_costs_rollup ORDER BY "
                + "cluster, service")).containsExactly("other,(unknown),(unmapped),0.5000000000",
                "prod,A,alpha,0.4700000000", "prod,B,(unmapped),0.8300000000", "prod,C,(unmapped),1.0000000000");
        assertThat(d.rows("SELECT total_cost FROM {s}.rollup_runs")).containsExactly("2.9000000000");
        Rollup expected = new RollupRunner().run(new RollupRunner.Request(Bill.of(sample.resolve("cur-2017-02.csv")),
                sample.resolve("events.jsonl"), sample.resolve("areas.json"), "product_area", null, false,
                CostBasis.UNBLENDED, null, EcsSplit.AWS), b -> { });
        for (RollupTables table : RollupTables.values()) {
            assertThat(d.s3Text(tables.path(table.id()).asText())).as(table.id())
                    .isEqualTo(new String(table.bytes(expected, false), StandardCharsets.UTF_8));
        }
    }

    private static byte[] manifest(BillingDeployment d, String execution, List<String> keys) throws IOException {
        List<String> uris = keys.stream().map(k -> "s3://" + d.bills + "/" + k).toList();
        return ("{\"executionId\":\"" + execution + "\",\"exportArn\":\"arn:aws:bcm-data-exports:us-east-1:1:export/cur2\","
                + "\"columns\":[],\"dataFiles\":" + JSON.writeValueAsString(uris) + ",\"additionalOutputFiles\":[]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
