package dev.tally.privacy.webhook;

import static dev.tally.privacy.webhook.WebhookTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor over the JDK HTTP client against a CRM played by a local {@link HttpServer}. */
class WebhookExecutorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "it-api-key";

    private static HttpServer crm;
    private static String base;
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private static final AtomicInteger jobs = new AtomicInteger();

    @BeforeAll
    static void startCrm() throws IOException {
        crm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        crm.setExecutor(Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "it-crm");
            thread.setDaemon(true);
            return thread;
        }));
        crm.createContext("/", WebhookExecutorIT::handle);
        crm.start();
        base = "http://127.0.0.1:" + crm.getAddress().getPort();
    }

    @AfterAll
    static void stopCrm() {
        crm.stop(0);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        received.add(exchange.getRequestMethod() + " " + path + " key=" + exchange.getRequestHeaders().getFirst("X-Api-Key")
                + " " + body);
        if (!KEY.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
            answer(exchange, 401, "{\"error\": \"no key\"}");
        } else if (path.equals("/sync/delete")) {
            answer(exchange, 200, "{\"deleted\": " + JSON.readTree(body).get("ids").size() + "}");
        } else if (path.equals("/async/erasures")) {
            answer(exchange, 202, "{\"job\": {\"id\": \"job-" + jobs.incrementAndGet() + "\"}}");
        } else if (path.startsWith("/async/jobs/")) {
            int n = polls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            answer(exchange, 200, "{\"state\": \"" + (n >= 2 ? "complete" : "processing") + "\"}");
        } else if (path.equals("/broken")) {
            answer(exchange, 500, "internal error");
        } else if (path.equals("/busy")) {
            exchange.getResponseHeaders().set("Retry-After", "3");
            answer(exchange, 429, "{\"error\": \"slow down\"}");
        } else if (path.equals("/picky")) {
            answer(exchange, 400, "{\"error\": \"unknown subjects\", \"request\": " + body + "}");
        } else if (path.equals("/slow")) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "{}");
        } else {
            answer(exchange, 404, "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Target webhook(String name, String path, String extra) {
        return target(("{\"name\": \"%s\", \"kind\": \"WEBHOOK\", \"url\": \"%s%s\", "
                + "\"body\": \"{\\\"request\\\": \\\"{{request_id}}\\\", \\\"ids\\\": {{subject_ids_json}}}\", "
                + "\"secret_header\": {\"name\": \"X-Api-Key\", \"secret_id\": \"crm-key\"}%s}")
                .formatted(name, base, path, extra));
    }

    private static WebhookExecutor executor(Target target) {
        return new WebhookExecutor(List.of(target), id -> KEY, new JdkWebhookHttp(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    private static TargetWork work(Target target, String... ids) {
        return new TargetWork(target, RequestType.DELETE, SubjectType.USER_ID, Map.of("req-1", List.of(ids)), 1);
    }

    @Test
    void shouldBeDone_againstASyncEndpoint_inChunks() {
        Target target = webhook("sync", "/sync/delete", ", \"max_ids_per_call\": 2");

        TargetOutcome outcome = executor(target).execute(work(target, "u-1", "u-2", "o\"brien-é"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of("req-1",
                Map.of("calls", 2, "job_ids", List.of(), "last_status_code", 200))));
        assertThat(received).contains("POST /sync/delete key=" + KEY + " {\"request\": \"req-1\", \"ids\": [\"o\\\"brien-é\"]}");
    }

    @Test
    void shouldFollowAnAsyncJob_untilItCompletesAfterTwoPolls() {
        Target target = webhook("async", "/async/erasures", ", \"mode\": \"ASYNC_JOB\", \"job_id_path\": \"$.job.id\", "
                + "\"status_url\": \"" + base + "/async/jobs/{{job_id}}\", \"status_path\": \"$.state\", "
                + "\"done_values\": [\"complete\"], \"failed_values\": [\"error\"], \"poll_interval_seconds\": 5");
        WebhookExecutor executor = executor(target);
        TargetWork work = work(target, "u-1");

        TargetOutcome.Pending submitted = (TargetOutcome.Pending) executor.execute(work);
        TargetOutcome.Pending first = (TargetOutcome.Pending) executor.poll(work, submitted.state());
        TargetOutcome second = executor.poll(work, first.state());

        String jobId = ((List<?>) submitted.evidenceByRequest().get("req-1").get("job_ids")).get(0).toString();
        assertThat(submitted.pollAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(second).isEqualTo(new TargetOutcome.Done(Map.of("req-1",
                Map.of("calls", 3, "job_ids", List.of(jobId), "last_status_code", 200))));
        assertThat(polls.get("/async/jobs/" + jobId)).hasValue(2);
    }

    @Test
    void shouldRetryEachTime_againstADestinationAnswering500Forever() {
        Target target = webhook("broken", "/broken", "");
        WebhookExecutor executor = executor(target);

        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(executor.execute(new TargetWork(target, RequestType.DELETE, SubjectType.USER_ID,
                    Map.of("req-1", List.of("u-1")), attempt)))
                    .isEqualTo(new TargetOutcome.Retry("HTTP 500: internal error", Optional.empty()));
        }
    }

    @Test
    void shouldRetryAfterWhatA429Asks() {
        Target target = webhook("busy", "/busy", "");

        assertThat(executor(target).execute(work(target, "u-1"))).isEqualTo(
                new TargetOutcome.Retry("HTTP 429: {\"error\": \"slow down\"}", Optional.of(Duration.ofSeconds(3))));
    }

    @Test
    void shouldFail_onA400ThatEchoesTheIds_withoutThem() {
        Target target = webhook("picky", "/picky", "");

        TargetOutcome.Failed failed = (TargetOutcome.Failed) executor(target).execute(
                work(target, "jane@example.com", "o\"brien-é"));

        assertThat(failed.error()).isEqualTo("HTTP 400: {\"error\": \"unknown subjects\", \"request\": "
                + "{\"request\": \"req-1\", \"ids\": [\"[redacted]\",\"[redacted]\"]}}");
    }

    @Test
    void shouldRetry_whenTheDestinationIsSlowerThanTheTimeout() {
        Target target = webhook("slow", "/slow", ", \"timeout_seconds\": 0.3");

        assertThat(executor(target).execute(work(target, "u-1")))
                .isEqualTo(new TargetOutcome.Retry("no answer within 0.3 s", Optional.empty()));
    }

    @Test
    void shouldRetry_whenNothingListens() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Target target = target("{\"name\": \"gone\", \"kind\": \"WEBHOOK\", \"url\": \"http://127.0.0.1:" + port
                + "/x\", \"body\": \"{{subject_ids_json}}\"}");

        TargetOutcome outcome = executor(target).execute(work(target, "u-1"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Retry("no answer: ConnectException", Optional.empty()));
    }
}
