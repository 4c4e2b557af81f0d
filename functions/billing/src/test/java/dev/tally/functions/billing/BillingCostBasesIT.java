package dev.tally.functions.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.rollup.RollupTables;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing function configured for both cost bases (§8), on the local stack: a CUR 2.0 month with reservations
 * and savings plans ({@code --commitments}) delivered as a Data Export, its runs on each basis side by side in S3
 * ({@code cost_basis=} partitions) and in the warehouse ({@code cost_basis} column), each summing to its own total —
 * the unblended run to what the invoice charged, the amortized one to the month's amortized cost — a duplicate
 * notification writing nothing, and a final bill replacing the finalized tables of its own basis only.
 */
@LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.S3, LocalService.POSTGRES, LocalService.REDSHIFT_DATA})
class BillingCostBasesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA = "exports/cur2/data/BILLING_PERIOD=2017-02/";
    private static final String MANIFEST = "exports/cur2/metadata/BILLING_PERIOD=2017-02/cur2-Manifest.json";
    private static final Map<String, String> BOTH = Map.of(BillingConfig.COST_BASES, "unblended,amortized");

    @TempDir
    static Path months;
    static Manifest estimated;
    static Manifest fin;

    private static LocalAws aws;
    private static S3Client s3;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start(LocalAws stack) throws IOException {
        aws = stack;
        AwsConfig config = AwsConfig.local(stack.serviceEndpoints());
        s3 = AwsClients.s3(config, AwsClients.httpClient());
        dynamo = AwsClients.dynamoDb(config, AwsClients.httpClient());
        estimated = month("estimated", true);
        fin = month("final", false);
    }

    private static Manifest month(String name, boolean isEstimated) throws IOException {
        return MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR2).compression(Compression.GZIP)
                .seed(11).targetRows(4000).commitments(true).estimated(isEstimated).build(), months.resolve(name));
    }

    @AfterAll
    static void stop() {
        s3.close();
        dynamo.close();
    }

    private static BillingDeployment deployment(String warehouse) throws IOException {
        Path month = months.resolve("final");
        return new BillingDeployment(aws, s3, dynamo, month.resolve(fin.eventsFile()), month.resolve(fin.areasFile()),
                warehouse, BOTH);
    }

    /** A refresh of the export: its data file and the partition's manifest; the manifest's notification. */
    private static String deliver(BillingDeployment d, String name, Manifest m, String execution, String sequencer)
            throws IOException {
        String data = DATA + "2017-02-1" + sequencer.charAt(1) + "T00:00:00.000Z-" + execution + "/cur2-00001.csv.gz";
        d.put(data, Files.readAllBytes(months.resolve(name).resolve(m.billFile())));
        d.put(MANIFEST, ("{\"executionId\":\"" + execution + "\",\"exportArn\":\"arn:aws:bcm-data-exports:us-east-1:1:"
                + "export/cur2\",\"columns\":[],\"dataFiles\":[\"s3://" + d.bills + "/" + data + "\"],"
                + "\"additionalOutputFiles\":[]}").getBytes(StandardCharsets.UTF_8));
        return d.eventBridge(MANIFEST, sequencer);
    }

    private static List<String> statuses(JsonNode response) {
        return java.util.stream.StreamSupport.stream(response.path("records").spliterator(), false)
                .map(r -> r.path("status").asText() + " " + r.path("cost_basis").asText()).toList();
    }

    /** The exact sum of a table's {@code cost} column, as the CSV in S3 has it. */
    private static BigDecimal csvTotal(String csv) {
        BigDecimal total = BigDecimal.ZERO;
        for (String line : csv.lines().skip(1).toList()) {
            total = total.add(new BigDecimal(line.substring(line.lastIndexOf(',') + 1)));
        }
        return total;
    }

    private static BigDecimal sum(BillingDeployment d, String sql) throws Exception {
        return new BigDecimal(d.rows(sql).get(0));
    }

    @Test
    void shouldWriteBothBasesSideBySide_inS3AndTheWarehouse_eachToItsOwnTotal_andADuplicateWritesNothing()
            throws Exception {
        BillingDeployment d = deployment("redshift");
        String notice = deliver(d, "estimated", estimated, "e1", "01");

        JsonNode response = d.invoke(notice);
        List<String> keys = d.outputKeys();
        JsonNode again = d.invoke(notice);

        assertThat(statuses(response)).containsExactly("rolled_up unblended", "rolled_up amortized");
        BigDecimal invoiced = estimated.totalCost();
        BigDecimal amortized = estimated.amortized().totalCost();
        assertThat(amortized).isNotEqualByComparingTo(invoiced);
        Map<String, BigDecimal> totals = Map.of("unblended", invoiced, "amortized", amortized);
        for (JsonNode record : response.path("records")) {
            String basis = record.path("cost_basis").asText();
            String runId = record.path("summary").path("run_id").asText();
            assertThat(record.path("summary").path("cost_basis").asText()).isEqualTo(basis);
            assertThat(new BigDecimal(record.path("summary").path("total_cost").asText()))
                    .isEqualByComparingTo(totals.get(basis));
            String partition = "billing_period=2017-02/cost_basis=" + basis + "/run_id=" + runId;
            for (RollupTables table : RollupTables.values()) {
                assertThat(keys).contains("rollups/" + table.id() + "/" + partition + "/part-0.csv");
            }
            assertThat(keys).contains("runs/" + partition + "/summary.json", "runs/" + partition + "/report.json",
                    "runs/" + partition + "/run.json");
            assertThat(csvTotal(d.s3Text("rollups/product_area_costs/" + partition + "/part-0.csv")))
                    .as(basis).isEqualByComparingTo(totals.get(basis));
            assertThat(csvTotal(d.s3Text("rollups/product_area_aws_product_costs/" + partition + "/part-0.csv")))
                    .as(basis).isEqualByComparingTo(totals.get(basis));
            JsonNode report = JSON.readTree(d.s3Text("runs/" + partition + "/report.json"));
            assertThat(report.path("bill").path("cost_basis").asText()).isEqualTo(basis);
            assertThat(new BigDecimal(report.path("bill").path("invoiced_cost").asText()))
                    .isEqualByComparingTo(invoiced);
            assertThat(sum(d, "SELECT SUM(cost) FROM {s}.product_area_costs_rollup WHERE run_id = '" + runId
                    + "' AND cost_basis = '" + basis + "'")).as(basis).isEqualByComparingTo(totals.get(basis));
            assertThat(sum(d, "SELECT SUM(cost) FROM {s}.product_area_aws_product_costs_rollup WHERE cost_basis = '"
                    + basis + "'")).as(basis).isEqualByComparingTo(totals.get(basis));
            assertThat(d.rows("SELECT cost_basis, total_cost FROM {s}.rollup_runs WHERE run_id = '" + runId + "'"))
                    .singleElement().satisfies(row -> {
                        assertThat(row).startsWith(basis + ",");
                        assertThat(new BigDecimal(row.substring(row.indexOf(',') + 1)))
                                .isEqualByComparingTo(totals.get(basis));
                    });
        }
        assertThat(keys).noneMatch(k -> k.startsWith("finalized/"));

        assertThat(statuses(again)).containsExactly("duplicate unblended", "duplicate amortized");
        assertThat(d.outputKeys()).isEqualTo(keys);
        assertThat(d.rows("SELECT cost_basis, count(*) FROM {s}.rollup_runs GROUP BY cost_basis ORDER BY 1"))
                .containsExactly("amortized,1", "unblended,1");
        assertThat(d.counts.totals()).containsEntry(BillingMetrics.ROLLED_UP, 2L)
                .containsEntry(BillingMetrics.DUPLICATE, 2L);
    }

    @Test
    void shouldFinalizeEachBasis_andLetAFinalBillReplaceTheFinalizedTablesOfItsOwnBasisOnly() throws Exception {
        BillingDeployment d = deployment("jdbc");
        d.invoke(deliver(d, "estimated", estimated, "e1", "01"));
        List<String> noneFinalized = d.rows("SELECT count(*) FROM {s}.product_area_costs_finalized");
        JsonNode finalBill = d.invoke(deliver(d, "final", fin, "e2", "02"));
        String unblendedRun = finalBill.path("records").get(0).path("summary").path("run_id").asText();
        String amortizedRun = finalBill.path("records").get(1).path("summary").path("run_id").asText();
        String unblendedTable = d.s3Text("finalized/product_area_costs/billing_period=2017-02/cost_basis=unblended/"
                + "part-0.csv");
        List<String> unblendedRows = d.rows("SELECT product_area, cost, run_id FROM {s}.product_area_costs_finalized "
                + "WHERE cost_basis = 'unblended' ORDER BY product_area");

        // the function redeployed with the amortized basis only; the export refreshed once more, still final
        JsonNode amortizedOnly = BillingDeployment.invoke(d.reconfigured(Map.of(BillingConfig.COST_BASES,
                "amortized")), deliver(d, "final", fin, "e3", "03"));

        assertThat(noneFinalized).containsExactly("0");
        assertThat(statuses(finalBill)).containsExactly("rolled_up unblended", "rolled_up amortized");
        assertThat(finalBill.path("records")).allSatisfy(r -> assertThat(r.path("outputs").path("finalized")
                .asBoolean()).isTrue());
        assertThat(statuses(amortizedOnly)).containsExactly("rolled_up amortized");
        String newerAmortizedRun = amortizedOnly.path("records").get(0).path("summary").path("run_id").asText();
        assertThat(amortizedOnly.path("records").get(0).path("outputs").path("finalized").asBoolean()).isTrue();

        assertThat(JSON.readTree(d.s3Text("finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json"))
                .path("run_id").asText()).isEqualTo(unblendedRun);
        assertThat(JSON.readTree(d.s3Text("finalized/_runs/billing_period=2017-02/cost_basis=amortized/run.json"))
                .path("run_id").asText()).isEqualTo(newerAmortizedRun).isNotEqualTo(amortizedRun);
        assertThat(d.s3Text("finalized/product_area_costs/billing_period=2017-02/cost_basis=unblended/part-0.csv"))
                .isEqualTo(unblendedTable);
        assertThat(csvTotal(d.s3Text("finalized/product_area_costs/billing_period=2017-02/cost_basis=amortized/"
                + "part-0.csv"))).isEqualByComparingTo(fin.amortized().totalCost());

        assertThat(d.rows("SELECT product_area, cost, run_id FROM {s}.product_area_costs_finalized "
                + "WHERE cost_basis = 'unblended' ORDER BY product_area")).isEqualTo(unblendedRows)
                .allSatisfy(row -> assertThat(row).endsWith("," + unblendedRun));
        assertThat(d.rows("SELECT DISTINCT run_id FROM {s}.product_area_costs_finalized WHERE cost_basis = "
                + "'amortized'")).containsExactly(newerAmortizedRun);
        assertThat(sum(d, "SELECT SUM(cost) FROM {s}.product_area_costs_finalized WHERE cost_basis = 'unblended'"))
                .isEqualByComparingTo(fin.totalCost());
        assertThat(sum(d, "SELECT SUM(cost) FROM {s}.product_area_costs_finalized WHERE cost_basis = 'amortized'"))
                .isEqualByComparingTo(fin.amortized().totalCost());
        assertThat(d.rows("SELECT cost_basis, count(*) FROM {s}.rollup_runs GROUP BY cost_basis ORDER BY 1"))
                .containsExactly("amortized,3", "unblended,2");
    }
}
