package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.tally.privacy.InMemoryPrivacyStore;
import dev.tally.privacy.NewRequest;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.PrivacyFixtures;
import dev.tally.privacy.PrivacyFixtures.RecordingWorkQueue;
import dev.tally.privacy.PrivacyFixtures.ScriptedExecutor;
import dev.tally.privacy.PrivacyFixtures.Sent;
import dev.tally.privacy.PrivacyRequests;
import dev.tally.privacy.PrivacyWorker;
import dev.tally.privacy.Regulation;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.WorkItem;
import dev.tally.privacy.WorkQueue;
import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static dev.tally.privacy.PrivacyFixtures.ADMIN;

/**
 * A worker on an in-memory store with scripted executors and a recording work queue, as the handlers get it from
 * {@link WorkerDependencies} in Lambda; and the sample events of {@code events/functions/privacy-worker}, their
 * request ids replaced by requests of this store.
 */
final class WorkerFixtures {
    static final Path SAMPLES = Path.of(System.getProperty("tally.repo.root", "../.."),
            "events/functions/privacy-worker");
    /** The request ids the samples name. */
    static final String SAMPLE_A = "0b9e6a52-7c1f-4e0a-9a43-2f8d5b6c7e01";
    static final String SAMPLE_B = "4d2c8e17-95ab-4f36-b0e2-7a1c3d5e9f02";
    static final String CONFIG = """
            {"targets": [
              {"name": "archive", "kind": "S3_ARCHIVE", "bucket": "events", "prefixes": ["raw/"],
               "match": {"USER_ID": ["userId"]}},
              {"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/delete",
               "body": "{\\"ids\\": {{subject_ids_json}}}"}],
             "retry": {"max_attempts": 3, "base_delay_seconds": 30}}""";

    final PrivacyFixtures.MutableClock clock = new PrivacyFixtures.MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final InMemoryPrivacyStore store = new InMemoryPrivacyStore();
    final PrivacyConfig config = PrivacyConfig.parse(CONFIG);
    final PrivacyRequests requests = new PrivacyRequests(store, new PrivacyFixtures.RecordingCodeSender(),
            new PrivacyFixtures.RecordingQueue(), PrivacyFixtures.keys(), config, PrivacyRequests.Settings.DEFAULT,
            clock, new SecureRandom());
    final RecordingWorkQueue sent = new RecordingWorkQueue();
    final CountingWorkQueue queue = new CountingWorkQueue(sent);
    final ScriptedExecutor archive = new ScriptedExecutor(TargetKind.S3_ARCHIVE);
    final ScriptedExecutor webhooks = new ScriptedExecutor(TargetKind.WEBHOOK);
    final PrivacyWorker worker = new PrivacyWorker(store, requests.subjects(), PrivacyWorker.byKind(List.of(archive, webhooks)),
            config, queue, Duration.ofMinutes(15), clock, new Random(7));
    final RecordingMalformed malformed = new RecordingMalformed();
    final List<Map<String, Long>> published = new CopyOnWriteArrayList<>();

    String queuedDelete(String... ids) {
        return requests.create(ADMIN, new NewRequest(RequestType.DELETE, SubjectType.USER_ID, List.of(ids),
                Optional.empty(), Regulation.GDPR, Optional.empty()), Optional.empty()).request().id();
    }

    /** A sample batch, the samples' request ids replaced by {@code ids} (sample id → id) in every body. */
    static SQSEvent sample(String name, Map<String, String> ids) {
        SQSEvent event = EventLoader.loadSQSEvent(SAMPLES.resolve(name).toString());
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            String body = record.getBody();
            for (Map.Entry<String, String> id : ids.entrySet()) {
                body = body.replace(id.getKey(), id.getValue());
            }
            record.setBody(body);
        }
        return event;
    }

    static TargetOutcome.Done done(TargetWork work, String field, long value) {
        Map<String, Map<String, Object>> evidence = new HashMap<>();
        work.subjectsByRequest().keySet().forEach(id -> evidence.put(id, Map.of(field, value)));
        return new TargetOutcome.Done(evidence);
    }

    record Parked(String source, String messageId, String body, String reason) {
    }

    static final class RecordingMalformed implements MalformedMessages {
        final List<Parked> parked = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void park(String source, String messageId, String body, String reason) {
            if (down) {
                throw new IllegalStateException("the dead-letter queue is down");
            }
            parked.add(new Parked(source, messageId, body, reason));
        }
    }

    /** Every line the handlers log (log4j2-test.xml writes them to the console, looked up per line). */
    static final class CapturedLogs implements AutoCloseable {
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        private final PrintStream original = System.out;

        CapturedLogs() {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        }

        String text() {
            return captured.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            System.setOut(original);
        }
    }
}
