package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.local.SesOutbox;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The privacy API of a local server over real HTTP, as a client calls it: bearer tokens, JSON bodies, the answer's
 * status and JSON; and the local outbox where end users' confirmation codes arrive. The demo drives the API with it;
 * the end-to-end tests build on it.
 */
class PrivacyApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("\\b([0-9]{6})\\b");
    private static final Duration POLL = Duration.ofMillis(250);

    private final URI url;
    private final Path outbox;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

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

    PrivacyApiClient(URI url, Path outbox) {
        this.url = url;
        this.outbox = outbox;
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

    /** The body of {@code POST /privacy-requests}. */
    static String create(String type, String subjectType, List<String> ids) {
        ObjectNode body = JSON.createObjectNode().put("request_type", type).put("subject_type", subjectType);
        ids.forEach(body.putArray("subject_ids")::add);
        return body.toString();
    }

    /**
     * The code the outbox holds for the request (the message's tag {@code request_id} names it), once it has arrived
     * within {@code within}; empty if it has not.
     */
    Optional<String> awaitCode(String requestId, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            for (SesOutbox.Message message : SesOutbox.read(outbox)) {
                if (requestId.equals(message.tags().get("request_id"))) {
                    Matcher code = CODE.matcher(message.text() == null ? "" : message.text());
                    return code.find() ? Optional.of(code.group(1)) : Optional.empty();
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return Optional.empty();
    }

    /**
     * {@code GET /privacy-requests/{id}} until the request has ended (neither QUEUED nor RUNNING), within
     * {@code within}; the last answer either way (200 with the request, or the error).
     */
    Answer awaitEnded(String id, String token, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Answer answer = get("/privacy-requests/" + id, token);
            String status = answer.status_();
            if (answer.status() != 200 || !(status.equals("QUEUED") || status.equals("RUNNING"))
                    || !Instant.now().isBefore(deadline)) {
                return answer;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The receipt of {@code target} in a request's body. */
    static Optional<JsonNode> receipt(JsonNode request, String target) {
        for (JsonNode receipt : request.path("receipts")) {
            if (receipt.path("target").asText().equals(target)) {
                return Optional.of(receipt);
            }
        }
        return Optional.empty();
    }
}
