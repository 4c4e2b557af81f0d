package dev.tally.aws.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The processing queue with the real {@link SqsClient} against SQS (ElasticMQ here; LocalStack with that backend). */
@LocalAwsTest(services = LocalService.SQS)
class SqsProcessingQueueIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SdkHttpClient http;
    private static SqsClient sqs;

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

    private static List<Message> receive(String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    @Test
    void shouldDeliverTheRequestId_inTheBodyAndAsAttribute() throws IOException {
        String queue = sqs.createQueue(b -> b.queueName("privacy-" + UUID.randomUUID())).queueUrl();
        String requestId = UUID.randomUUID().toString();

        new SqsProcessingQueue(sqs, queue).enqueue(requestId);

        List<Message> received = receive(queue);
        assertThat(received).hasSize(1);
        Message message = received.get(0);
        assertThat(JSON.readTree(message.body())).isEqualTo(JSON.createObjectNode().put("request_id", requestId));
        assertThat(message.body()).isEqualTo("{\"request_id\":\"" + requestId + "\"}");
        assertThat(message.messageAttributes().get(SqsProcessingQueue.REQUEST_ID).stringValue()).isEqualTo(requestId);
        assertThat(message.messageAttributes().get(SqsProcessingQueue.REQUEST_ID).dataType()).isEqualTo("String");
    }

    @Test
    void shouldGroupAndDeduplicateByRequestId_onAFifoQueue() {
        String queue = sqs.createQueue(b -> b.queueName("privacy-" + UUID.randomUUID() + ".fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        String requestId = UUID.randomUUID().toString();
        SqsProcessingQueue processing = new SqsProcessingQueue(sqs, queue);

        processing.enqueue(requestId);
        processing.enqueue(requestId); // handed over twice: delivered once

        List<Message> received = receive(queue);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, requestId);
        assertThat(received.get(0).body()).isEqualTo("{\"request_id\":\"" + requestId + "\"}");
    }

    @Test
    void shouldFailNamingTheRequest_whenSqsCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/000000000000/privacy";
        try (SqsClient client = AwsClients.sqs(AwsConfig.local(Map.of(AwsClients.SQS, URI.create("http://127.0.0.1:"
                + closedPort))), http)) {
            assertThatThrownBy(() -> new SqsProcessingQueue(client, unreachable).enqueue("req-9"))
                    .isInstanceOf(SqsProcessingQueue.NotEnqueuedException.class)
                    .hasMessageContaining("req-9")
                    .hasCauseInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
        }
    }
}
