package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.Receipt;
import dev.tally.privacy.ReceiptStatus;
import dev.tally.privacy.RequestStatus;
import dev.tally.privacy.StoredSubjects;
import dev.tally.privacy.WorkItem;
import dev.tally.privacy.target.TargetOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tally.functions.privacy.worker.WorkerFixtures.SAMPLE_A;
import static dev.tally.functions.privacy.worker.WorkerFixtures.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The work function fed the work-queue sample batch (the real SQS event, reshaped), on an in-memory store. */
class WorkHandlerTest {
    private final WorkerFixtures fixtures = new WorkerFixtures();
    private final WorkHandler handler = new WorkHandler(fixtures.worker, fixtures.queue, fixtures.malformed,
            fixtures.published::add);
    private WorkerFixtures.CapturedLogs logs;
    private String id;

    @BeforeEach
    void aRunningRequest() {
        logs = new WorkerFixtures.CapturedLogs();
        id = fixtures.queuedDelete("u-1", "u-2");
        fixtures.worker.start(id);
        fixtures.sent.sent.clear();
        fixtures.archive.script = work -> done(work, "records_removed", 3L);
        fixtures.webhooks.script = work -> done(work, "calls", 1L);
    }

    @AfterEach
    void restoreLogs() {
        logs.close();
    }

    private SQSEvent batch() {
        return WorkerFixtures.sample("work-batch.json", Map.of(SAMPLE_A, id));
    }

    private PrivacyRequest request() {
        return fixtures.store.request(id).orElseThrow();
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    @Test
    void shouldWorkEachItem_recordTheEvidence_finishTheRequest_andParkTheMalformedBody() {
        SQSEvent event = batch();

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(request().status()).isEqualTo(RequestStatus.FINISHED);
        assertThat(request().receipts()).extracting(Receipt::target, Receipt::status).containsExactly(
                tuple("archive", ReceiptStatus.SUCCEEDED), tuple("crm", ReceiptStatus.SUCCEEDED));
        assertThat(request().receipts().get(0).evidence()).containsEntry("records_removed", 3L);
        assertThat(fixtures.archive.seen).singleElement()
                .satisfies(work -> assertThat(work.subjectsByRequest()).containsEntry(id, List.of("u-1", "u-2")));
        assertThat(fixtures.store.subjects(id).orElseThrow().form()).isEqualTo(StoredSubjects.Form.HASHED);
        SQSEvent.SQSMessage bad = event.getRecords().get(2);
        assertThat(fixtures.malformed.parked).singleElement().satisfies(parked -> {
            assertThat(parked.source()).isEqualTo(WorkHandler.SOURCE);
            assertThat(parked.messageId()).isEqualTo(bad.getMessageId());
            assertThat(parked.body()).isEqualTo(bad.getBody());
            assertThat(parked.reason()).isEqualTo("work message: target is not an id of the form [A-Za-z0-9_.-]{1,64}");
        });
        assertThat(fixtures.published).containsExactly(Map.of("WorkItems", 3L, "WorkFailed", 0L,
                "ReceiptsDeadLettered", 0L, "MalformedMessages", 1L));
        assertThat(logs.text()).contains(bad.getMessageId()).doesNotContain("ada@example.com")
                .doesNotContain("u-1", "u-2");
    }

    @Test
    void shouldDoNothingTwice_whenTheBatchIsRedelivered() {
        handler.handleRequest(batch(), null);

        SQSBatchResponse again = handler.handleRequest(batch(), null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(fixtures.archive.seen).hasSize(1);
        assertThat(fixtures.webhooks.seen).hasSize(1);
        assertThat(request().status()).isEqualTo(RequestStatus.FINISHED);
        assertThat(fixtures.published.get(1)).containsEntry("WorkItems", 3L).containsEntry("WorkFailed", 0L);
    }

    @Test
    void shouldCountTheDeadLetter_whenATargetFailsForGood() {
        fixtures.webhooks.script = work -> new TargetOutcome.Failed("HTTP 400");

        SQSBatchResponse response = handler.handleRequest(batch(), null);

        assertThat(response.getBatchItemFailures()).as("dead-lettered is handled").isEmpty();
        assertThat(fixtures.sent.deadLetters).containsExactly("crm: HTTP 400");
        assertThat(request().status()).isEqualTo(RequestStatus.PARTIAL_SUCCESS);
        assertThat(fixtures.published).containsExactly(Map.of("WorkItems", 3L, "WorkFailed", 0L,
                "ReceiptsDeadLettered", 1L, "MalformedMessages", 1L));
    }

    @Test
    void shouldReportTheRecord_whenItsRetryCannotBeQueued_andRetryWhenItComesAgain() {
        fixtures.webhooks.script = work -> new TargetOutcome.Retry("HTTP 503", Optional.empty());
        fixtures.sent.downFor.add(id);
        SQSEvent event = batch();

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(failed(response)).containsExactly(event.getRecords().get(1).getMessageId());
        assertThat(fixtures.published.get(0)).containsEntry("WorkFailed", 1L);
        Receipt crm = request().receipts().get(1);
        assertThat(crm.status()).isEqualTo(ReceiptStatus.PENDING);
        assertThat(crm.attempts()).isEqualTo(1);

        fixtures.sent.downFor.clear();
        fixtures.webhooks.script = work -> done(work, "calls", 1L);
        SQSEvent redelivered = batch();
        redelivered.setRecords(List.of(redelivered.getRecords().get(1)));
        assertThat(handler.handleRequest(redelivered, null).getBatchItemFailures()).isEmpty();
        assertThat(request().receipts().get(1).attempts()).isEqualTo(2);
        assertThat(request().status()).isEqualTo(RequestStatus.FINISHED);
    }

    @Test
    void shouldPutARetryBackOnTheQueue_withItsBackoff() {
        fixtures.webhooks.script = work -> new TargetOutcome.Retry("HTTP 503", Optional.empty());

        handler.handleRequest(batch(), null);

        assertThat(fixtures.sent.sent).singleElement().satisfies(sent -> {
            assertThat(sent.item()).isEqualTo(WorkItem.of(id, "crm"));
            assertThat(sent.delay()).isBetween(java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(30));
        });
        assertThat(request().status()).isEqualTo(RequestStatus.RUNNING);
    }
}
