package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tally.privacy.RequestStatus;
import dev.tally.privacy.WorkItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tally.functions.privacy.worker.WorkerFixtures.SAMPLE_A;
import static dev.tally.functions.privacy.worker.WorkerFixtures.SAMPLE_B;
import static org.assertj.core.api.Assertions.assertThat;

/** The start function fed the processing-queue sample batch (the real SQS event, reshaped), on an in-memory store. */
class StartRequestsHandlerTest {
    private final WorkerFixtures fixtures = new WorkerFixtures();
    private final StartRequestsHandler handler = new StartRequestsHandler(fixtures.worker, fixtures.malformed,
            fixtures.published::add);
    private WorkerFixtures.CapturedLogs logs;
    private String a;
    private String b;

    @BeforeEach
    void twoQueuedRequests() {
        logs = new WorkerFixtures.CapturedLogs();
        a = fixtures.queuedDelete("u-1", "u-2");
        b = fixtures.queuedDelete("u-3");
    }

    @AfterEach
    void restoreLogs() {
        logs.close();
    }

    private SQSEvent batch() {
        return WorkerFixtures.sample("processing-batch.json", Map.of(SAMPLE_A, a, SAMPLE_B, b));
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    @Test
    void shouldStartEachRequest_withOneWorkItemPerTarget_andParkTheMalformedBody_withoutRetryingIt() {
        SQSEvent event = batch();

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixtures.store.request(a).orElseThrow().status()).isEqualTo(RequestStatus.RUNNING);
        assertThat(fixtures.store.request(b).orElseThrow().status()).isEqualTo(RequestStatus.RUNNING);
        assertThat(fixtures.sent.items()).containsExactly(WorkItem.of(a, "archive"), WorkItem.of(a, "crm"),
                WorkItem.of(b, "archive"), WorkItem.of(b, "crm"));
        SQSEvent.SQSMessage bad = event.getRecords().get(2);
        assertThat(fixtures.malformed.parked).containsExactly(new WorkerFixtures.Parked(StartRequestsHandler.SOURCE,
                bad.getMessageId(), bad.getBody(), "processing message has no request_id"));
        assertThat(fixtures.published).containsExactly(Map.of("StartRequests", 3L, "StartFailed", 0L,
                "MalformedMessages", 1L));
        assertThat(logs.text()).contains(bad.getMessageId()).doesNotContain("ada@example.com")
                .doesNotContain("u-1", "u-3");
    }

    @Test
    void shouldReportOnlyTheRecordThatFailed_andStartItWhenItComesAgain() {
        fixtures.sent.downFor.add(a);

        SQSBatchResponse response = handler.handleRequest(batch(), null);

        assertThat(failed(response)).containsExactly(batch().getRecords().get(0).getMessageId());
        assertThat(fixtures.sent.items()).containsExactly(WorkItem.of(b, "archive"), WorkItem.of(b, "crm"));
        assertThat(fixtures.published.get(0)).containsEntry("StartFailed", 1L);

        fixtures.sent.downFor.clear();
        SQSEvent again = batch();
        again.setRecords(List.of(again.getRecords().get(0)));
        assertThat(handler.handleRequest(again, null).getBatchItemFailures()).isEmpty();
        assertThat(fixtures.sent.items()).contains(WorkItem.of(a, "archive"), WorkItem.of(a, "crm"));
        assertThat(fixtures.store.request(a).orElseThrow().status()).isEqualTo(RequestStatus.RUNNING);
    }

    @Test
    void shouldFailTheRestOfAFifoBatch_unprocessed_afterTheFirstFailure() {
        fixtures.sent.downFor.add(a);
        SQSEvent event = batch();
        event.getRecords().forEach(r -> r.setEventSourceArn(r.getEventSourceArn() + ".fifo"));

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(failed(response)).containsExactlyElementsOf(event.getRecords().stream()
                .map(SQSEvent.SQSMessage::getMessageId).toList());
        assertThat(fixtures.store.request(b).orElseThrow().status()).isEqualTo(RequestStatus.QUEUED);
        assertThat(fixtures.malformed.parked).isEmpty();
    }

    @Test
    void shouldRetryTheMalformedRecord_whenItCannotBeParked() {
        fixtures.malformed.down = true;
        SQSEvent event = batch();

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(failed(response)).containsExactly(event.getRecords().get(2).getMessageId());
        assertThat(fixtures.published.get(0)).containsEntry("StartFailed", 1L).containsEntry("MalformedMessages", 0L);
    }

    @Test
    void shouldDropARequestThatDoesNotExist_andAnswerSuccess() {
        SQSEvent event = WorkerFixtures.sample("processing-batch.json", Map.of());
        event.setRecords(event.getRecords().subList(0, 2));

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixtures.sent.sent).isEmpty();
    }

    @Test
    void shouldAnswerAnEmptyBatch_withNoFailures() {
        SQSBatchResponse response = handler.handleRequest(new SQSEvent(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixtures.published).containsExactly(Map.of("StartRequests", 0L, "StartFailed", 0L,
                "MalformedMessages", 0L));
    }
}
