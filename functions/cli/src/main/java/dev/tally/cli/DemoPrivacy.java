package dev.tally.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.cli.PrivacyApiClient.Answer;
import dev.tally.local.LocalAwsException;
import dev.tally.local.LocalWebhookDestination;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's privacy part, as it runs in AWS: the privacy API and workers of {@code tally serve} on their own local
 * stack, with three targets — the sample event archive in S3 ({@link DemoArchive}), a warehouse table in PostgreSQL
 * ({@link DemoWarehouse}) and a downstream tool's deletion API ({@link LocalWebhookDestination}, started here). One
 * sample user asks to be deleted through the API and confirms with the code from the outbox; the request is read
 * back until it has ended, its receipts printed, and the data checked where it lives: the user is gone from all
 * three while every other user's data is as it was. Anything else is a {@link DemoCheckFailed}.
 */
final class DemoPrivacy {
    static final String SUBJECT = DemoArchive.user(42);
    static final String WEBHOOK = "crm";
    private static final String API_KEY_SECRET = "demo-crm-api-key";
    private static final Duration UNTIL_ENDED = Duration.ofSeconds(120);
    private static final ObjectMapper SORTED_JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final ObjectWriter SORTED = SORTED_JSON.writer();

    /** The demo's privacy part found what it should not (the message says what). */
    static final class DemoCheckFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoCheckFailed(String message) {
            super(message);
        }
    }

    private final PrintWriter out;

    DemoPrivacy(PrintWriter out) {
        this.out = out;
    }

    void run() throws Exception {
        Path state = Files.createTempDirectory("tally-demo-privacy-");
        String apiKey = LocalPrivacyStack.newKey();
        out.println();
        out.println("Privacy: the privacy API and workers (as 'tally serve' runs them) with three targets ...");
        out.flush();
        try (LocalWebhookDestination crm = LocalWebhookDestination.start(LocalWebhookDestination.Mode.sync())) {
            Path config = state.resolve("privacy.json");
            Files.writeString(config, config(crm, apiKey));
            LocalPrivacyStack stack;
            try {
                stack = LocalPrivacyStack.start(state, Optional.of(config), Optional.empty());
            } catch (LocalAwsException e) {
                out.println("  Left out: the local stack for the privacy functions cannot start (" + e.getMessage()
                        + ").");
                return;
            }
            try (stack; LocalPrivacyServer server = LocalPrivacyServer.start(stack, LocalJwt.inStateDir(state), 0,
                    true); SdkHttpClient http = AwsClients.httpClient();
                 S3Client s3 = AwsClients.s3(AwsConfig.local(stack.aws.serviceEndpoints()), http)) {
                deleteOneUser(stack, server, s3, crm, state, apiKey);
            }
        }
    }

    private void deleteOneUser(LocalPrivacyStack stack, LocalPrivacyServer server, S3Client s3,
                               LocalWebhookDestination crm, Path state, String apiKey) throws Exception {
        DemoArchive archive = DemoArchive.sample(SUBJECT);
        archive.put(s3);
        Map<String, String> versionsBefore = DemoArchive.versions(s3);
        DemoWarehouse warehouse = new DemoWarehouse(stack.aws.jdbcUrl(), stack.aws.jdbcUser(),
                stack.aws.jdbcPassword());
        long rows = warehouse.load(archive);
        DemoWarehouse.Fingerprint rowsBefore = warehouse.fingerprint(SUBJECT);
        int gzip = (int) archive.objects.stream().filter(DemoArchive.SampleObject::gzip).count();
        out.printf("  archive   s3://%s/%s: %,d events of %d users in %d objects (%d gzip, %d plain), versioned, "
                        + "%d objects with an older version%n", DemoArchive.BUCKET, DemoArchive.PREFIX, archive.events(),
                DemoArchive.USERS, archive.objects.size(), gzip, archive.objects.size() - gzip,
                versionsBefore.size() - archive.objects.size());
        out.printf("  warehouse %s in PostgreSQL: %,d rows%n", DemoWarehouse.TABLE, rows);
        out.printf("  webhook   %s: a downstream tool's deletion API at %s, its API key a Secrets Manager secret%n",
                WEBHOOK, crm.endpoint());

        PrivacyApiClient api = new PrivacyApiClient(server.url(), stack.outbox);
        String token = TokenCommand.token(state, SUBJECT, null, null, Duration.ofMinutes(15));
        Answer created = api.post("/privacy-requests", token,
                PrivacyApiClient.create("DELETE", "USER_ID", List.of(SUBJECT)));
        expect(created.status() == 201, "POST /privacy-requests answered " + created.status());
        out.printf("  Sample user %s asks to be deleted: POST %s/privacy-requests → %d %s%n", SUBJECT, server.url(),
                created.status(), created.status_());
        String code = api.awaitCode(created.id(), Duration.ofSeconds(30))
                .orElseThrow(() -> new DemoCheckFailed("no confirmation code arrived in " + stack.outbox));
        Answer confirmed = api.post("/privacy-requests/" + created.id() + "/confirm", token,
                "{\"code\": \"" + code + "\"}");
        expect(confirmed.status() == 200, "POST …/confirm answered " + confirmed.status());
        out.printf("  The code from the outbox (%s), then POST …/confirm → %d %s%n", stack.outbox,
                confirmed.status(), confirmed.status_());
        out.flush();
        long started = System.nanoTime();
        Answer ended = api.awaitEnded(created.id(), token, UNTIL_ENDED);
        out.printf("  Request %s: %s after %.1f s. Receipts:%n", created.id(), ended.status_(),
                (System.nanoTime() - started) / 1e9);
        for (JsonNode receipt : ended.body().path("receipts")) {
            out.printf("    %-10s %-10s %s%n", receipt.path("target").asText(), receipt.path("status").asText(),
                    sorted(receipt.path("evidence")));
        }
        expect(ended.status_().equals("FINISHED"), "the request ended " + ended.status_() + ", not FINISHED");
        checkEveryTarget(created.id(), archive, s3, versionsBefore, warehouse, rowsBefore, crm, apiKey);
    }

    /** The data where it lives against what was put there: the user gone, everyone else as they were. */
    private void checkEveryTarget(String requestId, DemoArchive archive, S3Client s3, Map<String, String> versionsBefore,
                                  DemoWarehouse warehouse, DemoWarehouse.Fingerprint rowsBefore,
                                  LocalWebhookDestination crm, String apiKey) throws SQLException {
        DemoArchive.Check check = archive.check(s3, versionsBefore);
        DemoWarehouse.Fingerprint rowsAfter = warehouse.fingerprint(SUBJECT);
        List<String> problems = new ArrayList<>(check.problems());
        if (rowsAfter.subjectRows() != 0) {
            problems.add(DemoWarehouse.TABLE + " still holds " + rowsAfter.subjectRows() + " rows of the user");
        }
        if (rowsAfter.otherRows() != rowsBefore.otherRows()
                || !rowsAfter.otherRowsMd5().equals(rowsBefore.otherRowsMd5())) {
            problems.add(DemoWarehouse.TABLE + ": the other users' rows changed");
        }
        List<LocalWebhookDestination.Call> calls = crm.calls();
        boolean called = calls.size() == 1 && calls.get(0).body().contains(requestId)
                && calls.get(0).body().contains("\"" + SUBJECT + "\"")
                && calls.get(0).header("X-Api-Key").filter(apiKey::equals).isPresent();
        if (!called) {
            problems.add(WEBHOOK + ": expected one call naming the request and the user with the API key, got "
                    + calls.size() + " calls");
        }
        if (!problems.isEmpty()) {
            throw new DemoCheckFailed(String.join("; ", problems));
        }
        out.printf("  Checked where the data lives: %s is gone from all three; every other user's data is unchanged.%n",
                SUBJECT);
        out.printf("    archive:   in none of the versions left; %d objects rewritten (gzip still gzip), %d objects "
                        + "without the user untouched (same version), %d older version holding the user deleted; "
                        + "%,d other users' lines byte for byte as they were, in order%n", check.objectsRewritten(),
                check.objectsUntouched(), check.olderVersionsDeleted(), check.otherLinesKept());
        out.printf("    warehouse: %d rows of the user (%d before); the other %,d rows as they were (md5 %s)%n",
                rowsAfter.subjectRows(), rowsBefore.subjectRows(), rowsAfter.otherRows(), rowsAfter.otherRowsMd5());
        out.printf("    webhook:   called once, %s %s with the request id, the user id and the X-Api-Key header%n",
                calls.get(0).method(), calls.get(0).path());
    }

    /** The evidence with its keys in order (the store keeps no order), for output that reads the same each run. */
    private static String sorted(JsonNode evidence) throws JsonProcessingException {
        return SORTED.writeValueAsString(SORTED_JSON.convertValue(evidence, Object.class));
    }

    private static void expect(boolean condition, String otherwise) {
        if (!condition) {
            throw new DemoCheckFailed(otherwise);
        }
    }

    /** The config document of privacy.md's "Local mode" for the three targets. */
    private static String config(LocalWebhookDestination crm, String apiKey) {
        return """
                {"targets": [
                  {"name": "archive", "kind": "S3_ARCHIVE", "bucket": "%s", "prefixes": ["%s"],
                   "match": {"USER_ID": ["userId"], "EMAIL": ["traits.email", "context.traits.email"]}},
                  {"name": "warehouse", "kind": "WAREHOUSE", "tables": ["%s"],
                   "columns": {"USER_ID": "user_id", "EMAIL": "email"}},
                  {"name": "%s", "kind": "WEBHOOK", "url": "%s/privacy/delete", "method": "POST", "mode": "SYNC",
                   "body": "{\\"request\\": \\"{{request_id}}\\", \\"user_ids\\": {{subject_ids_json}}}",
                   "headers": {"Content-Type": "application/json"},
                   "secret_header": {"name": "X-Api-Key", "secret_id": "%s"}}],
                 "retry": {"max_attempts": 3, "base_delay_seconds": 1}, "archive_batch": {"window_seconds": 1},
                 "secrets": {"%s": "%s"}}
                """.formatted(DemoArchive.BUCKET, DemoArchive.PREFIX, DemoWarehouse.TABLE, WEBHOOK, crm.endpoint(),
                API_KEY_SECRET, API_KEY_SECRET, apiKey);
    }
}
