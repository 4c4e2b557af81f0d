package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tally demo} on the bundled month, the way the README runs it: the areas map published and the
 * events replayed through the real functions into the local DynamoDB (dynalite), the rollup read from
 * there. Its figures are checked two independent ways: the generator's manifest states the bill's
 * exact total and row counts, and {@code events/demo/expected/} holds the tables an independent
 * implementation of the allocation contract produced for this month from the event file.
 */
class DemoMonthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("tally.repo.root", "../..")).normalize();
    private static final Path DEMO = ROOT.resolve("events/demo");

    @TempDir
    static Path out;
    static String printed;
    static int exitCode;

    @BeforeAll
    static void runDemo() {
        System.setProperty("tally.home", ROOT.toString());
        StringWriter stdout = new StringWriter();
        exitCode = TallyCli.run(new String[] {"demo", "--out", out.toString(), "--no-progress"},
                new PrintWriter(stdout), new PrintWriter(new StringWriter()));
        printed = stdout.toString();
    }

    @Test
    void shouldPrintSummaryAndTables() {
        assertThat(exitCode).isZero();
        assertThat(printed).contains("Rollup 2017-02", "(cur, final", "product_area_costs", "service_costs",
                "7,061.93", "5,778 events in 578 SQS batches", "6 dead letters", "0 records left for retry");
    }

    @Test
    void shouldDeliverTheBillThroughS3AndTheBillingFunction_intoTheWarehouse() throws IOException {
        assertThat(printed).contains("rolled_up: run", "total 7061.9318663141",
                "tally.product_area_costs_finalized, read back from the warehouse");
        for (String line : Files.readAllLines(DEMO.resolve("expected/product_area_costs.csv")).subList(1, 3)) {
            String[] fields = line.split(",");
            assertThat(printed).containsPattern("2017-02  " + java.util.regex.Pattern.quote(fields[1]) + " +"
                    + java.util.regex.Pattern.quote(fields[2]));
        }
    }

    @Test
    void shouldDeleteOneSampleUserThroughThePrivacyApi_fromEveryTarget_leavingTheOthersUnchanged() {
        // The demo checks the data where it lives and fails (non-zero) on any difference; these are its findings.
        assertThat(exitCode).isZero();
        assertThat(printed).contains("3,040 events of 300 users in 8 objects (4 gzip, 4 plain)",
                "warehouse analytics.tracks in PostgreSQL: 2,736 rows", "→ 201 AWAITING_CONFIRMATION",
                "→ 200 QUEUED", "u-0042 is gone from all three; every other user's data is unchanged.",
                "5 objects rewritten (gzip still gzip), 3 objects without the user untouched (same version), "
                        + "1 older version holding the user deleted; 3,020 other users' lines",
                "0 rows of the user (15 before); the other 2,721 rows as they were",
                "called once, POST /privacy/delete");
        assertThat(printed).containsPattern("Request [0-9a-f-]{36}: FINISHED after");
        assertThat(printed).containsPattern("archive +SUCCEEDED +\\{.*\"records_removed\":20");
        assertThat(printed).containsPattern("warehouse +SUCCEEDED +\\{\"rows_deleted\":15,\"tables\":\\{\"analytics.tracks\":15\\}");
        assertThat(printed).containsPattern("crm +SUCCEEDED +\\{\"calls\":1");
    }

    @Test
    void shouldEndByWritingTheSpendReportOfItsMonth() throws IOException {
        Path report = out.resolve("report.html").toAbsolutePath();

        assertThat(printed.strip()).endsWith("Wrote the spend report to " + report);
        assertThat(printed).contains("of 2017-02 into the layout " + out.resolve("layout")
                + " (final bill: finalized)");
        assertThat(Files.readString(report)).contains("data-total=\"2017-02\">$7,061.93<");
    }

    @Test
    void shouldMatchTheManifestsTotalAndRowCounts() throws IOException {
        JsonNode manifest = JSON.readTree(DEMO.resolve("manifest.json").toFile());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());

        assertThat(new BigDecimal(summary.get("total_cost").asText()))
                .isEqualByComparingTo(manifest.get("total_cost").asText());
        for (String count : List.of("line_items", "skipped_rows", "malformed_rows")) {
            assertThat(summary.get(count).asLong()).as(count).isEqualTo(manifest.get(count).asLong());
        }
        assertThat(summary.get("invoice_ids")).isEqualTo(manifest.get("invoice_ids"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"product_area_costs.csv", "product_area_aws_product_costs.csv", "service_costs.csv",
        "untagged_resources.csv"})
    void shouldEqualTheIndependentImplementationsTables(String table) throws IOException {
        assertThat(Files.readAllLines(out.resolve(table)))
                .containsExactlyElementsOf(Files.readAllLines(DEMO.resolve("expected").resolve(table)));
    }

    @Test
    void shouldEqualTheIndependentImplementationsSummary() throws IOException {
        JsonNode expected = JSON.readTree(DEMO.resolve("expected/summary.json").toFile());
        JsonNode actual = JSON.readTree(out.resolve("summary.json").toFile());

        expected.fieldNames().forEachRemaining(field ->
                assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field)));
    }
}
