package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbPrivacyStore;
import dev.tally.aws.dynamodb.PrivacyTable;
import dev.tally.aws.sqs.SqsProcessingQueue;
import dev.tally.aws.sqs.SqsWorkQueue;
import dev.tally.aws.sqs.WorkItems;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.LocalWebhookDestination;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.NewRequest;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.PrivacyFixtures;
import dev.tally.privacy.PrivacyKeys;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.PrivacyRequests;
import dev.tally.privacy.Receipt;
import dev.tally.privacy.ReceiptStatus;
import dev.tally.privacy.Regulation;
import dev.tally.privacy.RequestStatus;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.StoredSubjects;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.SubjectVault;
import dev.tally.privacy.WorkItem;
import dev.tally.runtime.SummingCountMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.tally.privacy.PrivacyFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two worker functions wired from their environment, as in Lambda ({@link LocalWorkerRuntime}, the handlers'
 * public constructors), against the local stack: the privacy table in dynalite, the processing, work and dead-letter
 * queues in ElasticMQ, an S3_ARCHIVE target in S3Mock, a WEBHOOK target at {@link LocalWebhookDestination} with its
 * API key in the Secrets Manager emulator. A request made through {@link PrivacyRequests} is carried out by running
 * the start function on the processing queue's message and the work function on the work queue's messages, each
 * read from ElasticMQ as Lambda's event source mapping would deliver it.
 */
@LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.S3, LocalService.SQS, LocalService.SECRETS_MANAGER},
        emulatorSpecific = true) // the secrets are put into the emulator directly
class PrivacyWorkerIT {
    private static final String CRM_KEY = "crm-api-key-for-tests";
    private static final String EVENTS = "raw/2026/12/01/events-1.jsonl";
    private static final String OTHER_EVENTS = "raw/2026/12/01/events-2.jsonl";
    private static final List<String> EVENT_LINES = List.of(
            "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"Signed Up\"}",
            "{\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"Signed Up\",\"properties\":{\"plan\":\"pro\"}}",
            "{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"email\":\"ada@example.com\"}}",
            "{\"type\":\"page\",\"userId\":\"u-3\",\"name\":\"Pricing\"}");
    private static final String OTHER_LINES = "{\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"Logged In\"}\n"
            + "{\"type\":\"track\",\"userId\":\"u-3\",\"event\":\"Logged In\"}\n";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final java.nio.file.Path SAMPLES = java.nio.file.Path.of(System.getProperty("tally.repo.root",
            "../.."), "events/functions/privacy-worker");
    private static SdkHttpClient http;
    private static DynamoDbClient dynamo;
    private static S3Client s3;
    private static SqsClient sqs;
    private static LocalWebhookDestination crm;
    private static String bucket;
    private static String processingQueue;
    private static String workQueue;
    private static String deadLetterQueue;
    private static String workQueueArn;
    private static String processingQueueArn;
    private static DynamoDbPrivacyStore store;
    private static PrivacyRequests requests;
    private static PrivacyKeys keys;
    private static final SummingCountMetrics COUNTS = new SummingCountMetrics();
    private static StartRequestsHandler start;
    private static WorkHandler work;

    @BeforeAll
    static void deploy(LocalAws stack) {
        http = AwsClients.httpClient();
        AwsConfig local = AwsConfig.local(stack.serviceEndpoints());
        dynamo = AwsClients.dynamoDb(local, http);
        s3 = AwsClients.s3(local, http);
        sqs = AwsClients.sqs(local, http);
        crm = LocalWebhookDestination.start(LocalWebhookDestination.Mode.sync());

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String table = "privacy-" + suffix;
        bucket = "events-" + suffix;
        PrivacyTable.create(dynamo, table);
        s3.createBucket(b -> b.bucket(bucket));
        processingQueue = sqs.createQueue(b -> b.queueName("privacy-processing-" + suffix)).queueUrl();
        workQueue = sqs.createQueue(b -> b.queueName("privacy-work-" + suffix)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
        deadLetterQueue = sqs.createQueue(b -> b.queueName("privacy-work-dlq-" + suffix)).queueUrl();
        processingQueueArn = arn(processingQueue);
        workQueueArn = arn(workQueue);
        String keySecret = "tally/privacy-key-" + suffix;
        String crmSecret = "tally/crm-key-" + suffix;
        stack.secrets().put(keySecret, PrivacyFixtures.KEY_SECRET);
        stack.secrets().put(crmSecret, CRM_KEY);

        String config = """
                {"targets": [
                  {"name": "archive", "kind": "S3_ARCHIVE", "bucket": "%s", "prefixes": ["raw/"],
                   "match": {"USER_ID": ["userId"], "EMAIL": ["traits.email"]}},
                  {"name": "crm", "kind": "WEBHOOK", "url": "%s/privacy/delete", "method": "POST", "mode": "SYNC",
                   "body": "{\\"request\\": \\"{{request_id}}\\", \\"ids\\": {{subject_ids_json}}}",
                   "headers": {"Content-Type": "application/json"},
                   "secret_header": {"name": "X-Api-Key", "secret_id": "%s"}}],
                 "archive_batch": {"window_seconds": 1},
                 "retry": {"max_attempts": 3, "base_delay_seconds": 1}}""".formatted(bucket, crm.endpoint(), crmSecret);
        Map<String, String> env = new HashMap<>(stack.environment());
        env.put(WorkerConfig.TABLE, table);
        env.put(WorkerConfig.KEY_SECRET_ID, keySecret);
        env.put(WorkerConfig.CONFIG, config);
        env.put(WorkerConfig.WORK_QUEUE_URL, workQueue);
        env.put(WorkerConfig.DEAD_LETTER_QUEUE_URL, deadLetterQueue);
        LocalWorkerRuntime.install(env, COUNTS);
        start = new StartRequestsHandler();
        work = new WorkHandler();

        // The API's side: the same table, keys and config, handing requests to the processing queue.
        keys = PrivacyKeys.fromSecret(PrivacyFixtures.KEY_SECRET, new SecureRandom());
        store = new DynamoDbPrivacyStore(dynamo, table, Duration.ofDays(760));
        requests = new PrivacyRequests(store, new PrivacyFixtures.RecordingCodeSender(),
                new SqsProcessingQueue(sqs, processingQueue), keys, PrivacyConfig.parse(config),
                PrivacyRequests.Settings.DEFAULT, Clock.systemUTC(), new SecureRandom());
    }

    @AfterAll
    static void undeploy() {
        crm.close();
        sqs.close();
        s3.close();
        dynamo.close();
        http.close();
    }

    private static String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static String createDelete(String... ids) {
        PrivacyRequest created = requests.create(ADMIN, new NewRequest(RequestType.DELETE, SubjectType.USER_ID,
                List.of(ids), Optional.empty(), Regulation.GDPR, Optional.empty()), Optional.empty()).request();
        assertThat(created.status()).isEqualTo(RequestStatus.QUEUED);
        return created.id();
    }

    /** What Lambda's event source mapping would hand the function: the messages there, as an {@link SQSEvent}. */
    private static SQSEvent receive(String queueUrl, String queueArn, int expected) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (messages.size() < expected && System.nanoTime() < deadline) {
            messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                    .messages());
        }
        assertThat(messages).hasSize(expected);
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(m -> record(m, queueArn)).toList());
        return event;
    }

    private static SQSEvent.SQSMessage record(Message message, String queueArn) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(LocalAws.REGION);
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            messageAttributes.put(name, attribute);
        });
        record.setMessageAttributes(messageAttributes);
        return record;
    }

    /** As Lambda does after a batch: the records that did not fail are deleted from the queue. */
    private static void deleteHandled(String queueUrl, SQSEvent event, SQSBatchResponse response) {
        List<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
        event.getRecords().stream().filter(r -> !failed.contains(r.getMessageId()))
                .forEach(r -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(r.getReceiptHandle())));
    }

    private static List<Message> peek(String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .visibilityTimeout(0).messageAttributeNames("All")).messages();
    }

    private static byte[] gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private static List<LocalWebhookDestination.Call> callsFor(String requestId) {
        return crm.calls().stream().filter(c -> c.body() != null && c.body().contains(requestId)).toList();
    }

    /** The processing queue's message through the start function, then the work items through the work function. */
    private static SQSEvent carryOut(String requestId) {
        SQSEvent handedOver = receive(processingQueue, processingQueueArn, 1);
        assertThat(handedOver.getRecords().get(0).getBody()).contains(requestId);
        SQSBatchResponse started = start.handleRequest(handedOver, null);
        assertThat(started.getBatchItemFailures()).isEmpty();
        deleteHandled(processingQueue, handedOver, started);
        assertThat(store.request(requestId).orElseThrow().status()).isEqualTo(RequestStatus.RUNNING);

        SQSEvent items = receive(workQueue, workQueueArn, 2);
        assertThat(items.getRecords()).extracting(r -> WorkItems.parse(r.getBody())).containsExactlyInAnyOrder(
                WorkItem.of(requestId, "archive"), WorkItem.of(requestId, "crm"));
        SQSBatchResponse worked = work.handleRequest(items, null);
        assertThat(worked.getBatchItemFailures()).isEmpty();
        deleteHandled(workQueue, items, worked);
        return items;
    }

    @Test
    void shouldCarryOutOneSliceOfADistributedPass_openingTheSubjectsFromTheStore() throws Exception {
        String slice1 = "raw/2026/12/02/slice-1.jsonl";
        String slice2 = "raw/2026/12/02/slice-2.jsonl.gz";
        String outside = "raw/2026/12/02/slice-3.jsonl";
        String lines = "{\"userId\":\"u-7\",\"event\":\"A\"}\n{\"userId\":\"u-8\",\"event\":\"B\"}\n";
        put(slice1, lines);
        put(outside, lines);
        s3.putObject(b -> b.bucket(bucket).key(slice2), RequestBody.fromBytes(gzip(lines)));
        String id = createDelete("u-7");
        SQSEvent handedOver = receive(processingQueue, processingQueueArn, 1); // not started here: the slice alone
        handedOver.getRecords().forEach(r -> sqs.deleteMessage(b -> b.queueUrl(processingQueue)
                .receiptHandle(r.getReceiptHandle())));
        ObjectNode batch = (ObjectNode) JSON.readTree(SAMPLES.resolve("archive-slice-batch.json").toFile());
        ((ObjectNode) batch.get("BatchInput")).put("bucket", bucket).putArray("request_ids").add(id);
        Map<String, Object> event = JSON.convertValue(batch, new TypeReference<>() { });

        Map<String, Object> answer = new ArchiveSliceHandler().handleRequest(event, null);

        assertThat(JSON.valueToTree(answer).toString()).doesNotContain("u-7");
        assertThat(JSON.valueToTree(answer).path("keys").asInt()).isEqualTo(2);
        assertThat(JSON.valueToTree(answer).path("evidence").path(id).path("records_removed").asLong()).isEqualTo(2);
        assertThat(JSON.valueToTree(answer).path("evidence").path(id).path("objects_rewritten").asLong()).isEqualTo(2);
        assertThat(new String(object(slice1), StandardCharsets.UTF_8)).isEqualTo("{\"userId\":\"u-8\",\"event\":\"B\"}\n");
        assertThat(object(outside)).as("a key outside the slice is left to other slices")
                .isEqualTo(lines.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> again = new ArchiveSliceHandler().handleRequest(event, null);
        assertThat(JSON.valueToTree(again).path("evidence").path(id).path("records_removed").asLong())
                .as("a retried slice removes nothing twice").isZero();
    }

    @Test
    void shouldDeleteTheSubjectEverywhere_withReceipts_andDoNothingMore_whenTheWorkIsRedelivered() {
        put(EVENTS, String.join("\n", EVENT_LINES) + "\n");
        put(OTHER_EVENTS, OTHER_LINES);
        Map<String, Long> before = COUNTS.totals();
        String id = createDelete("u-1");

        SQSEvent items = carryOut(id);

        String kept = EVENT_LINES.get(1) + "\n" + EVENT_LINES.get(3) + "\n";
        assertThat(object(EVENTS)).as("the subject's lines gone, the others' bytes as they were")
                .isEqualTo(kept.getBytes(StandardCharsets.UTF_8));
        assertThat(object(OTHER_EVENTS)).isEqualTo(OTHER_LINES.getBytes(StandardCharsets.UTF_8));
        assertThat(callsFor(id)).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/privacy/delete");
            assertThat(call.header("X-Api-Key")).hasValue(CRM_KEY);
            assertThat(call.body()).isEqualTo("{\"request\": \"" + id + "\", \"ids\": [\"u-1\"]}");
        });
        PrivacyRequest finished = store.request(id).orElseThrow();
        assertThat(finished.status()).isEqualTo(RequestStatus.FINISHED);
        assertThat(finished.finishedAt()).isNotNull();
        assertThat(finished.receipts()).extracting(Receipt::target, Receipt::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("archive", ReceiptStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("crm", ReceiptStatus.SUCCEEDED));
        assertThat(finished.receipts().get(0).evidence()).containsEntry("records_removed", 2L)
                .containsEntry("objects_rewritten", 1L).containsKeys("objects_scanned", "bytes_scanned");
        assertThat(finished.receipts().get(1).evidence()).containsEntry("calls", 1L)
                .containsEntry("last_status_code", 200L);
        StoredSubjects subjects = store.subjects(id).orElseThrow();
        assertThat(subjects.form()).isEqualTo(StoredSubjects.Form.HASHED);
        assertThat(SubjectVault.hashes(subjects)).containsExactlyElementsOf(SubjectVault.hashes(
                new SubjectVault(keys).hashed(SubjectType.USER_ID, List.of("u-1")))).doesNotContain("u-1");
        assertThat(peek(deadLetterQueue)).isEmpty();
        Map<String, Long> counted = delta(before, COUNTS.totals());
        assertThat(counted).containsEntry("StartRequests", 1L).containsEntry("StartFailed", 0L)
                .containsEntry("WorkItems", 2L).containsEntry("WorkFailed", 0L)
                .containsEntry("ReceiptsDeadLettered", 0L).containsEntry("MalformedMessages", 0L);

        SQSBatchResponse again = work.handleRequest(items, null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(callsFor(id)).hasSize(1);
        assertThat(object(EVENTS)).isEqualTo(kept.getBytes(StandardCharsets.UTF_8));
        assertThat(store.request(id).orElseThrow()).isEqualTo(finished);
        assertThat(peek(workQueue)).isEmpty();
    }

    @Test
    void shouldDeadLetterTheItem_andFailItsReceipt_whenTheDestinationRefuses() {
        crm.mode(LocalWebhookDestination.Mode.failing(400));
        try {
            Map<String, Long> before = COUNTS.totals();
            String id = createDelete("u-9");

            carryOut(id);

            PrivacyRequest ended = store.request(id).orElseThrow();
            assertThat(ended.status()).isEqualTo(RequestStatus.PARTIAL_SUCCESS);
            Receipt refused = ended.receipts().get(1);
            assertThat(refused.status()).isEqualTo(ReceiptStatus.FAILED);
            assertThat(refused.lastError()).startsWith("HTTP 400").doesNotContain("u-9");
            assertThat(store.subjects(id).orElseThrow().form()).as("kept for a retry")
                    .isEqualTo(StoredSubjects.Form.SEALED);
            assertThat(peek(deadLetterQueue)).singleElement().satisfies(parked -> {
                assertThat(WorkItems.parse(parked.body())).isEqualTo(WorkItem.of(id, "crm"));
                assertThat(parked.messageAttributes().get(SqsWorkQueue.ERROR).stringValue())
                        .isEqualTo(refused.lastError());
                assertThat(parked.messageAttributes().get(SqsWorkQueue.TARGET).stringValue()).isEqualTo("crm");
                sqs.deleteMessage(b -> b.queueUrl(deadLetterQueue).receiptHandle(parked.receiptHandle()));
            });
            assertThat(delta(before, COUNTS.totals())).containsEntry("ReceiptsDeadLettered", 1L)
                    .containsEntry("WorkFailed", 0L);
        } finally {
            crm.mode(LocalWebhookDestination.Mode.sync());
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((name, count) -> delta.put(name, count - before.getOrDefault(name, 0L)));
        return delta;
    }
}
