package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.SesOutbox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The privacy API over real HTTP, the processing queue and the outbox of a running {@code tally serve}. */
final class PrivacyHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("\\b([0-9]{6})\\b");

    private final URI url;
    private final Path outbox;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final software.amazon.awssdk.http.SdkHttpClient sdkHttp = AwsClients.httpClient();
    private final SqsClient sqs;
    private final String queueUrl;
    private final URI dynamoDb;
    private final String table;
    private final Set<String> seenOnQueue = ConcurrentHashMap.newKeySet();

    /** An answer: the status and the JSON body (a missing node when the body is not JSON). */
    record Answer(int status, JsonNode body) {
        String id() {
            return body.path("id").asText();
        }

        String status_() {
            return body.path("status").asText();
        }

        String errorCode() {
            return body.path("error").path("code").asText();
        }

        String field() {
            return body.path("error").path("field").asText(null);
        }
    }

    PrivacyHttp(ServeProcess server) {
        this.url = server.url();
        this.outbox = Path.of(server.serve.path("outbox").asText());
        this.queueUrl = server.serve.path("queue_url").asText();
        this.dynamoDb = server.endpoint("dynamodb");
        this.table = server.serve.path("privacy_table").asText();
        this.sqs = AwsClients.sqs(AwsConfig.local(Map.of("sqs", server.endpoint("sqs"))), sdkHttp);
    }

    Answer send(String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed;
            try {
                parsed = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                parsed = JSON.missingNode();
            }
            return new Answer(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, String body, String... headers) {
        return send("POST", path, token, body, headers);
    }

    static String create(String type, String subjectType, List<String> ids) {
        ObjectNode body = JSON.createObjectNode().put("request_type", type).put("subject_type", subjectType);
        ids.forEach(body.putArray("subject_ids")::add);
        return body.toString();
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

    /** The code the outbox holds for the request (its file names the request id in the tag {@code request_id}). */
    String awaitCode(String requestId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (SesOutbox.Message message : SesOutbox.read(outbox)) {
                if (requestId.equals(message.tags().get("request_id"))) {
                    Matcher code = CODE.matcher(message.text());
                    assertThat(code.find()).as("a code in the message text").isTrue();
                    return code.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no code in the outbox " + outbox + " for request " + requestId);
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

    @Override
    public void close() {
        sqs.close();
        sdkHttp.close();
    }
}
