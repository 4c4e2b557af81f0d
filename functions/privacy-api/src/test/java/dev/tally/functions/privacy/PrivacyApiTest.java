package dev.tally.functions.privacy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.InMemoryPrivacyStore;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.PrivacyFixtures;
import dev.tally.privacy.PrivacyRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The handler fed the real payload-2.0 samples (IAM, JWT, no authorizer) reshaped into the API's calls. */
class PrivacyApiTest {
    private static final Path SAMPLES = Path.of(System.getProperty("tally.repo.root", "../.."), "events/functions/privacy-api");
    private static final String ADMIN_ARN = "arn:aws:iam::1234567890:user/Admin";
    private static final String CONFIG = """
            {"targets": [{"name": "archive", "kind": "S3_ARCHIVE", "bucket": "events", "prefixes": ["raw/"]},
                         {"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/delete"}]}""";

    private final PrivacyFixtures.RecordingCodeSender codes = new PrivacyFixtures.RecordingCodeSender();
    private final PrivacyFixtures.RecordingQueue queue = new PrivacyFixtures.RecordingQueue();
    private final List<Map<String, Long>> published = new ArrayList<>();
    private final PrivacyApiHandler handler = new PrivacyApiHandler(new PrivacyApi(new PrivacyRequests(
            new InMemoryPrivacyStore(), codes, queue, PrivacyFixtures.keys(), PrivacyConfig.parse(CONFIG),
            PrivacyRequests.Settings.DEFAULT, new PrivacyFixtures.MutableClock(Instant.parse("2026-12-01T09:00:00Z")),
            new SecureRandom()), new Callers(List.of(ADMIN_ARN), "privacy:admin"), published::add));
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void captureLogs() {
        originalOut = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLogs() {
        System.setOut(originalOut);
    }

    private static APIGatewayV2HTTPEvent sample(String name) {
        return EventLoader.loadApiGatewayHttpEvent(SAMPLES.resolve(name).toString());
    }

    private static APIGatewayV2HTTPEvent call(String sample, String method, String path, String body) {
        APIGatewayV2HTTPEvent event = sample(sample);
        event.getRequestContext().getHttp().setMethod(method);
        event.setRawPath(path);
        event.setBody(body);
        event.setHeaders(new HashMap<>(Map.of("content-type", "application/json")));
        return event;
    }

    private static APIGatewayV2HTTPEvent endUser(String method, String path, String body, String sub, String email) {
        APIGatewayV2HTTPEvent event = call("create-as-end-user-jwt.json", method, path, body);
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("sub", sub);
        claims.put("email", email);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    private JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return RequestJson.JSON.readTree(response.getBody());
    }

    private static String create(String type, String subjectType, String ids) {
        return "{\"request_type\":\"" + type + "\",\"subject_type\":\"" + subjectType + "\",\"subject_ids\":" + ids + "}";
    }

    @Test
    void shouldAnswer401_whenTheGatewayPassedNoAuthorizer() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(sample("get-without-authorizer.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(body(response).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
    }

    @Test
    void shouldCreateQueuedRequest_forAnAllowedIamAdmin_inTheWireFormat() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(sample("create-as-admin-iam.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        JsonNode request = body(response);
        assertThat(request.get("status").asText()).isEqualTo("QUEUED");
        assertThat(request.get("subject_count").asInt()).isEqualTo(2);
        assertThat(request.get("requested_by").asText()).isEqualTo(ADMIN_ARN);
        assertThat(request.get("received_at").asText()).isEqualTo("2026-12-01T09:00:00Z");
        assertThat(request.get("due_at").asText()).isEqualTo("2026-12-31T09:00:00Z");
        assertThat(request.get("finished_at").isNull()).isTrue();
        assertThat(request.get("receipts")).hasSize(2);
        assertThat(request.at("/receipts/0").fieldNames()).toIterable().containsExactly("target", "kind", "status",
                "attempts", "last_error", "started_at", "finished_at", "evidence");
        assertThat(request.fieldNames()).toIterable().contains("id", "status", "request_type", "subject_type",
                "subject_count", "regulation", "received_at", "due_at", "finished_at", "requested_by", "receipts");
        assertThat(queue.enqueued).containsExactly(request.get("id").asText());

        APIGatewayV2HTTPResponse again = handler.handleRequest(sample("create-as-admin-iam.json"), null);
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(body(again).get("id")).isEqualTo(request.get("id"));
        APIGatewayV2HTTPEvent changed = sample("create-as-admin-iam.json");
        changed.setBody(create("DELETE", "USER_ID", "[\"u-1001\"]"));
        assertThat(handler.handleRequest(changed, null).getStatusCode()).isEqualTo(409);
    }

    @Test
    void shouldForbid_anIamPrincipalNotOnTheAllowList() throws Exception {
        APIGatewayV2HTTPEvent event = sample("create-as-admin-iam.json");
        event.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::1234567890:user/Intruder");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(body(response).at("/error/code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void shouldRunTheEndUserFlow_namingOnlyThemselves_confirmingWithTheCode() throws Exception {
        APIGatewayV2HTTPEvent other = endUser("POST", "/privacy-requests",
                create("DELETE", "USER_ID", "[\"user-2002\"]"), "user-1001", "jane.doe@example.com");
        assertThat(handler.handleRequest(other, null).getStatusCode()).isEqualTo(403);

        APIGatewayV2HTTPResponse created = handler.handleRequest(sample("create-as-end-user-jwt.json"), null);
        assertThat(created.getStatusCode()).isEqualTo(201);
        String id = body(created).get("id").asText();
        assertThat(body(created).get("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(body(created).get("requested_by").asText()).isEqualTo("end_user");

        APIGatewayV2HTTPResponse peek = handler.handleRequest(endUser("GET", "/privacy-requests/" + id, null,
                "user-2002", "someone@example.com"), null);
        assertThat(peek.getStatusCode()).isEqualTo(404);

        String code = codes.codeOf(id);
        String wrong = code.equals("123456") ? "654321" : "123456";
        APIGatewayV2HTTPResponse refused = handler.handleRequest(endUser("POST", "/privacy-requests/" + id + "/confirm",
                "{\"code\":\"" + wrong + "\"}", "user-1001", "jane.doe@example.com"), null);
        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(body(refused).at("/error/field").asText()).isEqualTo("code");

        APIGatewayV2HTTPResponse confirmed = handler.handleRequest(endUser("POST", "/privacy-requests/" + id
                + "/confirm", "{\"code\":\"" + code + "\"}", "user-1001", "jane.doe@example.com"), null);
        assertThat(confirmed.getStatusCode()).isEqualTo(200);
        assertThat(body(confirmed).get("status").asText()).isEqualTo("QUEUED");
        assertThat(queue.enqueued).containsExactly(id);

        assertNoPersonalDataLogged(List.of("user-1001", "user-2002", "jane.doe@example.com", "someone@example.com",
                code, wrong));
    }

    @Test
    void shouldAnswer400NamingTheField_forEveryMalformedBody() throws Exception {
        String tooMany = IntStream.range(0, 5001).mapToObj(i -> "\"u-" + i + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"request_type\":", "INVALID_JSON:null");
        cases.put("[1,2]", "INVALID_JSON:null");
        cases.put(create("DELETE", "USER_ID", tooMany), "INVALID_FIELD:subject_ids");
        cases.put(create("DELETE", "USER_ID", "[\"u-1\",\"\"]"), "INVALID_FIELD:subject_ids");
        cases.put(create("DELETE", "USER_ID", "[\"u-1\",\"u-1\"]"), "INVALID_FIELD:subject_ids");
        cases.put(create("DELETE", "USER_ID", "[]"), "INVALID_FIELD:subject_ids");
        cases.put(create("DELETE", "USER_ID", "[\"" + "x".repeat(513) + "\"]"), "INVALID_FIELD:subject_ids");
        cases.put(create("DELETE", "EMAIL", "[\"not-an-email\"]"), "INVALID_FIELD:subject_ids");
        cases.put(create("ERASE", "USER_ID", "[\"u-1\"]"), "INVALID_FIELD:request_type");
        cases.put(create("DELETE", "PHONE", "[\"u-1\"]"), "INVALID_FIELD:subject_type");
        cases.put("{\"request_type\":\"DELETE\",\"subject_type\":\"USER_ID\",\"subject_ids\":[\"u-1\"],\"colour\":1}",
                "INVALID_FIELD:colour");
        cases.put("{\"request_type\":\"DELETE\",\"subject_type\":\"USER_ID\",\"subject_ids\":[\"u-1\"],"
                + "\"regulation\":\"PIPEDA\"}", "INVALID_FIELD:regulation");
        cases.put("{\"request_type\":\"DELETE\",\"subject_type\":\"USER_ID\",\"subject_ids\":[\"u-1\"],"
                + "\"client_request_id\":\"" + "c".repeat(129) + "\"}", "INVALID_FIELD:client_request_id");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            APIGatewayV2HTTPEvent event = sample("create-as-admin-iam.json");
            event.setHeaders(Map.of("content-type", "application/json"));
            event.setBody(c.getKey());
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            JsonNode error = body(response).get("error");
            assertThat(response.getStatusCode()).as(c.getValue()).isEqualTo(400);
            assertThat(error.get("code").asText() + ":" + error.get("field").asText()).isEqualTo(c.getValue());
        }
        APIGatewayV2HTTPEvent huge = sample("create-as-admin-iam.json");
        huge.setBody("{\"request_type\":\"" + "D".repeat(PrivacyApi.MAX_BODY_BYTES) + "\"}");
        assertThat(handler.handleRequest(huge, null).getStatusCode()).isEqualTo(413);
        assertThat(queue.enqueued).isEmpty();
    }

    @Test
    void shouldMapOpenDsrOntoTheSameRecords() throws Exception {
        APIGatewayV2HTTPEvent discovery = sample("opendsr-erasure-as-admin-jwt.json");
        discovery.getRequestContext().getHttp().setMethod("GET");
        discovery.setRawPath("/opendsr/v1/discovery");
        discovery.setBody(null);
        JsonNode capabilities = body(handler.handleRequest(discovery, null));
        assertThat(capabilities.get("api_version").asText()).isEqualTo("2.0");
        assertThat(capabilities.get("supported_subject_request_types")).extracting(JsonNode::asText)
                .containsExactly("erasure");

        APIGatewayV2HTTPResponse created = handler.handleRequest(sample("opendsr-erasure-as-admin-jwt.json"), null);
        assertThat(created.getStatusCode()).isEqualTo(201);
        String requestId = body(created).get("request_id").asText();
        assertThat(body(created).get("subject_request_id").asText()).isEqualTo("a7551968-d5d6-44b2-9831-815ac9017798");
        assertThat(handler.handleRequest(sample("opendsr-erasure-as-admin-jwt.json"), null).getStatusCode())
                .isEqualTo(200);

        APIGatewayV2HTTPEvent native_ = sample("opendsr-erasure-as-admin-jwt.json");
        native_.getRequestContext().getHttp().setMethod("GET");
        native_.setRawPath("/privacy-requests/" + requestId);
        native_.setBody(null);
        JsonNode record = body(handler.handleRequest(native_, null));
        assertThat(record.get("request_type").asText()).isEqualTo("DELETE");
        assertThat(record.get("subject_type").asText()).isEqualTo("EMAIL");
        assertThat(record.get("requested_by").asText()).isEqualTo("ops-automation");

        APIGatewayV2HTTPEvent status = sample("opendsr-erasure-as-admin-jwt.json");
        status.getRequestContext().getHttp().setMethod("GET");
        status.setRawPath("/opendsr/v1/requests/a7551968-d5d6-44b2-9831-815ac9017798");
        status.setBody(null);
        assertThat(body(handler.handleRequest(status, null)).get("request_status").asText()).isEqualTo("pending");
        status.getRequestContext().getHttp().setMethod("DELETE");
        assertThat(handler.handleRequest(status, null).getStatusCode()).isEqualTo(202);
        status.getRequestContext().getHttp().setMethod("GET");
        assertThat(body(handler.handleRequest(status, null)).get("request_status").asText()).isEqualTo("cancelled");
        assertNoPersonalDataLogged(List.of("johndoe@example.com"));
    }

    @Test
    void shouldRefuseToRetry_aRequestWhoseTargetsDidNotFail_orForAnEndUser() throws Exception {
        String id = body(handler.handleRequest(sample("create-as-admin-iam.json"), null)).get("id").asText();
        APIGatewayV2HTTPEvent retry = sample("create-as-admin-iam.json");
        retry.setRawPath("/privacy-requests/" + id + "/retry");
        retry.setBody(null);

        APIGatewayV2HTTPResponse queued = handler.handleRequest(retry, null);
        APIGatewayV2HTTPResponse asUser = handler.handleRequest(endUser("POST", "/privacy-requests/" + id + "/retry",
                null, "user-1001", "jane.doe@example.com"), null);

        assertThat(queued.getStatusCode()).isEqualTo(409);
        assertThat(body(queued).at("/error/code").asText()).isEqualTo("CONFLICT");
        assertThat(asUser.getStatusCode()).isEqualTo(403);
    }

    @Test
    void shouldAnswerSuppressionChecks_forAdminsOnly() throws Exception {
        APIGatewayV2HTTPEvent suppress = sample("create-as-admin-iam.json");
        suppress.setHeaders(Map.of());
        suppress.setBody(create("SUPPRESS", "EMAIL", "[\"Mail.Me@Example.com\"]"));
        assertThat(handler.handleRequest(suppress, null).getStatusCode()).isEqualTo(201);

        APIGatewayV2HTTPEvent check = sample("create-as-admin-iam.json");
        check.getRequestContext().getHttp().setMethod("GET");
        check.setRawPath("/suppressions/EMAIL/mail.me%40example.com");
        check.setBody(null);
        JsonNode answer = body(handler.handleRequest(check, null));
        assertThat(answer.get("suppressed").asBoolean()).isTrue();
        assertThat(answer.get("since").asText()).isEqualTo("2026-12-01T09:00:00Z");

        check.setRawPath("/suppressions/USER_ID/mail.me%40example.com");
        assertThat(body(handler.handleRequest(check, null)).get("suppressed").asBoolean()).isFalse();
        APIGatewayV2HTTPEvent asUser = endUser("GET", "/suppressions/EMAIL/mail.me%40example.com", null,
                "user-1001", "jane.doe@example.com");
        assertThat(handler.handleRequest(asUser, null).getStatusCode()).isEqualTo(403);
        assertNoPersonalDataLogged(List.of("mail.me@example.com", "Mail.Me@Example.com", "mail.me%40example.com"));
        assertThat(published).isNotEmpty().allSatisfy(counts -> assertThat(counts).containsKeys("Requests",
                "ClientErrors", "ServerErrors"));
    }

    private void assertNoPersonalDataLogged(List<String> values) {
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the handler logged").contains("privacy API");
        for (String value : values) {
            assertThat(logs.toLowerCase(java.util.Locale.ROOT)).as("logs").doesNotContain(value.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
