package dev.tally.functions.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.BillParts;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.StepFunctionsEndpoint;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A legacy CUR month in four parts, with the distributed rollup switched on, on the local stack: the billing function
 * claims the manifest and starts one execution (through the real {@code SfnClient}, on the local Step Functions
 * endpoint) and no second for a duplicate notification; the test then does what the state machine does — the parts
 * list from S3, each part to the part function, the merge function last — and the run's tables in S3, its finalized
 * tables and its rows in the warehouse (PostgreSQL over JDBC) are those of the same bill rolled up in one invocation
 * by a deployment without the switch.
 */
@LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.S3, LocalService.POSTGRES})
class DistributedRollupIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE =
            "arn:aws:states:us-east-1:000000000000:stateMachine:TallyBilling-distributed-rollup";
    private static final String PREFIX = "cur/hourly/20170201-20170301/";

    @TempDir
    static Path dir;
    private static Manifest month;
    private static LocalAws aws;
    private static S3Client s3;
    private static DynamoDbClient dynamo;
    private static StepFunctionsEndpoint states;

    @BeforeAll
    static void start(LocalAws stack) throws IOException {
        aws = stack;
        AwsConfig config = AwsConfig.local(stack.serviceEndpoints());
        s3 = AwsClients.s3(config, AwsClients.httpClient());
        dynamo = AwsClients.dynamoDb(config, AwsClients.httpClient());
        states = StepFunctionsEndpoint.start();
        month = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR).compression(Compression.GZIP)
                .seed(9).targetRows(6000).malformedRows(2).build(), dir.resolve("cur"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        dynamo.close();
        states.close();
    }

    private static BillingDeployment deployment(Map<String, String> extra) throws IOException {
        return new BillingDeployment(aws, s3, dynamo, dir.resolve("cur").resolve(month.eventsFile()),
                dir.resolve("cur").resolve(month.areasFile()), "jdbc", extra);
    }

    /** The month as a legacy CUR delivery of four parts; returns the manifest's key. */
    private static String deliver(BillingDeployment d) throws IOException {
        List<byte[]> parts = BillParts.split(Files.readAllBytes(dir.resolve("cur").resolve(month.billFile())), 4);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            keys.add(PREFIX + "asm-7/hourly-" + (i + 1) + ".csv.gz");
            d.put(keys.get(i), parts.get(i));
        }
        String manifest = PREFIX + "hourly-Manifest.json";
        d.put(manifest, ("{\"assemblyId\":\"asm-7\",\"bucket\":\"" + d.bills + "\",\"compression\":\"GZIP\","
                + "\"billingPeriod\":{\"start\":\"20170201T000000.000Z\",\"end\":\"20170301T000000.000Z\"},"
                + "\"reportKeys\":" + JSON.writeValueAsString(keys) + "}").getBytes(StandardCharsets.UTF_8));
        return manifest;
    }

    /** What the state machine does with an execution: the parts list's items, each to the part function, the merge. */
    private static JsonNode execute(BillingDeployment d, StepFunctionsEndpoint.Execution execution) throws IOException {
        JsonNode input = JSON.readTree(execution.input());
        JsonNode items = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(input.path("bucket").asText())
                .key(input.path("parts_key").asText())).asByteArray());
        BillPartHandler part = new BillPartHandler(d.dependencies.rollups());
        for (JsonNode item : items) {
            ObjectNode event = JSON.createObjectNode();
            event.set(BillPartHandler.RUN, input);
            event.set(BillPartHandler.PART, item);
            JsonNode answer = BillingDeployment.invoke(part, event.toString());
            assertThat(answer.path("key").asText()).endsWith(String.format("part-%05d.json.gz", item.path("index").asInt()));
        }
        return BillingDeployment.invoke(new BillMergeHandler(d.dependencies.rollups(), new BillingMetrics(d.counts),
                d.dependencies.reports()),
                execution.input());
    }

    private static List<String> finalizedRows(BillingDeployment d, RollupTables table) throws Exception {
        String columns = String.join(", ", table.columns().subList(1, table.columns().size()));
        return d.rows("SELECT " + columns + " FROM {s}." + table.id() + "_finalized WHERE billing_period = '2017-02' "
                + "ORDER BY " + columns);
    }

    @Test
    void shouldRollUpAManifestOfManyPartsByOneDistributedRun_indistinguishableFromOneInvocation() throws Exception {
        BillingDeployment distributed = deployment(Map.of(
                BillingConfig.DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN, STATE_MACHINE,
                "AWS_ENDPOINT_URL_SFN", states.endpoint().toString()));
        String manifest = deliver(distributed);
        int before = states.started().size();

        JsonNode handed = distributed.invoke(distributed.s3Event(manifest, "0A"));
        JsonNode duplicate = distributed.invoke(distributed.s3Event(manifest, "0A"));
        List<StepFunctionsEndpoint.Execution> executions = states.started().subList(before, states.started().size());
        JsonNode merged = execute(distributed, executions.get(0));

        assertThat(handed.path("records").get(0).path("status").asText()).isEqualTo("distributed");
        assertThat(duplicate.path("records").get(0).path("status").asText()).isEqualTo("duplicate");
        assertThat(executions).singleElement().satisfies(e -> {
            assertThat(e.stateMachineArn()).isEqualTo(STATE_MACHINE);
            assertThat(e.name()).startsWith("bill-2017-02-");
        });
        JsonNode record = merged.path("records").get(0);
        assertThat(record.path("status").asText()).isEqualTo("rolled_up");
        assertThat(record.path("outputs").path("finalized").asBoolean()).isTrue();
        assertThat(distributed.counts.totals()).containsEntry(BillingMetrics.DISTRIBUTED, 1L)
                .containsEntry(BillingMetrics.DUPLICATE, 1L).containsEntry(BillingMetrics.ROLLED_UP, 1L);

        BillingDeployment single = deployment(Map.of());
        JsonNode once = single.invoke(single.s3Event(deliver(single), "0A")).path("records").get(0);

        assertThat(once.path("status").asText()).isEqualTo("rolled_up");
        JsonNode summary = ((ObjectNode) record.path("summary")).without("run_id");
        assertThat(summary).isEqualTo(((ObjectNode) once.path("summary")).without("run_id"));
        for (RollupTables table : RollupTables.values()) {
            assertThat(distributed.s3Text(record.path("outputs").path("tables").path(table.id()).asText()))
                    .as(table.id()).isEqualTo(single.s3Text(once.path("outputs").path("tables").path(table.id()).asText()));
            String finalized = "finalized/" + table.id() + "/billing_period=2017-02/cost_basis=unblended/part-0.csv";
            assertThat(distributed.s3Text(finalized)).as(table.id()).isEqualTo(single.s3Text(finalized));
            List<String> rows = finalizedRows(distributed, table);
            assertThat(rows).as(table.id()).isEqualTo(finalizedRows(single, table));
            // the generated month has no split line items: its comparison (§9) is a header without rows
            if (table == RollupTables.ECS_SPLIT_COMPARISON) {
                assertThat(rows).as(table.id()).isEmpty();
            } else {
                assertThat(rows).as(table.id()).isNotEmpty();
            }
        }
        assertThat(distributed.rows("SELECT count(*) FROM {s}.rollup_runs")).containsExactly("1");
        assertThat(distributed.rows("SELECT run_id FROM {s}.rollup_runs"))
                .containsExactly(JSON.readTree(executions.get(0).input()).path("run_id").asText());
    }
}
