package dev.tally.functions.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.RepoFiles;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.billing.CostBasis;
import dev.tally.delivery.DeliveryProcessor;
import dev.tally.delivery.InMemoryDeliveryLedger;
import dev.tally.delivery.InMemoryObjectStore;
import dev.tally.delivery.Warehouse;
import dev.tally.history.InMemoryHistoryStore;
import dev.tally.rollup.RollupRunner;
import dev.tally.runtime.SummingCountMetrics;
import dev.tally.spend.RunReports;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handler's side: every record answered, failed SQS records by message id, a failed direct record thrown. */
class BillingRollupHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryObjectStore store = new InMemoryObjectStore(false, Instant.parse("2017-03-01T00:00:00Z"));
    private final SummingCountMetrics counts = new SummingCountMetrics();

    private BillingRollupHandler handler() {
        return handler(new DeliveryProcessor.Settings("out", "", "product_area", Duration.ofMinutes(20),
                RollupRunner.Engine.FAST));
    }

    private BillingRollupHandler handler(DeliveryProcessor.Settings settings) {
        ProductAreaStore areas = new ProductAreaStore() {
            @Override
            public ProductAreaMap load() {
                return ProductAreaMap.empty();
            }

            @Override
            public String replace(ProductAreaMap map) {
                throw new UnsupportedOperationException();
            }
        };
        DeliveryProcessor processor = new DeliveryProcessor(store, new InMemoryDeliveryLedger(),
                new InMemoryHistoryStore(), areas, Warehouse.NONE, settings, Clock.systemUTC());
        return new BillingRollupHandler(processor, new BillingMetrics(counts),
                new SpendReportStep(new RunReports(store, "out", "", Clock.systemUTC()), new BillingMetrics(counts)));
    }

    private JsonNode invoke(String event) throws IOException {
        return invoke(handler(), event);
    }

    private static JsonNode invoke(BillingRollupHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static String sqs(String... bodies) throws IOException {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < bodies.length; i++) {
            records.append(i == 0 ? "" : ",").append("{\"messageId\": \"m-").append(i + 1)
                    .append("\", \"eventSource\": \"aws:sqs\", \"body\": ").append(JSON.writeValueAsString(bodies[i]))
                    .append('}');
        }
        return "{\"Records\": [" + records + "]}";
    }

    private static String s3(String bucket, String key) {
        return "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":3000000000,"
                + "\"sequencer\":\"0A\"}}}]}";
    }

    @Test
    void shouldRollUpAnSqsBatch_andReportOnlyTheFailedMessage() throws IOException {
        byte[] bill = Files.readAllBytes(RepoFiles.events("worked-example").resolve("bill-2017-02.csv"));
        store.upload("bills", "x/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip",
                zip(bill));

        JsonNode response = invoke(sqs(
                s3("bills", "x/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip"),
                s3("bills", "y/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-03.csv.zip"),
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"bills\"}"));

        assertThat(response.path("records")).extracting(r -> r.path("status").asText())
                .containsExactly("rolled_up", "failed", "ignored");
        JsonNode rolledUp = response.path("records").get(0);
        assertThat(rolledUp.path("summary").path("total_cost").asText()).isEqualTo("20.4000000000");
        assertThat(rolledUp.path("outputs").path("tables").path("product_area_costs").asText())
                .startsWith("rollups/product_area_costs/billing_period=2017-02/cost_basis=unblended/run_id=");
        assertThat(rolledUp.path("cost_basis").asText()).isEqualTo("unblended");
        assertThat(response.path("batchItemFailures")).extracting(f -> f.path("itemIdentifier").asText())
                .containsExactly("m-2");
        assertThat(counts.totals()).containsEntry(BillingMetrics.ROLLED_UP, 1L).containsEntry(BillingMetrics.FAILED, 1L)
                .containsEntry(BillingMetrics.IGNORED, 1L).containsEntry(BillingMetrics.TOTAL_COST_CENTS, 2040L)
                .containsKey(BillingMetrics.COVERAGE_BASIS_POINTS);
        assertThat(counts.totals().get(BillingMetrics.BYTES_READ)).isPositive();
        String report = new String(store.content("out", "reports/billing_period=2017-02/index.html").orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(report).contains("data-total=\"2017-02\">$20.40<", "data-this-month=\"2017-02\"");
    }

    @Test
    void shouldAnswerARecordPerBasis_butCountTheRowsAndTotalOfOneBasisOnly() throws IOException {
        String key = "x/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip";
        store.upload("bills", key, zip(Files.readAllBytes(RepoFiles.events("worked-example")
                .resolve("bill-2017-02.csv"))));
        store.upload("out", "config/upfront.json", "[]".getBytes(StandardCharsets.UTF_8));
        BillingRollupHandler both = handler(new DeliveryProcessor.Settings("out", "", "product_area",
                Duration.ofMinutes(20), RollupRunner.Engine.FAST, List.of(CostBasis.UNBLENDED, CostBasis.AMORTIZED),
                Optional.of("config/upfront.json")));

        JsonNode response = invoke(both, s3("bills", key));

        assertThat(response.path("records")).extracting(r -> r.path("status").asText() + " "
                + r.path("cost_basis").asText()).containsExactly("rolled_up unblended", "rolled_up amortized");
        assertThat(response.path("records").get(1).path("outputs").path("tables").path("service_costs").asText())
                .startsWith("rollups/service_costs/billing_period=2017-02/cost_basis=amortized/run_id=");
        assertThat(response.path("records").get(1).path("summary").path("cost_basis").asText()).isEqualTo("amortized");
        long lineItems = response.path("records").get(0).path("summary").path("line_items").asLong();
        assertThat(counts.totals()).containsEntry(BillingMetrics.ROLLED_UP, 2L)
                .containsEntry(BillingMetrics.TOTAL_COST_CENTS, 2040L).containsEntry(BillingMetrics.LINE_ITEMS, lineItems);
    }

    @Test
    void shouldFailADirectInvocation_whenARecordFailed_soLambdaRetriesIt() {
        assertThatThrownBy(() -> invoke(s3("bills",
                "123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-03.csv.zip")))
                .isInstanceOf(BillingFailedException.class).hasMessageContaining("1 of 1 records failed")
                .hasMessageContaining("no such object");
    }

    @Test
    void shouldAcknowledgeWhatIsNoBill() throws IOException {
        JsonNode response = invoke(Files.readString(RepoFiles.events("aws-samples")
                .resolve("s3-eventbridge-Object-Created.awsdocs-s3-userguide-2023.json")));

        assertThat(response.path("records")).singleElement().satisfies(r -> {
            assertThat(r.path("status").asText()).isEqualTo("ignored");
            assertThat(r.path("source").asText()).isEqualTo("s3://DOC-EXAMPLE-BUCKET1/example-key");
        });
        assertThat(response.has("batchItemFailures")).isFalse();
    }

    private static byte[] zip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("bill.csv"));
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
