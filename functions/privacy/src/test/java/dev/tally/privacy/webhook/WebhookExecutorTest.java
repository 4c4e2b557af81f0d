package dev.tally.privacy.webhook;

import static dev.tally.privacy.webhook.WebhookTargets.async;
import static dev.tally.privacy.webhook.WebhookTargets.sync;
import static dev.tally.privacy.webhook.WebhookTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.PrivacyFixtures.MutableClock;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SecretSource;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import dev.tally.privacy.webhook.WebhookHttp.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WebhookExecutorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "sk_live_very-secret-value";

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper sleeper = duration -> {
        sleeps.add(duration);
        clock.advance(duration);
    };
    private final AtomicInteger secretReads = new AtomicInteger();
    private final SecretSource secrets = id -> {
        secretReads.incrementAndGet();
        return switch (id) {
            case "crm-key" -> API_KEY;
            case "jobs-token" -> "Bearer jobs-token-value";
            default -> throw new SecretSource.SecretUnavailableException("secret " + id + " is unavailable", null);
        };
    };
    private final FakeWebhookHttp http = new FakeWebhookHttp();

    private WebhookExecutor executor(Target target) {
        return new WebhookExecutor(List.of(target), secrets, http, clock, sleeper);
    }

    private static TargetWork work(Target target, RequestType type, Map<String, List<String>> subjects) {
        return new TargetWork(target, type, SubjectType.USER_ID, subjects, 1);
    }

    private static TargetWork work(Target target, String... ids) {
        return work(target, RequestType.DELETE, Map.of("req-1", List.of(ids)));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static List<String> idsOf(FakeWebhookHttp.Call call) throws Exception {
        List<String> ids = new ArrayList<>();
        json(call.body()).get("ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    // ---- SYNC -----------------------------------------------------------------------------------------------

    @Test
    void shouldBeDone_whenASyncDestinationAnswers2xx_withTheCallAsConfigured() throws Exception {
        Target crm = target(sync(""));
        http.answering(call -> new Response(204, ""));

        TargetOutcome outcome = executor(crm).execute(work(crm, "u-1", "u-2"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of("req-1",
                Map.of("calls", 1, "job_ids", List.of(), "last_status_code", 204))));
        FakeWebhookHttp.Call call = http.calls.get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.url()).hasToString("https://crm.example/privacy/delete");
        assertThat(call.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(call.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("X-Request", "req-1").containsEntry("X-Api-Key", API_KEY);
        assertThat(json(call.body())).isEqualTo(json("{\"request\": \"req-1\", \"type\": \"USER_ID\", \"ids\": [\"u-1\", \"u-2\"]}"));
    }

    @Test
    void shouldCallPerRequest_inChunksOfMaxIdsPerCall() throws Exception {
        Target crm = target(sync(", \"max_ids_per_call\": 100"));
        List<String> many = IntStream.range(0, 250).mapToObj(i -> "u-" + i).toList();
        Map<String, List<String>> subjects = new LinkedHashMap<>();
        subjects.put("req-b", List.of("v-1"));
        subjects.put("req-a", many);

        TargetOutcome.Done done = (TargetOutcome.Done) executor(crm).execute(work(crm, RequestType.DELETE, subjects));

        assertThat(http.calls).hasSize(4);
        assertThat(http.calls).extracting(call -> call.headers().get("X-Request"))
                .containsExactly("req-a", "req-a", "req-a", "req-b");
        assertThat(idsOf(http.calls.get(0))).hasSize(100).startsWith("u-0").endsWith("u-99");
        assertThat(idsOf(http.calls.get(2))).hasSize(50).endsWith("u-249");
        assertThat(idsOf(http.calls.get(3))).containsExactly("v-1");
        assertThat(done.evidenceByRequest().get("req-a")).containsEntry("calls", 3);
        assertThat(done.evidenceByRequest().get("req-b")).containsEntry("calls", 1);
    }

    @Test
    void shouldSendEachIdOnce_asTheSubjectTypeNormalizesIt() throws Exception {
        Target crm = target(sync(""));

        executor(crm).execute(new TargetWork(crm, RequestType.DELETE, SubjectType.EMAIL,
                Map.of("req-1", List.of("Ann@Example.com", "ann@example.com ", "bob@example.com")), 1));

        assertThat(idsOf(http.calls.get(0))).containsExactly("ann@example.com", "bob@example.com");
        assertThat(json(http.calls.get(0).body()).get("type").asText()).isEqualTo("EMAIL");
    }

    @Test
    void shouldEscapeIds_withQuotesUnicodeAndBraces_andNeverExpandThem() throws Exception {
        Target crm = target(sync(""));
        List<String> awkward = List.of("a\"b\\c", "é☃😀", "{{request_id}}", "line\nbreak", "</script>");

        executor(crm).execute(work(crm, awkward.toArray(String[]::new)));

        assertThat(idsOf(http.calls.get(0))).containsExactlyElementsOf(awkward);
        assertThat(json(http.calls.get(0).body()).get("request").asText()).isEqualTo("req-1");
    }

    @Test
    void shouldPercentEncodePlaceholdersInUrls_andJsonEscapeTextInBodies() throws Exception {
        Target perUser = target("""
                {"name": "per-user", "kind": "WEBHOOK", "method": "DELETE",
                 "url": "https://api.example/users/{{subject_id}}?request={{request_id}}&ids={{subject_ids_json}}",
                 "body": "{\\"reason\\": \\"{{request_type}} of {{request_id}}\\"}"}""");

        TargetOutcome outcome = executor(perUser).execute(work(perUser, RequestType.DELETE,
                Map.of("r \"1\"", List.of("a b/c?d#é", "x&y"))));

        assertThat(outcome).isInstanceOf(TargetOutcome.Done.class);
        assertThat(http.calls).hasSize(2);
        assertThat(http.calls.get(0).method()).isEqualTo("DELETE");
        assertThat(http.calls.get(0).url().toString()).isEqualTo("https://api.example/users/a%20b%2Fc%3Fd%23%C3%A9"
                + "?request=r%20%221%22&ids=%5B%22a%20b%2Fc%3Fd%23%C3%A9%22%5D");
        assertThat(http.calls.get(1).url().getRawPath()).isEqualTo("/users/x%26y");
        assertThat(json(http.calls.get(0).body()).get("reason").asText()).isEqualTo("DELETE of r \"1\"");
    }

    @Test
    void shouldSayAccepted_forAnAcceptedModeDestination() {
        Target ops = target("""
                {"name": "ops", "kind": "WEBHOOK", "mode": "ACCEPTED", "url": "https://ops.example/forget",
                 "body": "{\\"ids\\": {{subject_ids_json}}}"}""");
        http.answering(call -> new Response(202, "{\"queued\": true}"));

        TargetOutcome outcome = executor(ops).execute(work(ops, "u-1"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of("req-1",
                Map.of("calls", 1, "job_ids", List.of(), "last_status_code", 202, "accepted", true))));
        assertThat(http.calls.get(0).headers()).doesNotContainKey("X-Api-Key");
    }

    // ---- request types ------------------------------------------------------------------------------------

    @Test
    void shouldBeNotSupported_forARequestTypeTheDestinationDoesNotList_withoutCalling() {
        Target crm = target(sync(", \"request_types\": [\"DELETE\"]"));

        TargetOutcome outcome = executor(crm).execute(work(crm, RequestType.SUPPRESS, Map.of("req-1", List.of("u-1"))));

        assertThat(outcome).isInstanceOf(TargetOutcome.NotSupported.class);
        assertThat(((TargetOutcome.NotSupported) outcome).reason()).contains("crm", "SUPPRESS");
        assertThat(http.calls).isEmpty();
        assertThat(secretReads).hasValue(0);
    }

    @Test
    void shouldSendSuppressions_toADestinationThatListsThem() throws Exception {
        Target crm = target(sync(", \"request_types\": [\"SUPPRESS\", \"UNSUPPRESS\"]")
                .replace("\\\"type\\\": \\\"{{subject_type}}\\\"", "\\\"type\\\": \\\"{{request_type}}\\\""));

        TargetOutcome outcome = executor(crm).execute(work(crm, RequestType.UNSUPPRESS, Map.of("req-1", List.of("u-1"))));

        assertThat(outcome).isInstanceOf(TargetOutcome.Done.class);
        assertThat(json(http.calls.get(0).body()).get("type").asText()).isEqualTo("UNSUPPRESS");
        assertThat(executor(crm).execute(work(crm, "u-1"))).isInstanceOf(TargetOutcome.NotSupported.class);
    }

    // ---- errors -------------------------------------------------------------------------------------------

    @Test
    void shouldRetry_on5xx_withoutAWaitWhenNoneIsAsked() {
        Target crm = target(sync(""));
        http.answering(call -> new Response(502, "<html>bad gateway</html>"));

        TargetOutcome outcome = executor(crm).execute(work(crm, "u-1"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Retry("HTTP 502: <html>bad gateway</html>", Optional.empty()));
    }

    @Test
    void shouldRetry_on429_afterRetryAfterSeconds() {
        Target crm = target(sync(""));
        http.answering(call -> new Response(429, Map.of("Retry-After", List.of("120")), ""));

        TargetOutcome outcome = executor(crm).execute(work(crm, "u-1"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Retry("HTTP 429", Optional.of(Duration.ofSeconds(120))));
    }

    @Test
    void shouldRetry_on503_afterARetryAfterHttpDate_measuredByTheClock() {
        Target crm = target(sync(""));
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().minusSeconds(5).atOffset(ZoneOffset.UTC));
        http.answering(call -> new Response(503, Map.of("retry-after", List.of(in90s)), "down"));
        TargetOutcome later = executor(crm).execute(work(crm, "u-1"));
        http.answering(call -> new Response(503, Map.of("Retry-After", List.of(past)), "down"));
        TargetOutcome now = executor(crm).execute(work(crm, "u-1"));
        http.answering(call -> new Response(503, Map.of("Retry-After", List.of("soon")), "down"));
        TargetOutcome unreadable = executor(crm).execute(work(crm, "u-1"));

        assertThat(((TargetOutcome.Retry) later).after()).contains(Duration.ofSeconds(90));
        assertThat(((TargetOutcome.Retry) now).after()).contains(Duration.ZERO);
        assertThat(((TargetOutcome.Retry) unreadable).after()).isEmpty();
    }

    @Test
    void shouldRetry_onATimeoutOrNoAnswer() {
        Target crm = target(sync(", \"timeout_seconds\": 2.5"));

        http.failing(new HttpTimeoutException("request timed out"));
        TargetOutcome timedOut = executor(crm).execute(work(crm, "u-1"));
        http.failing(new ConnectException("Connection refused: https://crm.example/u-1"));
        TargetOutcome refused = executor(crm).execute(work(crm, "u-1"));

        assertThat(timedOut).isEqualTo(new TargetOutcome.Retry("no answer within 2.5 s", Optional.empty()));
        assertThat(refused).isEqualTo(new TargetOutcome.Retry("no answer: ConnectException", Optional.empty()));
        assertThat(http.calls.get(0).timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void shouldFailAtOnce_on4xx_withTheFirst200CharactersOfTheBody() {
        Target crm = target(sync(""));
        String body = "{\"error\": \"" + "x".repeat(300) + "\"}";
        http.answering(call -> new Response(422, body));

        TargetOutcome outcome = executor(crm).execute(work(crm, "u-1", "u-2"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Failed("HTTP 422: " + body.substring(0, 200)));
        assertThat(http.calls).hasSize(1);
    }

    @Test
    void shouldStopAtTheFirstFailingCall() {
        Target crm = target(sync(", \"max_ids_per_call\": 1"));
        AtomicInteger n = new AtomicInteger();
        http.answering(call -> n.incrementAndGet() == 2 ? new Response(500, "") : new Response(200, ""));

        TargetOutcome outcome = executor(crm).execute(work(crm, "u-1", "u-2", "u-3"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Retry("HTTP 500", Optional.empty()));
        assertThat(http.calls).hasSize(2);
    }

    @Test
    void shouldScrubTheWorksIds_fromAnErrorInEveryFormTheyMayBeEchoed() {
        Target crm = target(sync(""));
        Map<String, List<String>> subjects = new LinkedHashMap<>();
        subjects.put("req-1", List.of("Ann.Lee@Example.com", "o\"brien/1"));
        subjects.put("req-2", List.of("zoë@example.com"));
        http.answering(call -> new Response(400, "{\"error\": \"unknown users\", \"ids\": [\"ann.lee@example.com\", "
                + "\"o\\\"brien\\/1\", \"zo\\u00EB@example.com\", \"ANN.LEE@EXAMPLE.COM\"], "
                + "\"url\": \"/x?u=o%22brien%2F1&v=zo%C3%AB%40example.com\", \"raw\": \"zoë@example.com\"}"));

        TargetOutcome.Failed failed = (TargetOutcome.Failed) executor(crm).execute(
                new TargetWork(crm, RequestType.DELETE, SubjectType.EMAIL, subjects, 1));

        assertThat(failed.error()).startsWith("HTTP 400: {\"error\": \"unknown users\"")
                .doesNotContainIgnoringCase("ann.lee").doesNotContain("brien").doesNotContainIgnoringCase("zo\\u00eb")
                .doesNotContain("zoë").doesNotContain("zo%C3%AB");
        assertThat(failed.error()).contains("[redacted]");
    }

    @Test
    void shouldScrubBeforeCutting_soNoIdSurvivesHalfCut() {
        Target crm = target(sync(""));
        String id = "user-" + "9".repeat(60);
        http.answering(call -> new Response(404, "y".repeat(170) + id + " not found"));

        TargetOutcome.Failed failed = (TargetOutcome.Failed) executor(crm).execute(work(crm, id));

        assertThat(failed.error()).isEqualTo("HTTP 404: " + "y".repeat(170) + "[redacted] not found");
    }

    @Test
    void shouldRetry_whenTheSecretCannotBeRead_withoutCalling() {
        Target crm = target(sync("").replace("\"crm-key\"", "\"missing-key\""));

        TargetOutcome outcome = executor(crm).execute(work(crm, "u-1"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Retry("secret missing-key is unavailable", Optional.empty()));
        assertThat(http.calls).isEmpty();
    }

    // ---- secrets and logs ---------------------------------------------------------------------------------

    @Test
    void shouldSendTheSecretHeader_readOncePerExecution_andNeverLogItOrTheIds() {
        Target crm = target(sync(", \"max_ids_per_call\": 1"));
        PrintStream original = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            WebhookExecutor executor = executor(crm);
            executor.execute(work(crm, "secret-user-1", "secret-user-2"));
            http.answering(call -> new Response(400, "no such user secret-user-1"));
            executor.execute(work(crm, "secret-user-1"));
            http.answering(call -> new Response(503, "secret-user-1 is busy"));
            executor.execute(work(crm, "secret-user-1"));
        } finally {
            System.setErr(original);
        }

        assertThat(http.calls).allSatisfy(call -> assertThat(call.headers()).containsEntry("X-Api-Key", API_KEY));
        assertThat(secretReads).hasValue(3);
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("webhook crm").contains("HTTP 400").contains("HTTP 503")
                .doesNotContain(API_KEY).doesNotContain("secret-user").doesNotContain("crm.example");
    }

    // ---- rate limit ---------------------------------------------------------------------------------------

    @Test
    void shouldSpaceCallsOut_toTheRateLimit() {
        Target crm = target(sync(", \"max_ids_per_call\": 1, \"rate_limit_per_second\": 2"));
        WebhookExecutor executor = executor(crm);

        executor.execute(work(crm, "u-1", "u-2", "u-3", "u-4", "u-5"));

        assertThat(http.calls).hasSize(5);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void shouldNotWait_withoutARateLimit() {
        Target crm = target(sync(", \"max_ids_per_call\": 1"));

        executor(crm).execute(work(crm, "u-1", "u-2", "u-3"));

        assertThat(sleeps).isEmpty();
    }

    // ---- ASYNC_JOB ----------------------------------------------------------------------------------------

    @Test
    void shouldSubmitThenPollUntilDone_withTheJobIdsAsEvidence() throws Exception {
        Target jobs = target(async(", \"max_ids_per_call\": 2, \"poll_interval_seconds\": 30"));
        WebhookExecutor executor = executor(jobs);
        AtomicInteger submitted = new AtomicInteger();
        Map<String, Integer> polls = new LinkedHashMap<>();
        http.answering(call -> {
            if (call.method().equals("POST")) {
                return new Response(202, "{\"job\": {\"id\": \"job-" + submitted.incrementAndGet() + "\"}}");
            }
            int n = polls.merge(call.url().getPath(), 1, Integer::sum);
            return new Response(200, "{\"state\": \"" + (n < 2 ? "running" : "done") + "\"}");
        });
        TargetWork work = work(jobs, "u-1", "u-2", "u-3");

        TargetOutcome.Pending pending = (TargetOutcome.Pending) executor.execute(work);
        TargetOutcome.Pending stillPending = (TargetOutcome.Pending) executor.poll(work, pending.state());
        TargetOutcome done = executor.poll(work, stillPending.state());

        assertThat(pending.pollAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pending.evidenceByRequest().get("req-1")).containsEntry("job_ids", List.of("job-1", "job-2"))
                .containsEntry("calls", 2).containsEntry("last_status_code", 202);
        assertThat(pending.state().toString()).doesNotContain("u-1");
        assertThat(done).isEqualTo(new TargetOutcome.Done(Map.of("req-1",
                Map.of("calls", 6, "job_ids", List.of("job-1", "job-2"), "last_status_code", 200))));
        assertThat(http.calls).extracting(call -> call.method() + " " + call.url().getPath()).containsExactly(
                "POST /erasures", "POST /erasures", "GET /jobs/job-1", "GET /jobs/job-2", "GET /jobs/job-1",
                "GET /jobs/job-2");
        FakeWebhookHttp.Call poll = http.calls.get(2);
        assertThat(poll.body()).isNull();
        assertThat(poll.headers()).containsEntry("Authorization", "Bearer jobs-token-value")
                .doesNotContainKey("Content-Type");
    }

    @Test
    void shouldNotPollAJobAgain_onceItIsDone() {
        Target jobs = target(async(""));
        WebhookExecutor executor = executor(jobs);
        AtomicInteger submitted = new AtomicInteger();
        http.answering(call -> call.method().equals("POST")
                ? new Response(200, "{\"job\": {\"id\": " + submitted.incrementAndGet() + "}}")
                : new Response(200, "{\"state\": \"" + (call.url().getPath().endsWith("/1") ? "done" : "queued") + "\"}"));
        TargetWork work = work(jobs, RequestType.DELETE, Map.of("req-1", List.of("u-1"), "req-2", List.of("u-2")));

        TargetOutcome.Pending pending = (TargetOutcome.Pending) executor.execute(work);
        TargetOutcome.Pending first = (TargetOutcome.Pending) executor.poll(work, pending.state());
        http.calls.clear();
        executor.poll(work, first.state());

        assertThat(http.calls).extracting(call -> call.url().getPath()).containsExactly("/jobs/2");
        assertThat(first.evidenceByRequest().get("req-1")).containsEntry("job_ids", List.of("1"));
    }

    @Test
    void shouldFail_whenAJobAnswersAFailedValue() {
        Target jobs = target(async(""));
        WebhookExecutor executor = executor(jobs);
        http.answering(call -> call.method().equals("POST") ? new Response(201, "{\"job\": {\"id\": \"j-9\"}}")
                : new Response(200, "{\"state\": \"failed\"}"));
        TargetWork work = work(jobs, "u-1");

        TargetOutcome.Pending pending = (TargetOutcome.Pending) executor.execute(work);

        assertThat(executor.poll(work, pending.state())).isEqualTo(new TargetOutcome.Failed("job j-9 failed: status failed"));
    }

    @Test
    void shouldFail_whenA2xxSubmissionHasNoJobId() {
        Target jobs = target(async(""));
        http.answering(call -> new Response(200, "{\"ok\": true}"));

        TargetOutcome outcome = executor(jobs).execute(work(jobs, "u-1"));

        assertThat(outcome).isEqualTo(new TargetOutcome.Failed("HTTP 200 without a job id at $.job.id: {\"ok\": true}"));
    }

    @Test
    void shouldRetryAPoll_onA5xxOrAnAnswerWithoutAStatus_andFailOnA4xx() {
        Target jobs = target(async(""));
        WebhookExecutor executor = executor(jobs);
        http.answering(call -> new Response(202, "{\"job\": {\"id\": \"j-1\"}}"));
        TargetWork work = work(jobs, "u-1");
        Map<String, String> state = ((TargetOutcome.Pending) executor.execute(work)).state();

        http.answering(call -> new Response(500, Map.of("Retry-After", List.of("7")), "oops"));
        TargetOutcome serverError = executor.poll(work, state);
        http.answering(call -> new Response(200, "{\"progress\": 50}"));
        TargetOutcome noStatus = executor.poll(work, state);
        http.answering(call -> new Response(404, "{\"error\": \"no job for u-1\"}"));
        TargetOutcome gone = executor.poll(work, state);

        assertThat(serverError).isEqualTo(new TargetOutcome.Retry("HTTP 500: oops", Optional.of(Duration.ofSeconds(7))));
        assertThat(noStatus).isEqualTo(new TargetOutcome.Retry("HTTP 200 without a status at $.state: {\"progress\": 50}",
                Optional.empty()));
        assertThat(gone).isEqualTo(new TargetOutcome.Failed("HTTP 404: {\"error\": \"no job for [redacted]\"}"));
    }

    @Test
    void shouldPollLater_whenTheStatusAnswerAsksForMoreThanTheInterval() {
        Target jobs = target(async(", \"poll_interval_seconds\": 10"));
        WebhookExecutor executor = executor(jobs);
        http.answering(call -> call.method().equals("POST") ? new Response(202, "{\"job\": {\"id\": \"j-1\"}}")
                : new Response(200, Map.of("Retry-After", List.of("300")), "{\"state\": \"running\"}"));
        TargetWork work = work(jobs, "u-1");

        TargetOutcome.Pending pending = (TargetOutcome.Pending) executor.poll(work,
                ((TargetOutcome.Pending) executor.execute(work)).state());

        assertThat(pending.pollAfter()).isEqualTo(Duration.ofSeconds(300));
    }
}
