package dev.tally.privacy;

import dev.tally.privacy.PrivacyFixtures.MutableClock;
import dev.tally.privacy.PrivacyFixtures.RecordingWorkQueue;
import dev.tally.privacy.PrivacyFixtures.ScriptedExecutor;
import dev.tally.privacy.PrivacyFixtures.Sent;
import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.tally.privacy.PrivacyFixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

class PrivacyWorkerTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final String CONFIG = """
            {"targets": [
              {"name": "archive", "kind": "S3_ARCHIVE", "bucket": "events", "prefixes": ["raw/"]},
              {"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/{{subject_id}}", "max_ids_per_call": 1},
              {"name": "mailer", "kind": "WEBHOOK", "url": "https://mail.example/{{subject_id}}", "max_ids_per_call": 1,
               "request_types": ["SUPPRESS"]}],
             "retry": {"max_attempts": 3, "base_delay_seconds": 30}}""";

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryPrivacyStore store = new InMemoryPrivacyStore();
    private final PrivacyConfig config = PrivacyConfig.parse(CONFIG);
    private final PrivacyRequests requests = new PrivacyRequests(store, new PrivacyFixtures.RecordingCodeSender(),
            new PrivacyFixtures.RecordingQueue(), PrivacyFixtures.keys(), config, PrivacyRequests.Settings.DEFAULT,
            clock, new SecureRandom());
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final ScriptedExecutor archive = new ScriptedExecutor(TargetKind.S3_ARCHIVE);
    private final ScriptedExecutor webhooks = new ScriptedExecutor(TargetKind.WEBHOOK);
    private final PrivacyWorker worker = new PrivacyWorker(store, requests.subjects(),
            PrivacyWorker.byKind(List.of(archive, webhooks)), config, queue, Duration.ofMinutes(15), clock,
            new Random(7));

    private String queuedDelete(String... ids) {
        return requests.create(ADMIN, new NewRequest(RequestType.DELETE, SubjectType.USER_ID, List.of(ids),
                Optional.empty(), Regulation.GDPR, Optional.empty()), Optional.empty()).request().id();
    }

    private static TargetOutcome.Done done(TargetWork work, String field, long value) {
        Map<String, Map<String, Object>> evidence = new java.util.HashMap<>();
        work.subjectsByRequest().keySet().forEach(id -> evidence.put(id, Map.of(field, value)));
        return new TargetOutcome.Done(evidence);
    }

    /** Runs every queued item (not waiting for delays), until the queue is empty. */
    private void drain() {
        while (!queue.sent.isEmpty()) {
            worker.work(queue.sent.remove(0).item());
        }
    }

    @Test
    void shouldRunEveryPendingTarget_andFinish_withEvidence_andForgetTheSubjects() {
        String id = queuedDelete("u-1", "u-2");
        archive.script = work -> done(work, "records_removed", 4L);
        webhooks.script = work -> done(work, "calls", 2L);

        worker.start(id);
        assertThat(queue.sent).extracting(s -> s.item().target()).containsExactly("archive", "crm");
        drain();

        PrivacyRequest finished = store.request(id).orElseThrow();
        assertThat(finished.status()).isEqualTo(RequestStatus.FINISHED);
        assertThat(finished.finishedAt()).isEqualTo(START);
        assertThat(finished.receipts()).extracting(Receipt::target, Receipt::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("archive", ReceiptStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("crm", ReceiptStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("mailer", ReceiptStatus.NOT_SUPPORTED));
        assertThat(finished.receipts().get(0).evidence()).containsEntry("records_removed", 4L);
        assertThat(finished.receipts().get(0).attempts()).isEqualTo(1);
        assertThat(archive.seen).singleElement().satisfies(work ->
                assertThat(work.subjectsByRequest()).containsEntry(id, List.of("u-1", "u-2")));
        assertThat(store.subjects(id).orElseThrow().form()).isEqualTo(StoredSubjects.Form.HASHED);
    }

    @Test
    void shouldDoNothingTwice_whenAnItemOrTheStartIsRedelivered() {
        String id = queuedDelete("u-1");
        archive.script = work -> done(work, "records_removed", 1L);
        webhooks.script = work -> done(work, "calls", 1L);
        worker.start(id);
        List<WorkItem> items = queue.sent.stream().map(Sent::item).toList();
        drain();

        items.forEach(worker::work);
        worker.start(id);
        drain();

        assertThat(archive.seen).hasSize(1);
        assertThat(webhooks.seen).hasSize(1);
        assertThat(store.request(id).orElseThrow().status()).isEqualTo(RequestStatus.FINISHED);
    }

    @Test
    void shouldRetryWithBackoff_thenFailAndDeadLetter_andEndPartialSuccess_whileOthersSucceed() {
        String id = queuedDelete("u-1");
        archive.script = work -> done(work, "records_removed", 1L);
        webhooks.script = work -> new TargetOutcome.Retry("HTTP 500", Optional.empty());

        worker.start(id);
        List<Duration> delays = new ArrayList<>();
        while (!queue.sent.isEmpty()) {
            Sent next = queue.sent.remove(0);
            delays.add(next.delay());
            worker.work(next.item());
        }

        PrivacyRequest ended = store.request(id).orElseThrow();
        assertThat(ended.status()).isEqualTo(RequestStatus.PARTIAL_SUCCESS);
        Receipt crm = ended.receipts().get(1);
        assertThat(crm.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(crm.attempts()).isEqualTo(3);
        assertThat(crm.lastError()).isEqualTo("HTTP 500");
        assertThat(webhooks.seen).hasSize(3);
        assertThat(queue.deadLetters).containsExactly("crm: HTTP 500");
        assertThat(delays.subList(2, 4)).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(15),
                Duration.ofSeconds(60)));
        assertThat(store.subjects(id).orElseThrow().form()).as("kept for a retry").isEqualTo(StoredSubjects.Form.SEALED);
    }

    @Test
    void shouldRunOnlyTheFailedTarget_whenAnAdminRetries_andThenForgetTheSubjects() {
        String id = queuedDelete("u-1");
        archive.script = work -> done(work, "records_removed", 1L);
        webhooks.script = work -> new TargetOutcome.Failed("HTTP 400");
        worker.start(id);
        drain();
        assertThat(store.request(id).orElseThrow().status()).isEqualTo(RequestStatus.PARTIAL_SUCCESS);
        webhooks.script = work -> done(work, "calls", 1L);

        PrivacyRequest retried = requests.retryFailed(ADMIN, id);
        worker.start(id);
        drain();

        assertThat(retried.status()).isEqualTo(RequestStatus.RUNNING);
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.receipts().get(1).status()).isEqualTo(ReceiptStatus.PENDING);
        assertThat(archive.seen).hasSize(1);
        assertThat(webhooks.seen).hasSize(2);
        PrivacyRequest finished = store.request(id).orElseThrow();
        assertThat(finished.status()).isEqualTo(RequestStatus.FINISHED);
        assertThat(finished.receipts().get(1).attempts()).isEqualTo(1);
        assertThat(store.subjects(id).orElseThrow().form()).isEqualTo(StoredSubjects.Form.HASHED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.retryFailed(ADMIN, id))
                .isInstanceOfSatisfying(PrivacyException.class,
                        e -> assertThat(e.error()).isEqualTo(PrivacyError.CONFLICT));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.retryFailed(
                        PrivacyFixtures.endUser("u-1", "u@example.com"), id))
                .isInstanceOfSatisfying(PrivacyException.class,
                        e -> assertThat(e.error()).isEqualTo(PrivacyError.FORBIDDEN));
    }

    @Test
    void shouldNotCutABackoffShort_whenTheStartIsRedelivered() {
        String id = queuedDelete("u-1");
        archive.script = work -> done(work, "records_removed", 1L);
        webhooks.script = work -> new TargetOutcome.Retry("HTTP 503", Optional.of(Duration.ofMinutes(2)));
        worker.start(id);
        worker.work(queue.sent.remove(0).item());
        worker.work(queue.sent.remove(0).item());
        assertThat(queue.sent).singleElement().satisfies(s -> assertThat(s.delay()).isEqualTo(Duration.ofMinutes(2)));

        worker.start(id);

        assertThat(queue.sent).as("only the delayed retry").hasSize(1);
    }

    @Test
    void shouldDeadLetterBeforeEnding_soThatAFailedParkingIsRetried() {
        String id = queuedDelete("u-1");
        archive.script = work -> new TargetOutcome.Failed("access denied");
        webhooks.script = work -> done(work, "calls", 1L);
        worker.start(id);
        WorkItem item = queue.sent.remove(0).item();
        queue.parkingDown = true;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker.work(item)).isInstanceOf(IllegalStateException.class);
        assertThat(store.request(id).orElseThrow().receipts().get(0).status()).isEqualTo(ReceiptStatus.IN_PROGRESS);
        queue.parkingDown = false;
        clock.advance(Duration.ofMinutes(16));
        worker.work(item);

        assertThat(store.request(id).orElseThrow().receipts().get(0).status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(queue.deadLetters).containsExactly("archive: access denied");
    }

    @Test
    void shouldReadTheArchiveOnce_forTheRequestsQueuedWithinTheWindow() {
        String first = queuedDelete("u-1");
        String second = queuedDelete("u-2", "u-3");
        archive.script = work -> done(work, "records_removed", 2L);
        webhooks.script = work -> done(work, "calls", 1L);
        worker.start(first);
        worker.start(second);
        assertThat(queue.sent).filteredOn(sent -> sent.item().target().equals("archive"))
                .extracting(Sent::delay).containsOnly(Duration.ofMinutes(15));

        drain();

        assertThat(archive.seen).singleElement().satisfies(work -> assertThat(work.subjectsByRequest())
                .containsEntry(first, List.of("u-1")).containsEntry(second, List.of("u-2", "u-3")));
        for (String id : List.of(first, second)) {
            PrivacyRequest request = store.request(id).orElseThrow();
            assertThat(request.status()).isEqualTo(RequestStatus.FINISHED);
            assertThat(request.receipts().get(0).evidence()).containsEntry("records_removed", 2L);
        }
    }

    @Test
    void shouldLeaveARequestForTheNextPass_whenItWouldExceedTheBatchsSubjects() {
        PrivacyConfig small = PrivacyConfig.parse(CONFIG.replace("\"retry\"",
                "\"archive_batch\": {\"window_seconds\": 60, \"max_subjects\": 2}, \"retry\""));
        PrivacyWorker bounded = new PrivacyWorker(store, requests.subjects(), PrivacyWorker.byKind(List.of(archive, webhooks)),
                small, queue, Duration.ofMinutes(15), clock, new Random(7));
        String first = queuedDelete("u-1");
        String second = queuedDelete("u-2", "u-3");
        archive.script = work -> done(work, "records_removed", 1L);
        webhooks.script = work -> done(work, "calls", 1L);
        bounded.start(first);
        bounded.start(second);
        assertThat(queue.sent).filteredOn(sent -> sent.item().target().equals("archive"))
                .extracting(Sent::delay).containsOnly(Duration.ofSeconds(60));

        while (!queue.sent.isEmpty()) {
            bounded.work(queue.sent.remove(0).item());
        }

        assertThat(archive.seen).hasSize(2);
        assertThat(archive.seen).allSatisfy(work -> assertThat(work.subjectsByRequest()).hasSize(1));
    }

    @Test
    void shouldFailTheRequest_whenEveryTargetFailsForGood() {
        String id = queuedDelete("u-1");
        archive.script = work -> new TargetOutcome.Failed("access denied");
        webhooks.script = work -> new TargetOutcome.Failed("HTTP 403");

        worker.start(id);
        drain();

        assertThat(store.request(id).orElseThrow().status()).isEqualTo(RequestStatus.FAILED);
        assertThat(queue.deadLetters).hasSize(2);
    }

    @Test
    void shouldPollAnAsyncJob_untilDone_withoutCountingPollsAsAttempts() {
        String id = queuedDelete("u-1");
        archive.script = work -> done(work, "records_removed", 0L);
        AtomicInteger polls = new AtomicInteger();
        webhooks.script = work -> new TargetOutcome.Pending(Map.of(id, Map.of("job_ids", List.of("job-9"))),
                Map.of("job", "job-9"), Duration.ofSeconds(60));
        webhooks.poll = (work, state) -> polls.incrementAndGet() < 3
                ? new TargetOutcome.Pending(Map.of(id, Map.of("job_ids", List.of(state.get("job")))), state,
                Duration.ofSeconds(60))
                : new TargetOutcome.Done(Map.of(id, Map.of("job_ids", List.of(state.get("job")), "calls", 4L)));

        worker.start(id);
        drain();

        Receipt crm = store.request(id).orElseThrow().receipts().get(1);
        assertThat(crm.status()).isEqualTo(ReceiptStatus.SUCCEEDED);
        assertThat(crm.evidence()).containsEntry("job_ids", List.of("job-9"));
        assertThat(crm.attempts()).isEqualTo(1);
        assertThat(polls).hasValue(3);
        assertThat(store.request(id).orElseThrow().status()).isEqualTo(RequestStatus.FINISHED);
    }

    @Test
    void shouldSkipWork_ofACancelledRequest_andNotStartIt() {
        String id = queuedDelete("u-1");
        requests.cancel(ADMIN, id);

        worker.start(id);
        worker.work(WorkItem.of(id, "archive"));

        assertThat(queue.sent).isEmpty();
        assertThat(archive.seen).isEmpty();
        assertThat(store.request(id).orElseThrow().status()).isEqualTo(RequestStatus.CANCELLED);
    }

    @Test
    void shouldTakeOverAReceipt_whoseWorkerDied_onceItsLeaseIsOver() {
        String id = queuedDelete("u-1");
        store.transition(id, EnumSet.of(RequestStatus.QUEUED), RequestStatus.RUNNING, START, null);
        store.claimReceipt(id, "archive", START, START);
        archive.script = work -> done(work, "records_removed", 1L);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker.work(WorkItem.of(id, "archive")))
                .as("within the lease the item must come again").isInstanceOf(PrivacyWorker.ReceiptBusyException.class);
        assertThat(archive.seen).as("within the lease").isEmpty();
        clock.advance(Duration.ofMinutes(16));
        worker.work(WorkItem.of(id, "archive"));

        Receipt receipt = store.request(id).orElseThrow().receipts().get(0);
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.SUCCEEDED);
        assertThat(receipt.attempts()).isEqualTo(2);
    }

    @Test
    void shouldCloseTheRequestOnce_whenItsLastTwoTargetsEndAtTheSameTime() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = queuedDelete("u-" + round);
            CountDownLatch both = new CountDownLatch(2);
            Function<TargetWork, TargetOutcome> meet = work -> {
                both.countDown();
                try {
                    both.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return done(work, "n", 1L);
            };
            archive.script = meet;
            webhooks.script = meet;
            worker.start(id);
            List<WorkItem> items = queue.sent.stream().map(Sent::item).toList();
            queue.sent.clear();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            items.forEach(item -> pool.submit(() -> worker.work(item)));
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            assertThat(store.request(id).orElseThrow().status()).isEqualTo(RequestStatus.FINISHED);
        }
    }

    @Test
    void shouldBackOffExponentially_withinJitter_andHonourWhatTheTargetAsked() {
        assertThat(worker.backoff(1, Optional.empty())).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(worker.backoff(3, Optional.empty())).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120));
        assertThat(worker.backoff(12, Optional.empty())).isBetween(Duration.ofMinutes(7), Duration.ofMinutes(15));
        assertThat(worker.backoff(1, Optional.of(Duration.ofMinutes(5)))).isEqualTo(Duration.ofMinutes(5));
        assertThat(worker.backoff(1, Optional.of(Duration.ofHours(2)))).isEqualTo(Duration.ofMinutes(15));
    }
}
