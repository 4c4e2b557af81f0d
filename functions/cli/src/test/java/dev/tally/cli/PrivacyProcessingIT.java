package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.cli.PrivacyApiClient.Answer;
import dev.tally.local.LocalWebhookDestination;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import dev.tally.aws.sqs.WorkItems;
import dev.tally.privacy.WorkItem;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static dev.tally.cli.PrivacyApiClient.create;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tally serve} carrying requests out: the jar started as a user starts it, with the workers fed by its queue
 * pollers ({@link LocalQueuePoller}), one target of each kind — an S3_ARCHIVE in S3Mock (a versioned bucket with a
 * gzip and a plain JSON-lines object), a WAREHOUSE table in the stack's PostgreSQL and a WEBHOOK at a
 * {@link LocalWebhookDestination} with its API key a config secret — a request made over HTTP and read back until it
 * has ended, and the data checked where it lives; an ASYNC_JOB destination is polled until its job is done. The
 * finished request's work items delivered again change nothing. Then a destination that keeps failing: the receipt ends FAILED,
 * the item is dead-lettered, and a retry runs only that target again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyProcessingIT {
    private static final String RUN = PrivacyServeFixture.RUN;
    private static final String BUCKET = "tally-events-" + RUN;
    private static final String GZIP_KEY = "raw/2026/12/01/events-1.jsonl.gz";
    private static final String PLAIN_KEY = "raw/2026/12/01/events-2.jsonl";
    private static final String OTHERS_KEY = "raw/2026/12/01/events-3.jsonl";
    private static final String API_KEY = PrivacyServeFixture.secret("crm-api-key-" + RUN);
    private static final Duration UNTIL_ENDED = Duration.ofSeconds(90);

    private static final String GONE = PrivacyServeFixture.subject("gone");
    private static final String KEPT_1 = PrivacyServeFixture.subject("kept1");
    private static final String KEPT_2 = PrivacyServeFixture.subject("kept2");
    private static final String FAILING = PrivacyServeFixture.subject("failing");

    private static Path dir;
    private static LocalWebhookDestination crm;
    private static LocalWebhookDestination ticketing;
    private static String finishedId;
    private static ServeProcess server;
    private static PrivacyHttp api;
    private static String admin;
    private static SdkHttpClient http;
    private static S3Client s3;
    private static SqsClient sqs;
    private static List<String> gzipLines;
    private static List<String> plainLines;
    private static String oldVersionId;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("tally-processing-it-");
        crm = LocalWebhookDestination.start(LocalWebhookDestination.Mode.sync());
        ticketing = LocalWebhookDestination.start(LocalWebhookDestination.Mode.asyncJobs(2));
        Path config = dir.resolve("privacy.json");
        Files.writeString(config, """
                {"targets": [
                  {"name": "archive", "kind": "S3_ARCHIVE", "bucket": "%s", "prefixes": ["raw/"],
                   "match": {"USER_ID": ["userId"]}},
                  {"name": "warehouse", "kind": "WAREHOUSE", "tables": ["analytics.tracks"],
                   "columns": {"USER_ID": "user_id", "EMAIL": "email"}},
                  {"name": "crm", "kind": "WEBHOOK", "url": "%s/privacy/delete", "method": "POST", "mode": "SYNC",
                   "body": "{\\"request\\": \\"{{request_id}}\\", \\"ids\\": {{subject_ids_json}}}",
                   "headers": {"Content-Type": "application/json"},
                   "secret_header": {"name": "X-Api-Key", "secret_id": "crm-key"}},
                  {"name": "ticketing", "kind": "WEBHOOK", "url": "%s/erasures", "method": "POST",
                   "mode": "ASYNC_JOB", "body": "{\\"ids\\": {{subject_ids_json}}}",
                   "headers": {"Content-Type": "application/json"}, "job_id_path": "$.job.id",
                   "status_url": "%s/jobs/{{job_id}}", "status_path": "$.state", "done_values": ["done"],
                   "failed_values": ["failed"], "poll_interval_seconds": 1}],
                 "retry": {"max_attempts": 2, "base_delay_seconds": 1}, "archive_batch": {"window_seconds": 1},
                 "secrets": {"crm-key": "%s"}}
                """.formatted(BUCKET, crm.endpoint(), ticketing.endpoint(), ticketing.endpoint(), API_KEY));
        server = ServeProcess.start(dir.resolve("main"), config);
        api = new PrivacyHttp(server);
        admin = PrivacyServeFixture.secret(server.token("operator-" + RUN, "privacy:admin"));
        http = AwsClients.httpClient();
        AwsConfig local = AwsConfig.local(Map.of("s3", server.endpoint("s3"), "sqs", server.endpoint("sqs")));
        s3 = AwsClients.s3(local, http);
        sqs = AwsClients.sqs(local, http);
    }

    @AfterAll
    static void stopServer() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {api, sqs, s3, http, crm, ticketing}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (server != null) {
            server.close();
        }
        if (dir != null && !Boolean.getBoolean("tally.it.keep")) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String line(String user, String event) {
        return "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"" + event + "\"}";
    }

    @Test
    @Order(1)
    void shouldDeleteTheSubjectFromEveryTarget_withReceipts() throws Exception {
        s3.putBucketVersioning(b -> b.bucket(BUCKET)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        gzipLines = List.of(line(KEPT_1, "Signed Up"), line(GONE, "Signed Up"), line(KEPT_2, "Signed Up"),
                line(GONE, "Logged In"));
        plainLines = List.of(line(KEPT_2, "Pricing"), line(GONE, "Pricing"), line(KEPT_1, "Logged In"));
        s3.putObject(b -> b.bucket(BUCKET).key(GZIP_KEY), RequestBody.fromBytes(gzip(text(gzipLines))));
        oldVersionId = s3.putObject(b -> b.bucket(BUCKET).key(PLAIN_KEY),
                RequestBody.fromString(line(GONE, "Old") + "\n", StandardCharsets.UTF_8)).versionId();
        s3.putObject(b -> b.bucket(BUCKET).key(PLAIN_KEY), RequestBody.fromString(text(plainLines),
                StandardCharsets.UTF_8));
        String othersVersion = s3.putObject(b -> b.bucket(BUCKET).key(OTHERS_KEY),
                RequestBody.fromString(text(List.of(line(KEPT_1, "Pricing"), line(KEPT_2, "Logged In"))),
                        StandardCharsets.UTF_8)).versionId();
        try (Connection db = warehouse(); Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS analytics");
            sql.execute("CREATE TABLE analytics.tracks (user_id text, email text, event text)");
            sql.execute("INSERT INTO analytics.tracks VALUES ('" + GONE + "', 'g@example.com', 'Signed Up'), ('"
                    + GONE + "', 'g@example.com', 'Logged In'), ('" + KEPT_1 + "', 'k1@example.com', 'Signed Up'), ('"
                    + KEPT_2 + "', 'k2@example.com', 'Pricing')");
        }

        Answer created = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", List.of(GONE)));
        assertThat(created.status()).isEqualTo(201);
        JsonNode ended = awaitEnded(created.id());

        assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
        assertThat(receipt(ended, "archive").path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode archive = receipt(ended, "archive").path("evidence");
        assertThat(archive.path("records_removed").asLong()).isGreaterThanOrEqualTo(1).isEqualTo(3);
        assertThat(archive.path("versions_deleted").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode warehouse = receipt(ended, "warehouse");
        assertThat(warehouse.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(warehouse.path("evidence").path("rows_deleted").asLong()).isEqualTo(2);
        assertThat(warehouse.path("evidence").path("tables").path("analytics.tracks").asLong()).isEqualTo(2);
        JsonNode webhook = receipt(ended, "crm");
        assertThat(webhook.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(webhook.path("evidence").path("calls").asLong()).isEqualTo(1);
        JsonNode async = receipt(ended, "ticketing");
        assertThat(async.path("status").asText()).as("the async job polled to done").isEqualTo("SUCCEEDED");
        assertThat(async.path("evidence").path("job_ids")).singleElement()
                .satisfies(job -> assertThat(job.asText()).startsWith("job-"));
        String job = async.path("evidence").path("job_ids").get(0).asText();
        assertThat(ticketing.calls()).extracting(LocalWebhookDestination.Call::path)
                .containsExactly("/erasures", "/jobs/" + job, "/jobs/" + job);
        assertThat(ticketing.calls().get(0).body()).isEqualTo("{\"ids\": [\"" + GONE + "\"]}");
        finishedId = created.id();

        byte[] gz = object(GZIP_KEY);
        assertThat(gz[0] & 0xff).as("still gzip").isEqualTo(0x1f);
        assertThat(gz[1] & 0xff).isEqualTo(0x8b);
        assertThat(gunzip(gz)).isEqualTo(text(without(gzipLines, GONE)));
        assertThat(new String(object(PLAIN_KEY), StandardCharsets.UTF_8)).isEqualTo(text(without(plainLines, GONE)));
        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket(BUCKET).prefix(PLAIN_KEY)).versions();
        assertThat(versions).extracting(ObjectVersion::versionId).doesNotContain(oldVersionId);
        for (ObjectVersion version : versions) {
            String content = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(PLAIN_KEY).versionId(version.versionId()))
                    .asUtf8String();
            assertThat(content).doesNotContain(GONE);
        }
        assertThat(s3.listObjectVersions(b -> b.bucket(BUCKET).prefix(OTHERS_KEY)).versions())
                .as("the object without the subject is not rewritten").singleElement()
                .satisfies(v -> assertThat(v.versionId()).isEqualTo(othersVersion));
        assertThat(warehouseUsers()).containsExactlyInAnyOrder(KEPT_1, KEPT_2);
        assertThat(api.items(created.id())).as("the finished request's items").isNotEmpty().allSatisfy(item ->
                assertThat(item.toString()).doesNotContain(GONE));
        assertThat(api.items(created.id())).filteredOn(item -> item.get("sk").s().equals("META")).singleElement()
                .satisfies(meta -> assertThat(meta.get("subjects_form").s()).as("ids replaced by keyed hashes")
                        .isEqualTo("HASHED"));
        assertThat(callsFor(created.id())).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/privacy/delete");
            assertThat(call.header("X-Api-Key")).hasValue(API_KEY);
            assertThat(call.body()).isEqualTo("{\"request\": \"" + created.id() + "\", \"ids\": [\"" + GONE + "\"]}");
        });
    }

    @Test
    @Order(2)
    void shouldDoNothingTwice_whenTheWorkItemsOfAFinishedRequestAreDeliveredAgain() throws Exception {
        assertThat(finishedId).as("the request of the first test").isNotNull();
        JsonNode before = api.get("/privacy-requests/" + finishedId, admin).body();
        List<String> versionsBefore = versionIds();
        List<String> usersBefore = warehouseUsers();
        int crmCalls = crm.calls().size();
        int ticketingCalls = ticketing.calls().size();
        String work = server.serve.path("work_queue_url").asText();

        for (String target : List.of("archive", "warehouse", "crm", "ticketing")) {
            sqs.sendMessage(b -> b.queueUrl(work).messageBody(WorkItems.body(WorkItem.of(finishedId, target))));
        }
        awaitDrained(work);

        assertThat(api.get("/privacy-requests/" + finishedId, admin).body()).as("request and receipts")
                .isEqualTo(before);
        assertThat(versionIds()).as("no archive object rewritten or version deleted").isEqualTo(versionsBefore);
        assertThat(warehouseUsers()).containsExactlyInAnyOrderElementsOf(usersBefore);
        assertThat(crm.calls()).hasSize(crmCalls);
        assertThat(ticketing.calls()).hasSize(ticketingCalls);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(server.serve.path("work_dead_letter_queue_url").asText())
                .waitTimeSeconds(1)).messages()).as("nothing dead-lettered").isEmpty();
    }

    @Test
    @Order(3)
    void shouldFailTheTargetThatKeepsFailing_deadLetterIt_andRunOnlyItAgainOnRetry() throws Exception {
        crm.mode(LocalWebhookDestination.Mode.failing(500));
        String deadLetters = server.serve.path("work_dead_letter_queue_url").asText();

        Answer created = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", List.of(FAILING)));
        assertThat(created.status()).isEqualTo(201);
        JsonNode ended = awaitEnded(created.id());

        assertThat(ended.path("status").asText()).isEqualTo("PARTIAL_SUCCESS");
        assertThat(receipt(ended, "crm").path("status").asText()).isEqualTo("FAILED");
        assertThat(receipt(ended, "crm").path("last_error").asText()).doesNotContain(FAILING);
        assertThat(receipt(ended, "archive").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(receipt(ended, "warehouse").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(callsFor(created.id())).hasSize(2);
        List<Message> parked = sqs.receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10)
                .waitTimeSeconds(2).messageAttributeNames("All")).messages();
        assertThat(parked).singleElement().satisfies(message -> {
            assertThat(message.body()).contains(created.id()).contains("\"crm\"");
            assertThat(message.messageAttributes().get("target").stringValue()).isEqualTo("crm");
        });
        parked.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(deadLetters).receiptHandle(m.receiptHandle())));

        crm.mode(LocalWebhookDestination.Mode.sync());
        Answer retried = api.post("/privacy-requests/" + created.id() + "/retry", admin, null);
        assertThat(retried.status()).isEqualTo(200);
        JsonNode again = awaitEnded(created.id());

        assertThat(again.path("status").asText()).isEqualTo("FINISHED");
        assertThat(receipt(again, "crm").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(callsFor(created.id())).hasSize(3);
        for (String target : List.of("archive", "warehouse", "ticketing")) {
            assertThat(receipt(again, target)).as("only the failed target ran again")
                    .isEqualTo(receipt(ended, target));
        }
    }

    @Test
    @Order(4)
    void shouldStop_withALogHoldingNoSubjectId() throws Exception {
        server.stop();
        PrivacyServeFixture.assertLogHoldsNothingPersonal(server.logText());
    }

    /** GET until the request has ended (neither QUEUED nor RUNNING). */
    private static JsonNode awaitEnded(String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(UNTIL_ENDED);
        while (true) {
            Answer answer = api.get("/privacy-requests/" + id, admin);
            assertThat(answer.status()).isEqualTo(200);
            String status = answer.status_();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return answer.body();
            }
            assertThat(Instant.now()).as("request " + id + " ended within " + UNTIL_ENDED + ", still " + status)
                    .isBefore(deadline);
            Thread.sleep(500);
        }
    }

    /** Waits until the queue holds no message, visible, in flight or delayed, twice in a row. */
    private static void awaitDrained(String queueUrl) throws InterruptedException {
        Instant deadline = Instant.now().plus(UNTIL_ENDED);
        int emptyInARow = 0;
        while (emptyInARow < 2) {
            Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            boolean empty = counts.values().stream().allMatch("0"::equals);
            emptyInARow = empty ? emptyInARow + 1 : 0;
            assertThat(Instant.now()).as("the work queue drained, still " + counts).isBefore(deadline);
            Thread.sleep(1000);
        }
    }

    private static List<String> versionIds() {
        return s3.listObjectVersions(b -> b.bucket(BUCKET)).versions().stream()
                .map(v -> v.key() + "@" + v.versionId()).sorted().toList();
    }

    private static JsonNode receipt(JsonNode request, String target) {
        for (JsonNode receipt : request.path("receipts")) {
            if (receipt.path("target").asText().equals(target)) {
                return receipt;
            }
        }
        throw new AssertionError("no receipt for " + target + " in " + request.path("receipts"));
    }

    private static List<LocalWebhookDestination.Call> callsFor(String requestId) {
        return crm.calls().stream().filter(c -> c.body() != null && c.body().contains(requestId)).toList();
    }

    private static List<String> without(List<String> lines, String user) {
        return lines.stream().filter(l -> !l.contains("\"" + user + "\"")).toList();
    }

    private static String text(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    private static byte[] object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static Connection warehouse() throws SQLException {
        return DriverManager.getConnection(server.serve.path("jdbc_url").asText(),
                server.serve.path("jdbc_user").asText(), "");
    }

    private static List<String> warehouseUsers() throws SQLException {
        List<String> users = new ArrayList<>();
        try (Connection db = warehouse(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT user_id FROM analytics.tracks")) {
            while (rows.next()) {
                users.add(rows.getString(1));
            }
        }
        return users;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
