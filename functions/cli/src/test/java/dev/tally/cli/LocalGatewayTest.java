package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2020-03-12T19:03:58.390Z");
    private static final LocalJwt JWT = new LocalJwt(LocalJwt.generate(), Clock.systemUTC());

    private final List<APIGatewayV2HTTPEvent> received = new ArrayList<>();
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> echo = (event, context) -> {
        received.add(event);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody("{\"ok\":true}").build();
    };

    private static LocalGateway.Request request(String method, String path, String query,
                                                Map<String, List<String>> headers, byte[] body) {
        return new LocalGateway.Request(method, path, query, "HTTP/1.1", headers, body, "127.0.0.1", 8787, AT,
                "JKJaXmPLvHcESHA=");
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.computeIfAbsent(namesAndValues[i], n -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void shouldBuildThePayload20Event_asApiGatewayDoes() {
        byte[] body = "{\"request_type\":\"DELETE\"}".getBytes(StandardCharsets.UTF_8);
        var request = request("post", "/privacy-requests", "a=1&a=2&b=x%20y&flag", headers(
                "Host", "127.0.0.1:8787", "Content-Type", "application/json", "User-Agent", "curl/8.5",
                "X-Multi", "one", "X-Multi", "two", "Cookie", "c1=v1; c2=v2"), body);

        APIGatewayV2HTTPEvent event = GatewayEvents.event(request, null);

        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("$default");
        assertThat(event.getRawPath()).isEqualTo("/privacy-requests");
        assertThat(event.getRawQueryString()).isEqualTo("a=1&a=2&b=x%20y&flag");
        assertThat(event.getQueryStringParameters()).containsExactly(Map.entry("a", "1,2"), Map.entry("b", "x y"),
                Map.entry("flag", ""));
        assertThat(event.getHeaders()).containsEntry("content-type", "application/json")
                .containsEntry("x-multi", "one,two").containsEntry("user-agent", "curl/8.5")
                .containsEntry("x-forwarded-for", "127.0.0.1").containsEntry("x-forwarded-proto", "http")
                .containsEntry("x-forwarded-port", "8787").containsKey("x-amzn-trace-id").doesNotContainKey("cookie");
        assertThat(event.getHeaders().keySet()).allMatch(name -> name.equals(name.toLowerCase()));
        assertThat(event.getCookies()).containsExactly("c1=v1", "c2=v2");
        assertThat(event.getBody()).isEqualTo("{\"request_type\":\"DELETE\"}");
        assertThat(event.getIsBase64Encoded()).isFalse();
        var context = event.getRequestContext();
        assertThat(context.getHttp().getMethod()).isEqualTo("POST");
        assertThat(context.getHttp().getPath()).isEqualTo("/privacy-requests");
        assertThat(context.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(context.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(context.getHttp().getUserAgent()).isEqualTo("curl/8.5");
        assertThat(context.getRequestId()).isEqualTo("JKJaXmPLvHcESHA=");
        assertThat(context.getRouteKey()).isEqualTo("$default");
        assertThat(context.getStage()).isEqualTo("$default");
        assertThat(context.getTime()).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(context.getTimeEpoch()).isEqualTo(AT.toEpochMilli());
        assertThat(context.getDomainName()).isEqualTo("127.0.0.1");
        assertThat(context.getAuthorizer()).isNull();
    }

    @Test
    void shouldBase64EncodeABinaryBody_andLeaveOutWhatIsAbsent() {
        byte[] binary = {0, 1, 2, (byte) 0xff};

        APIGatewayV2HTTPEvent withBinary = GatewayEvents.event(request("POST", "/x", "",
                headers("Content-Type", "application/octet-stream"), binary), null);
        APIGatewayV2HTTPEvent bare = GatewayEvents.event(request("GET", "/x", "", headers(), new byte[0]), null);

        assertThat(withBinary.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(withBinary.getBody())).isEqualTo(binary);
        assertThat(bare.getBody()).isNull();
        assertThat(bare.getIsBase64Encoded()).isFalse();
        assertThat(bare.getQueryStringParameters()).isNull();
        assertThat(bare.getRawQueryString()).isEmpty();
        assertThat(bare.getCookies()).isNull();
    }

    @Test
    void shouldPassEveryClaimAsAString_listsAsTheGatewayRendersThem_andTheScopes() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("u-1").audience(List.of("a", "b"))
                .expirationTime(java.util.Date.from(Instant.ofEpochSecond(1583348638)))
                .claim("email_verified", true).claim("scope", "privacy:admin openid").build();

        var authorizer = GatewayEvents.authorizer(claims);

        assertThat(authorizer.getJwt().getClaims()).containsEntry("sub", "u-1").containsEntry("aud", "[a b]")
                .containsEntry("exp", "1583348638").containsEntry("email_verified", "true")
                .containsEntry("scope", "privacy:admin openid");
        assertThat(authorizer.getJwt().getScopes()).containsExactly("privacy:admin", "openid");
        assertThat(authorizer.getIam()).isNull();
    }

    @Test
    void shouldCallTheHandlerWithoutAuthorizer_whenNoTokenIsGiven() {
        LocalGateway.Response response = LocalGateway.handle(request("GET", "/privacy-requests/1", "", headers(),
                new byte[0]), echo, JWT);

        assertThat(response.status()).isEqualTo(201);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getRequestContext().getAuthorizer()).isNull();
    }

    @Test
    void shouldHandTheVerifiedClaimsToTheHandler() {
        String token = JWT.sign(new JWTClaimsSet.Builder().subject("u-1").claim("scope", "privacy:admin").build(),
                Duration.ofMinutes(5));

        LocalGateway.handle(request("GET", "/x", "", headers("Authorization", "Bearer " + token), new byte[0]),
                echo, JWT);

        var jwt = received.get(0).getRequestContext().getAuthorizer().getJwt();
        assertThat(jwt.getClaims()).containsEntry("sub", "u-1").containsEntry("iss", "tally-local")
                .containsEntry("aud", "tally-privacy");
        assertThat(jwt.getScopes()).containsExactly("privacy:admin");
    }

    @Test
    void shouldAnswer401ItselfForAnInvalidToken_withoutCallingTheHandler() throws Exception {
        LocalJwt other = new LocalJwt(LocalJwt.generate(), Clock.systemUTC());
        String forged = other.sign(new JWTClaimsSet.Builder().subject("u-1").build(), Duration.ofMinutes(5));

        LocalGateway.Response forgedAnswer = LocalGateway.handle(request("GET", "/x", "",
                headers("Authorization", "Bearer " + forged), new byte[0]), echo, JWT);
        LocalGateway.Response basicAnswer = LocalGateway.handle(request("GET", "/x", "",
                headers("authorization", "Basic dTpw"), new byte[0]), echo, JWT);

        assertThat(received).isEmpty();
        assertThat(forgedAnswer.status()).isEqualTo(401);
        JsonNode error = JSON.readTree(forgedAnswer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.has("field")).isTrue();
        assertThat(error.path("field").isNull()).isTrue();
        assertThat(error.path("message").asText()).isEqualTo("the token's signature is not valid")
                .doesNotContain(forged);
        assertThat(basicAnswer.status()).isEqualTo(401);
    }

    @Test
    void shouldRefuseABodyOver10Mb_with413() throws Exception {
        LocalGateway.Response response = LocalGateway.handle(request("POST", "/x", "",
                headers("Content-Type", "application/json"), new byte[LocalGateway.MAX_BODY_BYTES + 1]), echo, JWT);

        assertThat(response.status()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("TOO_LARGE");
        assertThat(received).isEmpty();
    }

    @Test
    void shouldAnswer500_whenTheHandlerThrows() {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> failing = (event, context) -> {
            throw new IllegalStateException("boom");
        };

        LocalGateway.Response response = LocalGateway.handle(request("GET", "/x", "", headers(), new byte[0]),
                failing, JWT);

        assertThat(response.status()).isEqualTo(500);
    }

    @Test
    void shouldTranslateTheHandlersResponseBack() {
        APIGatewayV2HTTPResponse binary = APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/octet-stream"))
                .withMultiValueHeaders(Map.of("X-Many", List.of("1", "2")))
                .withCookies(List.of("a=1; Path=/", "b=2"))
                .withBody(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})).withIsBase64Encoded(true).build();
        APIGatewayV2HTTPResponse statusless = APIGatewayV2HTTPResponse.builder().withBody("{}").build();

        LocalGateway.Response answer = GatewayEvents.response(binary, "id-1");
        LocalGateway.Response inferred = GatewayEvents.response(statusless, "id-2");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).containsExactly(1, 2, 3);
        assertThat(answer.headers()).containsEntry("content-type", List.of("application/octet-stream"))
                .containsEntry("x-many", List.of("1", "2")).containsEntry("set-cookie", List.of("a=1; Path=/", "b=2"))
                .containsEntry("apigw-requestid", List.of("id-1"));
        assertThat(inferred.status()).isEqualTo(200);
        assertThat(new String(inferred.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
