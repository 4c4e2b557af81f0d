package dev.tally.functions.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.RepoFiles;
import dev.tally.history.History;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryStore;
import dev.tally.history.InMemoryHistoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBatchProcessorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final InMemoryHistoryStore memory = new InMemoryHistoryStore();
    /** The processor handles a batch's entries on several threads, so the sink is written concurrently. */
    private final List<String> deadLetters = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private String failingTaskArn = "none";

    private final HistoryStore store = new HistoryStore() {
        @Override
        public void record(HistoryEvent event) {
            if (event instanceof HistoryEvent.TaskStateChange t && t.taskArn().equals(failingTaskArn)) {
                throw new IllegalStateException("throttled");
            }
            memory.record(event);
        }

        @Override
        public History load(YearMonth period) {
            return memory.load(period);
        }
    };

    private EventBatchProcessor processor(java.util.Set<dev.tally.history.EventKind> kinds) {
        return new EventBatchProcessor(store, kinds, (source, reason, body) -> deadLetters.add(source + ": " + reason),
                counts -> counts.forEach((k, v) -> published.merge(k, v, Long::sum)), executor);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static String sample(String name) throws IOException {
        return Files.readString(RepoFiles.events("aws-samples/" + name));
    }

    private static ObjectNode sqs(String... bodies) {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        for (int i = 0; i < bodies.length; i++) {
            records.addObject().put("messageId", "m" + i).put("body", bodies[i]).put("eventSource", "aws:sqs")
                    .put("receiptHandle", "r" + i);
        }
        return batch;
    }

    @Test
    void shouldRecordGoodEvents_deadLetterUnusableOnes_andRetryOnlyTheFailedWrite() throws IOException {
        String fargate = sample("ecs-task-state-change-fargate-running.awsdocs-ecs-guide-2023.json");
        String ec2Task = sample("ecs-task-state-change-ec2-2016.awsdocs-ecs-guide-2019.json");
        failingTaskArn = "arn:aws:ecs:us-east-1:111122223333:task/b99d40b3-5176-4f71-9a52-9dbd6f1cebef";
        ObjectNode batch = sqs(
                fargate,
                sample("cloudtrail-eventbridge-AttachVolume.lexd-auto-tag-ebs-readme.json"),
                "{not json",
                "{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"lastStatus\":\"RUNNING\"}}",
                sample("ecs-container-instance-state-change.aws-lambda-go.json"),
                ec2Task,
                sample("ecs-deployment-state-change-completed.awsdocs-ecs-guide-2023.json"));

        EventBatchProcessor.Result result = processor(EcsEventsHandler.KINDS).process(batch);

        assertThat(result.response().toString()).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m5\"}]}");
        assertThat(result.count(EventBatchProcessor.Outcome.RECORDED)).isEqualTo(2);
        assertThat(result.count(EventBatchProcessor.Outcome.NOT_SUBSCRIBED)).isEqualTo(1);
        assertThat(result.count(EventBatchProcessor.Outcome.IGNORED)).isEqualTo(1);
        assertThat(result.count(EventBatchProcessor.Outcome.INVALID)).isEqualTo(2);
        assertThat(deadLetters).containsExactlyInAnyOrder("m2: body is not JSON",
                "m3: task event without taskArn");
        assertThat(memory.load(YearMonth.of(2020, 1)).tasks()).containsOnlyKeys(
                "arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad");
        assertThat(published).containsEntry(IngestMetrics.INVALID, 2L).containsEntry(IngestMetrics.FAILED, 1L)
                .containsEntry(IngestMetrics.RECORDED, 2L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudtrail-eventbridge-AttachVolume.lexd-auto-tag-ebs-readme.json",
        "cloudtrail-record-AttachVolume.k8s-lookup-events-fixture.json",
        "cloudtrail-record-DetachVolume.k8s-lookup-events-fixture.json"})
    void shouldRecordVolumeCalls_inTheEc2Function(String name) throws IOException {
        EventBatchProcessor.Result result = processor(Ec2EventsHandler.KINDS).process(sqs(sample(name)));

        assertThat(result.count(EventBatchProcessor.Outcome.RECORDED)).isEqualTo(1);
        assertThat(memory.load(YearMonth.of(2022, 1)).volumeCalls()).hasSize(1);
    }

    @Test
    void shouldAcceptADirectEventBridgeEvent() throws IOException {
        JsonNode event = JSON.readTree(sample("ecs-container-instance-state-change.awsdocs-ecs-guide-2023.json"));

        EventBatchProcessor.Result result = processor(EcsEventsHandler.KINDS).process(event);

        assertThat(result.response().toString()).isEqualTo("{\"recorded\":1}");
        assertThat(memory.load(YearMonth.of(2020, 1)).ec2ByContainerInstance()).hasSize(1);
    }

    @Test
    void shouldThrowForRetry_whenADirectEventCannotBeWritten() throws IOException {
        JsonNode event = JSON.readTree(sample("ecs-task-state-change-fargate-running.awsdocs-ecs-guide-2023.json"));
        failingTaskArn = event.path("detail").path("taskArn").asText();

        assertThatThrownBy(() -> processor(EcsEventsHandler.KINDS).process(event))
                .isInstanceOf(EventBatchProcessor.EventWriteException.class);
    }

    @Test
    void shouldRejectInputThatIsNeitherSqsNorEventBridge() throws IOException {
        JsonNode s3 = JSON.readTree(sample("aws-lambda-go.s3-event.json"));

        assertThatThrownBy(() -> processor(EcsEventsHandler.KINDS).process(s3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not from SQS");
        assertThat(published).containsEntry(IngestMetrics.INVALID, 1L);
    }

    @Test
    void shouldDeadLetterFailures_thatAreNotRetryable_onlyOnce() {
        ObjectNode batch = sqs("", "[]", "{\"detail-type\":\"ECS Task State Change\"}");

        EventBatchProcessor.Result result = processor(EcsEventsHandler.KINDS).process(batch);

        assertThat(result.failedIds()).isEmpty();
        assertThat(deadLetters).hasSize(3);
    }
}
