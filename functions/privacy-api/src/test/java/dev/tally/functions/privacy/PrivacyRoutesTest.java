package dev.tally.functions.privacy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.InMemoryPrivacyStore;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.PrivacyFixtures;
import dev.tally.privacy.PrivacyRequests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PrivacyRoutes} is what the HTTP APIs route to the handler: every route it lists reaches a handler of its own
 * (neither "no such resource" nor 405), and what it leaves out does not.
 */
class PrivacyRoutesTest {
    private static final Path SAMPLES = Path.of(System.getProperty("tally.repo.root", "../.."),
            "events/functions/privacy-api");
    private static final String ADMIN_ARN = "arn:aws:iam::1234567890:user/Admin";
    static final List<PrivacyRoutes.Route> ROUTES = PrivacyRoutes.ALL;

    private final PrivacyApiHandler handler = new PrivacyApiHandler(new PrivacyApi(new PrivacyRequests(
            new InMemoryPrivacyStore(), new PrivacyFixtures.RecordingCodeSender(), new PrivacyFixtures.RecordingQueue(),
            PrivacyFixtures.keys(), PrivacyConfig.defaults(), PrivacyRequests.Settings.DEFAULT,
            new PrivacyFixtures.MutableClock(Instant.parse("2026-12-01T09:00:00Z")), new SecureRandom()),
            new Callers(List.of(ADMIN_ARN), "privacy:admin"), counts -> { }));

    private JsonNode call(String method, String path) throws Exception {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(
                SAMPLES.resolve("create-as-admin-iam.json").toString());
        event.getRequestContext().getHttp().setMethod(method);
        event.setRawPath(path);
        event.setBody("{}");
        event.setHeaders(new HashMap<>(Map.of("content-type", "application/json")));
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        JsonNode body = RequestJson.JSON.readTree(response.getBody());
        return RequestJson.JSON.createObjectNode().put("status", response.getStatusCode())
                .put("message", body.at("/error/message").asText(""));
    }

    private static String filled(String template) {
        return template.replace("{id}", "2f0c8a52-3d1e-4c55-9a47-0e6c1d2b9f10").replace("{subject_type}", "EMAIL")
                .replace("{subject_id}", "ada%40example.com");
    }

    @ParameterizedTest
    @FieldSource("ROUTES")
    void shouldReachTheHandler_forEveryListedRoute(PrivacyRoutes.Route route) throws Exception {
        JsonNode answer = call(route.method(), filled(route.path()));

        assertThat(answer.get("status").asInt()).as(route.toString()).isNotEqualTo(405);
        assertThat(answer.get("message").asText()).as(route.toString()).isNotEqualTo("no such resource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT /privacy-requests", "PATCH /privacy-requests/{id}", "GET /privacy-requests/{id}/confirm",
        "POST /suppressions/{subject_type}/{subject_id}", "GET /privacy-requests/{id}/receipts", "GET /opendsr/v1"})
    void shouldNotReachTheHandler_forARouteLeftOut(String route) throws Exception {
        String[] parts = route.split(" ");
        JsonNode answer = call(parts[0], filled(parts[1]));

        assertThat(ROUTES).extracting(PrivacyRoutes.Route::toString).doesNotContain(route);
        assertThat(answer.get("status").asInt() == 405 || answer.get("message").asText().equals("no such resource"))
                .as(route + " answered " + answer).isTrue();
    }
}
