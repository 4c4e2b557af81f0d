package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The privacy API over real HTTP ({@link PrivacyApiClient}), plus the processing queue and the outbox of a running
 * {@code tally serve}, with assertions for tests.
 */
final class PrivacyHttp extends PrivacyApiClient implements AutoCloseable {
    private final software.amazon.awssdk.http.SdkHttpClient sdkHttp = AwsClients.httpClient();
    private final SqsClient sqs;
    private final String queueUrl;
    private final URI dynamoDb;
    private final String table;
    private final Set<String> seenOnQueue = ConcurrentHashMap.newKeySet();

    PrivacyHttp(ServeProcess server) {
        super(server.url(), Path.of(server.serve.path("outbox").asText()));
        this.queueUrl = server.serve.path("queue_url").asText();
        this.dynamoDb = server.endpoint("dynamodb");
        this.table = server.serve.path("privacy_table").asText();
        this.sqs = AwsClients.sqs(AwsConfig.local(Map.of("sqs", server.endpoint("sqs"))), sdkHttp);
    }

    /** Waits until the processing queue has carried a message for the request (messages are taken off the queue). */
    void awaitOnQueue(String requestId) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!seenOnQueue.contains(requestId)) {
            assertThat(Instant.now()).as("a message for request " + requestId + " on the processing queue")
                    .isBefore(deadline);
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")).messages()) {
                try {
                    String id = JSON.readTree(message.body()).path("request_id").asText();
                    assertThat(message.messageAttributes().get("request_id").stringValue()).isEqualTo(id);
                    seenOnQueue.add(id);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** The code the outbox holds for the request, which must arrive within 30 s. */
    String awaitCode(String requestId) throws InterruptedException {
        return awaitCode(requestId, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no code in the outbox for request " + requestId));
    }

    /** Sets the request's status to RUNNING in its META item, as a worker does when it picks the request up. */
    void markRunning(String requestId) {
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", dynamoDb)), sdkHttp)) {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("REQ#" + requestId), "sk", AttributeValue.fromS("META")))
                    .updateExpression("SET #s = :running").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":running", AttributeValue.fromS("RUNNING"))));
        }
    }

    /** Every item of the request in the privacy table (its META and its receipts), as DynamoDB returns them. */
    List<Map<String, AttributeValue>> items(String requestId) {
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", dynamoDb)), sdkHttp)) {
            return dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("REQ#" + requestId)))).items();
        }
    }

    @Override
    public void close() {
        sqs.close();
        sdkHttp.close();
    }
}
