package dev.tally.cli;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tally.cli.PrivacyApiClient.Answer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static dev.tally.cli.PrivacyApiClient.create;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tally serve} end to end: the jar started as a user starts it, tokens from {@code tally token}, the API
 * over real HTTP, the processing queue read from ElasticMQ, codes read from the outbox — and at the end, the
 * servers' logs holding none of the subject ids, emails, codes or tokens used ({@link PrivacyServeFixture}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyServeIT extends PrivacyServeFixture {

    @Test
    @Order(1)
    void shouldAnswer401_withoutToken_andForAForgedOrExpiredOne() throws Exception {
        LocalJwt stranger = new LocalJwt(LocalJwt.generate(), Clock.systemUTC());
        String forged = secret(stranger.sign(new JWTClaimsSet.Builder().subject("operator-" + RUN)
                .claim("scope", "privacy:admin").build(), Duration.ofMinutes(5)));
        String expired = secret(LocalJwt.inStateDir(server.state).sign(new JWTClaimsSet.Builder()
                .subject("operator-" + RUN).build(), Duration.ofSeconds(-120)));

        Answer none = api.get("/privacy-requests/" + UUID.randomUUID(), null);
        Answer byForger = api.post("/privacy-requests", forged, create("DELETE", "USER_ID", List.of(subject("f"))));
        Answer late = api.get("/privacy-requests/" + UUID.randomUUID(), expired);

        assertThat(List.of(none, byForger, late)).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.errorCode()).isEqualTo("UNAUTHENTICATED");
        });
        assertThat(byForger.body().path("error").path("message").asText()).contains("signature");
        assertThat(late.body().path("error").path("message").asText()).contains("expired");
    }

    @Test
    @Order(2)
    void shouldQueueAnAdminsRequestAtOnce_andHandItToTheProcessingQueue() {
        Answer created = api.post("/privacy-requests", admin, create("DELETE", "USER_ID",
                List.of(subject("a1"), subject("a2"))));

        assertThat(created).extracting(Answer::status, Answer::status_).containsExactly(201, "QUEUED");
        assertThat(created.body().path("subject_count").asInt()).isEqualTo(2);
        assertThat(created.body().path("requested_by").asText()).isEqualTo("operator-" + RUN);
        assertThat(created.body().path("receipts").get(0).path("target").asText()).isEqualTo("crm");
        api.awaitOnQueue(created.id());
    }

    @Test
    @Order(3)
    void shouldForbidAnEndUserNamingSomeoneElse_andHideTheirRequestFromOthers() throws Exception {
        String ada = subject("ada");
        String adaToken = endUser(server, ada);
        String bobToken = endUser(server, subject("bob"));

        Answer naming = api.post("/privacy-requests", adaToken, create("DELETE", "USER_ID", List.of(subject("c"))));
        Answer own = api.post("/privacy-requests", adaToken, create("DELETE", "USER_ID", List.of(ada)));
        Answer peeking = api.get("/privacy-requests/" + own.id(), bobToken);

        assertThat(naming).extracting(Answer::status, Answer::errorCode).containsExactly(403, "FORBIDDEN");
        assertThat(own).extracting(Answer::status, Answer::status_).containsExactly(201, "AWAITING_CONFIRMATION");
        assertThat(peeking).extracting(Answer::status, Answer::errorCode).containsExactly(404, "NOT_FOUND");
        code(api.awaitCode(own.id()));
    }

    @Test
    @Order(4)
    void shouldRefuseBadInput_naming400AndTheField() {
        List<String> tooMany = IntStream.range(0, 5001).mapToObj(i -> "x" + i).toList();

        Answer notJson = api.post("/privacy-requests", admin, "{\"request_type\": ");
        Answer many = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", tooMany));
        Answer empty = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", List.of("")));
        Answer unknown = api.post("/privacy-requests", admin, "{\"request_type\": \"DELETE\", \"subject_type\": "
                + "\"USER_ID\", \"subject_ids\": [\"" + subject("u") + "\"], \"colour\": \"red\"}");
        Answer huge = api.post("/privacy-requests", admin, "{\"pad\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}");

        assertThat(notJson).extracting(Answer::status, Answer::errorCode).containsExactly(400, "INVALID_JSON");
        assertThat(List.of(many, empty, unknown)).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.errorCode()).isEqualTo("INVALID_FIELD");
        });
        assertThat(many.field()).isEqualTo("subject_ids");
        assertThat(empty.field()).isEqualTo("subject_ids");
        assertThat(unknown.field()).isEqualTo("colour");
        assertThat(huge.status()).isEqualTo(413);
    }

    @Test
    @Order(5)
    void shouldReturnTheSameRequestForARepeatedIdempotencyKey_and409ForAChangedBody() {
        String key = "key-" + UUID.randomUUID();
        String body = create("DELETE", "USER_ID", List.of(subject("i")));

        Answer first = api.post("/privacy-requests", admin, body, "Idempotency-Key", key);
        Answer again = api.post("/privacy-requests", admin, body, "Idempotency-Key", key);
        Answer changed = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", List.of(subject("j"))),
                "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(changed).extracting(Answer::status, Answer::errorCode).containsExactly(409, "CONFLICT");
    }

    @Test
    @Order(6)
    void shouldCreateOneRequest_for20ConcurrentIdenticalPosts() throws Exception {
        String key = "key-" + UUID.randomUUID();
        String body = create("SUPPRESS", "USER_ID", List.of(subject("k")));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return api.post("/privacy-requests", admin, body, "Idempotency-Key", key);
            }));
        }
        go.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> call : calls) {
            answers.add(call.get());
        }
        pool.shutdown();

        assertThat(answers).extracting(Answer::status).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(answers.stream().map(Answer::id).distinct()).hasSize(1);
    }

    @Test
    @Order(7)
    void shouldQueueAnEndUsersRequest_onceTheRightCodeFromTheOutboxConfirmsIt() throws Exception {
        String carol = subject("carol");
        String token = endUser(server, carol);
        Answer created = api.post("/privacy-requests", token, create("DELETE", "USER_ID", List.of(carol)));
        String code = code(api.awaitCode(created.id()));
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);

        String confirm = "/privacy-requests/" + created.id() + "/confirm";
        Answer guess = api.post(confirm, token, "{\"code\": \"" + wrong + "\"}");
        Answer right = api.post(confirm, token, "{\"code\": \"" + code + "\"}");

        assertThat(guess.status()).isEqualTo(400);
        assertThat(guess.field()).isEqualTo("code");
        assertThat(right).extracting(Answer::status, Answer::status_).containsExactly(200, "QUEUED");
        api.awaitOnQueue(created.id());
    }

    @Test
    @Order(8)
    void shouldLockAndFailARequest_afterFiveWrongCodes() throws Exception {
        String dave = subject("dave");
        String token = endUser(server, dave);
        Answer created = api.post("/privacy-requests", token, create("DELETE", "USER_ID", List.of(dave)));
        String code = code(api.awaitCode(created.id()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String wrong = String.format("%06d", (Integer.parseInt(code) + i) % 1_000_000);
            statuses.add(api.post("/privacy-requests/" + created.id() + "/confirm", token,
                    "{\"code\": \"" + wrong + "\"}").status());
        }

        Answer after = api.get("/privacy-requests/" + created.id(), token);

        assertThat(statuses).containsExactly(400, 400, 400, 400, 423);
        assertThat(after.status_()).isEqualTo("FAILED");
        assertThat(after.body().path("failure_reason").asText()).isEqualTo("CONFIRMATION_FAILED");
    }

    @Test
    @Order(9)
    void shouldLockARequestWhoseCodeExpired_onAServerWithShortCodes() throws Exception {
        try (ServeProcess quick = ServeProcess.start(dir.resolve("quick"), config, "--code-ttl", "2s",
                "--no-workers");
             PrivacyHttp quickApi = new PrivacyHttp(quick)) {
            String erin = subject("erin");
            String token = endUser(quick, erin);
            Answer created = quickApi.post("/privacy-requests", token, create("DELETE", "USER_ID", List.of(erin)));
            String code = code(quickApi.awaitCode(created.id()));
            Thread.sleep(2_500);

            Answer late = quickApi.post("/privacy-requests/" + created.id() + "/confirm", token,
                    "{\"code\": \"" + code + "\"}");

            assertThat(late.status()).isEqualTo(423);
            assertThat(late.errorCode()).isEqualTo("LOCKED");
            quick.stop();
            LOGS.add(quick.logText());
        }
    }

    @Test
    @Order(10)
    void shouldCancelBeforeProcessing_andRefuseOnceItBegan() {
        Answer early = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", List.of(subject("g"))));
        Answer begun = api.post("/privacy-requests", admin, create("DELETE", "USER_ID", List.of(subject("h"))));
        api.markRunning(begun.id()); // what a worker does when it picks the request up

        Answer cancelled = api.send("DELETE", "/privacy-requests/" + early.id(), admin, null);
        Answer refused = api.send("DELETE", "/privacy-requests/" + begun.id(), admin, null);

        assertThat(cancelled).extracting(Answer::status, Answer::status_).containsExactly(200, "CANCELLED");
        assertThat(api.get("/privacy-requests/" + begun.id(), admin).status_()).isEqualTo("RUNNING");
        assertThat(refused).extracting(Answer::status, Answer::errorCode).containsExactly(409, "CONFLICT");
    }

    @Test
    @Order(11)
    void shouldSuppressAndUnsuppress_asTheCheckSays() {
        String frank = subject("frank");
        String check = "/suppressions/USER_ID/" + frank;

        Answer before = api.get(check, admin);
        api.post("/privacy-requests", admin, create("SUPPRESS", "USER_ID", List.of(frank)));
        Answer suppressed = api.get(check, admin);
        api.post("/privacy-requests", admin, create("UNSUPPRESS", "USER_ID", List.of(frank)));
        Answer lifted = api.get(check, admin);

        assertThat(before.body().path("suppressed").asBoolean()).isFalse();
        assertThat(suppressed.body().path("suppressed").asBoolean()).isTrue();
        assertThat(suppressed.body().path("since").asText()).isNotEmpty();
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.body().path("suppressed").asBoolean()).isFalse();
    }

    @Test
    @Order(12)
    void shouldTakeAnOpenDsrErasure_visibleAsAPrivacyRequest() {
        String subjectRequestId = UUID.randomUUID().toString();
        String body = "{\"subject_request_id\": \"" + subjectRequestId + "\", \"subject_request_type\": \"erasure\","
                + " \"regulation\": \"gdpr\", \"api_version\": \"2.0\", \"subject_identities\": [{\"identity_type\":"
                + " \"email\", \"identity_value\": \"" + secret("gina-" + RUN + "@example.com")
                + "\", \"identity_format\": \"raw\"}]}";

        Answer discovery = api.get("/opendsr/v1/discovery", admin);
        Answer created = api.post("/opendsr/v1/requests", admin, body);
        Answer request = api.get("/privacy-requests/" + created.body().path("request_id").asText(), admin);
        Answer status = api.get("/opendsr/v1/requests/" + subjectRequestId, admin);

        assertThat(discovery.body().path("api_version").asText()).isEqualTo("2.0");
        assertThat(created.status()).isEqualTo(201);
        assertThat(request.status()).isEqualTo(200);
        assertThat(request.body().path("request_type").asText()).isEqualTo("DELETE");
        assertThat(request.body().path("subject_type").asText()).isEqualTo("EMAIL");
        assertThat(status.body().path("request_status").asText()).isEqualTo("pending");
    }

    @Test
    @Order(13)
    void shouldMeasureTheLatencyOf1000SequentialAdminPosts() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            String body = create("DELETE", "USER_ID", List.of(secret("lat-" + i + "-" + RUN)));
            long start = System.nanoTime();
            Answer created = api.post("/privacy-requests", admin, body);
            nanos[i] = System.nanoTime() - start;
            assertThat(created.status()).isEqualTo(201);
        }
        Arrays.sort(nanos);

        System.out.printf("PrivacyServeIT: 1,000 sequential admin POSTs /privacy-requests: p50 %.1f ms, p99 %.1f ms"
                + ", max %.1f ms%n", nanos[499] / 1e6, nanos[989] / 1e6, nanos[999] / 1e6);
    }

    @Test
    @Order(14)
    void shouldStopOnSigterm_andLogNoSubjectIdEmailCodeOrToken() throws Exception {
        server.stop();
        LOGS.add(server.logText());

        assertThat(server.state.resolve(LocalPrivacyStack.SERVE_FILE)).doesNotExist();
        assertThat(LOGS).hasSize(2).allSatisfy(PrivacyServeFixture::assertLogHoldsNothingPersonal);
    }
}
