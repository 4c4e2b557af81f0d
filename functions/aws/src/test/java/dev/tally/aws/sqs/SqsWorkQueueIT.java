package dev.tally.aws.sqs;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.WorkItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The work queue with the real {@link SqsClient} against SQS (ElasticMQ here): delays, bodies, dead letters. */
@LocalAwsTest(services = LocalService.SQS)
class SqsWorkQueueIT {
    private static SdkHttpClient http;
    private static SqsClient sqs;
    private String work;
    private String deadLetters;
    private SqsWorkQueue queue;

    @BeforeAll
    static void connect(AwsEndpoints aws) {
        http = AwsClients.httpClient();
        sqs = AwsClients.sqs(AwsConfig.local(Map.of(AwsClients.SQS, aws.endpoint(LocalService.SQS))), http);
    }

    @AfterAll
    static void disconnect() {
        sqs.close();
        http.close();
    }

    @BeforeEach
    void queues() {
        work = sqs.createQueue(b -> b.queueName("work-" + UUID.randomUUID())).queueUrl();
        deadLetters = sqs.createQueue(b -> b.queueName("work-dlq-" + UUID.randomUUID())).queueUrl();
        queue = new SqsWorkQueue(sqs, work, deadLetters);
    }

    private static List<Message> receive(String queueUrl, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .messageAttributeNames("All")).messages();
    }

    private static Map<String, String> attributes(Message message) {
        Map<String, String> strings = new java.util.TreeMap<>();
        message.messageAttributes().forEach((name, value) -> strings.put(name, value.stringValue()));
        return strings;
    }

    @Test
    void shouldDeliverAnItemAtOnce_whoseBodyReadsBackAsTheItem() {
        WorkItem item = new WorkItem(UUID.randomUUID().toString(), "crm", Map.of("job-1", "r"));

        queue.send(item, Duration.ZERO);

        List<Message> received = receive(work, 1);
        assertThat(received).singleElement().satisfies(message -> {
            assertThat(WorkItems.parse(message.body())).isEqualTo(item);
            assertThat(attributes(message)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    SqsWorkQueue.REQUEST_ID, item.requestId(), SqsWorkQueue.TARGET, "crm"));
        });
        assertThat(receive(deadLetters, 0)).isEmpty();
    }

    @Test
    void shouldHoldADelayedItem_untilItsDelayHasPassed() throws InterruptedException {
        WorkItem item = WorkItem.of(UUID.randomUUID().toString(), "archive");
        long sent = System.nanoTime();

        queue.send(item, Duration.ofMillis(1500)); // rounded up: 2 s

        assertThat(receive(work, 0)).as("invisible before its delay").isEmpty();
        List<Message> later = List.of();
        while (later.isEmpty() && System.nanoTime() - sent < Duration.ofSeconds(10).toNanos()) {
            later = receive(work, 1);
        }
        long waited = System.nanoTime() - sent;
        assertThat(later).singleElement().satisfies(m -> assertThat(WorkItems.parse(m.body())).isEqualTo(item));
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldParkADeadLetter_withTheErrorAndTheTargetAsAttributes() {
        WorkItem item = WorkItem.of(UUID.randomUUID().toString(), "crm");

        queue.deadLetter(item, "HTTP 400: {\"error\": \"unknown user\"}");

        assertThat(receive(work, 0)).isEmpty();
        List<Message> parked = receive(deadLetters, 1);
        assertThat(parked).singleElement().satisfies(message -> {
            assertThat(WorkItems.parse(message.body())).isEqualTo(item);
            assertThat(attributes(message)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    SqsWorkQueue.REQUEST_ID, item.requestId(), SqsWorkQueue.TARGET, "crm",
                    SqsWorkQueue.ERROR, "HTTP 400: {\"error\": \"unknown user\"}"));
            assertThat(message.messageAttributes().get(SqsWorkQueue.ERROR).dataType()).isEqualTo("String");
        });
    }

    @Test
    void shouldParkAMalformedMessage_asItCame_withWhatIsWrongWithIt() {
        queue.deadLetterMalformed("work", "m-1", "{\"request_id\": 7}", "work message: request_id is not an id");

        assertThat(receive(deadLetters, 1)).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("{\"request_id\": 7}");
            assertThat(attributes(message)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    SqsWorkQueue.ERROR, SqsWorkQueue.MALFORMED, SqsWorkQueue.SOURCE, "work",
                    SqsWorkQueue.MESSAGE_ID, "m-1", SqsWorkQueue.REASON, "work message: request_id is not an id"));
        });
    }

    @Test
    void shouldFailNamingTheRequestAndTarget_whenSqsCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/000000000000/work";
        try (SqsClient client = AwsClients.sqs(AwsConfig.local(Map.of(AwsClients.SQS,
                URI.create("http://127.0.0.1:" + closedPort))), http)) {
            SqsWorkQueue down = new SqsWorkQueue(client, unreachable, unreachable + "-dlq");
            assertThatThrownBy(() -> down.send(WorkItem.of("req-9", "crm"), Duration.ZERO))
                    .isInstanceOf(SqsWorkQueue.NotSentException.class)
                    .hasMessageContaining("req-9").hasMessageContaining("crm")
                    .hasCauseInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
            assertThatThrownBy(() -> down.deadLetter(WorkItem.of("req-9", "crm"), "HTTP 400"))
                    .isInstanceOf(SqsWorkQueue.NotSentException.class).hasMessageContaining("dead-letter queue");
        }
    }
}
