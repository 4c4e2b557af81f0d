package dev.tally.functions.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.aws.dynamodb.HistoryTable;
import dev.tally.history.History;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.rollup.ProductAreaFile;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history functions end to end on the local stack: a generated month's events, shuffled and
 * duplicated, delivered in SQS batches to the ECS and EC2 handlers, land in DynamoDB exactly as the
 * files say, and the rollup from DynamoDB equals the rollup from the files.
 */
@LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.SQS})
class HistoryFunctionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock NOW = Clock.fixed(Instant.parse("2017-04-02T00:00:00Z"), ZoneOffset.UTC);

    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static ExecutorService executor;

    @TempDir
    static Path month;
    static Manifest manifest;

    @BeforeAll
    static void start(AwsEndpoints aws) throws IOException {
        AwsConfig config = AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB),
                "sqs", aws.endpoint(LocalService.SQS)));
        dynamo = AwsClients.dynamoDb(config, AwsClients.httpClient());
        sqs = AwsClients.configure(SqsClient.builder(), config, "sqs").httpClient(AwsClients.httpClient()).build();
        executor = Executors.newFixedThreadPool(8);
        manifest = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR).seed(42).targetRows(4000)
                .events(EventOptions.messy().withDuplicateRate(0.1)).build(), month);
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
        dynamo.close();
        sqs.close();
    }

    private record Stack(String table, String deadLetterQueue, DynamoDbHistoryStore store,
                         EcsEventsHandler ecs, Ec2EventsHandler ec2) {
    }

    private static Stack stack() {
        String table = "history-" + UUID.randomUUID();
        HistoryTable.create(dynamo, table);
        String dlq = sqs.createQueue(b -> b.queueName("dlq-" + UUID.randomUUID())).queueUrl();
        DynamoDbHistoryStore store = new DynamoDbHistoryStore(dynamo, table, Duration.ofDays(400), NOW);
        DeadLetters deadLetters = new SqsDeadLetters(sqs, dlq);
        IngestMetrics metrics = counts -> { };
        return new Stack(table, dlq, store,
                new EcsEventsHandler(new EventBatchProcessor(store, EcsEventsHandler.KINDS, deadLetters, metrics,
                        executor)),
                new Ec2EventsHandler(new EventBatchProcessor(store, Ec2EventsHandler.KINDS, deadLetters, metrics,
                        executor)));
    }

    private static List<String> eventLines() throws IOException {
        try (InputStream in = Files.newInputStream(month.resolve(manifest.eventsFile()))) {
            InputStream plain = manifest.eventsFile().endsWith(".gz") ? new GZIPInputStream(in) : in;
            return new String(plain.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
        }
    }

    private static String invoke(HistoryEventsHandler handler, List<String> bodies) throws IOException {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        for (String body : bodies) {
            records.addObject().put("messageId", UUID.randomUUID().toString()).put("body", body)
                    .put("eventSource", "aws:sqs");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(batch)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Delivers every line to both functions (as two EventBridge rules would filter), in batches of ten. */
    private static void deliver(Stack stack, List<String> lines) throws IOException {
        for (int from = 0; from < lines.size(); from += 10) {
            List<String> batch = lines.subList(from, Math.min(lines.size(), from + 10));
            assertThat(invoke(stack.ecs(), batch)).isEqualTo("{\"batchItemFailures\":[]}");
            assertThat(invoke(stack.ec2(), batch)).isEqualTo("{\"batchItemFailures\":[]}");
        }
    }

    private static RollupRunner.LoadedHistory fromFiles() {
        return RollupRunner.loadHistory(month.resolve(manifest.eventsFile()));
    }

    @Test
    void shouldStoreTheSameHistory_forShuffledAndInOrderDelivery_andRollUpAsFromFiles() throws IOException {
        List<String> lines = eventLines();
        List<String> shuffled = new ArrayList<>(lines);
        shuffled.addAll(lines.subList(0, lines.size() / 3));
        Collections.shuffle(shuffled, new Random(7));
        Stack inOrder = stack();
        Stack messy = stack();

        long started = System.nanoTime();
        deliver(inOrder, lines);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("ingested %d events (each to both functions) in %.1f s: %.0f events/s%n", lines.size(),
                seconds, lines.size() / seconds);
        deliver(messy, shuffled);

        History expected = fromFiles().history().relevantTo(manifest.period());
        assertThat(inOrder.store().load(manifest.period())).isEqualTo(expected);
        assertThat(messy.store().load(manifest.period())).isEqualTo(expected);

        ProductAreaMap areas = ProductAreaFile.read(month.resolve(manifest.areasFile()));
        RollupRunner.Request request = new RollupRunner.Request(month.resolve(manifest.billFile()), null, null,
                manifest.tagKey(), null);
        Rollup fromFiles = new RollupRunner().run(request, areas, fromFiles(), bytes -> { });
        Rollup fromDynamo = new RollupRunner().run(request, areas, new RollupRunner.LoadedHistory(
                messy.store().load(manifest.period()), fromFiles().report()), bytes -> { });
        assertThat(fromDynamo.productAreaCosts()).isEqualTo(fromFiles.productAreaCosts());
        assertThat(fromDynamo.serviceCosts()).isEqualTo(fromFiles.serviceCosts()).isNotEmpty();
        assertThat(fromDynamo.untaggedResources()).isEqualTo(fromFiles.untaggedResources());
    }

    @Test
    void shouldSendUnusableEventsToTheDeadLetterQueue_withReasonAndWithoutRetry() throws IOException {
        Stack stack = stack();

        String response = invoke(stack.ecs(), List.of("{\"detail-type\":\"ECS Task State Change\",\"detail\":{}}",
                "not json at all"));

        assertThat(response).isEqualTo("{\"batchItemFailures\":[]}");
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(stack.deadLetterQueue()).maxNumberOfMessages(10)
                .messageAttributeNames("All").waitTimeSeconds(1)).messages();
        assertThat(dead).extracting(m -> m.messageAttributes().get("reason"))
                .extracting(MessageAttributeValue::stringValue)
                .containsExactlyInAnyOrder("task event without taskArn", "body is not JSON");
        assertThat(dead).extracting(Message::body).contains("not json at all");
    }

    @Test
    void shouldReportOnlyTheFailedRecord_whenTheTableIsUnavailable() throws IOException {
        String dlq = sqs.createQueue(b -> b.queueName("dlq-" + UUID.randomUUID())).queueUrl();
        DynamoDbHistoryStore missingTable = new DynamoDbHistoryStore(dynamo, "no-such-table", Duration.ofDays(1), NOW);
        EcsEventsHandler handler = new EcsEventsHandler(new EventBatchProcessor(missingTable, EcsEventsHandler.KINDS,
                new SqsDeadLetters(sqs, dlq), counts -> { }, executor));
        String task = eventLines().stream().filter(l -> l.contains("\"ECS Task State Change\"")).findFirst()
                .orElseThrow();

        ObjectNode batch = JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        records.addObject().put("messageId", "bad").put("body", "{}").put("eventSource", "aws:sqs");
        records.addObject().put("messageId", "retry-me").put("body", task).put("eventSource", "aws:sqs");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(batch)), out, null);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"retry-me\"}]}");
    }
}
