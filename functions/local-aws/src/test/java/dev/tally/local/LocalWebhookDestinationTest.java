package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local webhook destination over real HTTP on loopback. */
class LocalWebhookDestinationTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path directory;

    private HttpResponse<String> send(URI url, String method, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer200_andRecordEveryCall_inSyncMode() throws Exception {
        try (LocalWebhookDestination destination = LocalWebhookDestination.start(LocalWebhookDestination.Mode.sync())) {
            HttpResponse<String> response = send(destination.endpoint().resolve("/privacy/delete?x=1"), "POST",
                    "{\"ids\": [\"é\"]}", "X-Api-Key", "local-key", "Content-Type", "application/json");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Json.parse(response.body())).isEqualTo(Map.of("ok", true));
            LocalWebhookDestination.Call call = destination.calls().get(0);
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/privacy/delete");
            assertThat(call.query()).isEqualTo("x=1");
            assertThat(call.body()).isEqualTo("{\"ids\": [\"é\"]}");
            assertThat(call.header("X-API-KEY")).contains("local-key");
            assertThat(call.headers()).containsKey("content-type");
        }
    }

    @Test
    void shouldRunJobs_thatAreDoneOnTheConfiguredPoll() throws Exception {
        try (LocalWebhookDestination destination =
                     LocalWebhookDestination.start(LocalWebhookDestination.Mode.asyncJobs(2))) {
            HttpResponse<String> submitted = send(destination.endpoint().resolve("/erasures"), "POST", "{}");
            String id = (String) ((Map<?, ?>) ((Map<?, ?>) Json.parse(submitted.body())).get("job")).get("id");
            URI status = destination.endpoint().resolve("/jobs/" + id);

            HttpResponse<String> first = send(status, "GET", null);
            HttpResponse<String> second = send(status, "GET", null);
            HttpResponse<String> unknown = send(destination.endpoint().resolve("/jobs/job-999"), "GET", null);

            assertThat(submitted.statusCode()).isEqualTo(202);
            assertThat(id).isEqualTo("job-1");
            assertThat(((Map<?, ?>) Json.parse(first.body())).get("state")).isEqualTo("running");
            assertThat(((Map<?, ?>) Json.parse(second.body())).get("state")).isEqualTo("done");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(destination.calls()).extracting(c -> c.method() + " " + c.path())
                    .containsExactly("POST /erasures", "GET /jobs/job-1", "GET /jobs/job-1", "GET /jobs/job-999");
        }
    }

    @Test
    void shouldFailWithTheStatus_andRetryAfter_andRecoverWhenTheModeChanges() throws Exception {
        try (LocalWebhookDestination destination =
                     LocalWebhookDestination.start(LocalWebhookDestination.Mode.failing(429, 3))) {
            HttpResponse<String> limited = send(destination.endpoint(), "POST", "{}");
            destination.mode(LocalWebhookDestination.Mode.failing(500));
            HttpResponse<String> broken = send(destination.endpoint(), "POST", "{}");
            destination.mode(LocalWebhookDestination.Mode.sync());
            HttpResponse<String> fine = send(destination.endpoint(), "POST", "{}");

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).contains("3");
            assertThat(broken.statusCode()).isEqualTo(500);
            assertThat(broken.headers().firstValue("Retry-After")).isEmpty();
            assertThat(fine.statusCode()).isEqualTo(200);
            assertThat(destination.calls()).hasSize(3);
        }
    }

    @Test
    void shouldRecordCallsAsJsonLines_thatReadBack() throws Exception {
        Path file = directory.resolve("calls/webhook.jsonl");
        try (LocalWebhookDestination destination =
                     LocalWebhookDestination.start(LocalWebhookDestination.Mode.sync(), file)) {
            send(destination.endpoint().resolve("/a"), "POST", "{\"ids\": [\"a\\\"b\"]}", "X-Request", "r-1");
            send(destination.endpoint().resolve("/b?q=%20"), "DELETE", null);

            List<LocalWebhookDestination.Call> read = LocalWebhookDestination.read(file);

            assertThat(read).isEqualTo(destination.calls());
            assertThat(read.get(0).body()).isEqualTo("{\"ids\": [\"a\\\"b\"]}");
            assertThat(read.get(0).header("x-request")).contains("r-1");
            assertThat(read.get(1).query()).isEqualTo("q=%20");
            assertThat(read.get(1).body()).isEmpty();
        }
        assertThat(LocalWebhookDestination.read(directory.resolve("none.jsonl"))).isEmpty();
    }

    @Test
    void shouldRefuseModesThatMakeNoSense() {
        assertThatThrownBy(() -> LocalWebhookDestination.Mode.asyncJobs(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalWebhookDestination.Mode.failing(99)).isInstanceOf(IllegalArgumentException.class);
    }
}
