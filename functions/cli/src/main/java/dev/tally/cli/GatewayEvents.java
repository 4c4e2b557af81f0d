package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * HTTP to API Gateway's payload format 2.0 and back, as an HTTP API with a {@code $default} route and stage hands
 * a request to its Lambda integration: header names in lower case, repeated headers joined by commas, the
 * {@code cookie} header moved to {@code cookies}, query parameters decoded with repeats joined by commas, the body
 * as text for text types and base64 otherwise, and the {@code x-forwarded-*} and {@code x-amzn-trace-id} headers
 * the gateway adds. A JWT authorizer's claims become strings as the gateway renders them (a list as
 * {@code [a b]}); its scopes come from the space-separated {@code scope} claim.
 */
final class GatewayEvents {
    static final String ACCOUNT_ID = "000000000000";
    static final String API_ID = "local";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final Pattern TEXT_TYPE = Pattern.compile(
            "(text/.*|.*[/+]json|.*[/+]xml|application/javascript|application/x-www-form-urlencoded)(;.*)?");

    private GatewayEvents() {
    }

    /** The event of one request; {@code authorizer} null when the request carried no token. */
    static APIGatewayV2HTTPEvent event(LocalGateway.Request request,
                                       APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> Arrays.stream(v.split(";")).map(String::trim).filter(c -> !c.isEmpty())
                        .forEach(cookies::add));
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        headers.merge("x-forwarded-for", request.sourceIp(), (given, ip) -> given + ", " + ip);
        headers.putIfAbsent("x-forwarded-port", String.valueOf(request.port()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", traceId(request));
        String host = headers.getOrDefault("host", "127.0.0.1").replaceFirst(":\\d+$", "");

        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId(ACCOUNT_ID);
        context.setApiId(API_ID);
        context.setDomainName(host);
        context.setDomainPrefix(host.contains(".") && !Character.isDigit(host.charAt(0))
                ? host.substring(0, host.indexOf('.')) : host);
        context.setRouteKey("$default");
        context.setStage("$default");
        context.setRequestId(request.requestId());
        context.setTime(TIME.format(request.at()));
        context.setTimeEpoch(request.at().toEpochMilli());
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(request.method().toUpperCase(Locale.ROOT));
        http.setPath(request.rawPath());
        http.setProtocol(request.protocol());
        http.setSourceIp(request.sourceIp());
        http.setUserAgent(headers.getOrDefault("user-agent", ""));
        context.setHttp(http);
        context.setAuthorizer(authorizer);

        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("$default");
        event.setRawPath(request.rawPath());
        event.setRawQueryString(request.rawQuery());
        event.setCookies(cookies.isEmpty() ? null : cookies);
        event.setHeaders(headers);
        event.setQueryStringParameters(query(request.rawQuery()));
        event.setRequestContext(context);
        if (request.body().length > 0) {
            boolean text = TEXT_TYPE.matcher(headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT)
                    .trim()).matches();
            event.setBody(text ? new String(request.body(), StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(request.body()));
            event.setIsBase64Encoded(!text);
        }
        return event;
    }

    /** Decoded query parameters, repeats joined by commas; null when there is no query (as the gateway does). */
    static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /** The handler's response as HTTP; the gateway adds its {@code apigw-requestid}. */
    static LocalGateway.Response response(APIGatewayV2HTTPResponse response, String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                    n -> new ArrayList<>()).add(value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> headers.computeIfAbsent(
                    name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        }
        if (response.getCookies() != null && !response.getCookies().isEmpty()) {
            headers.computeIfAbsent("set-cookie", n -> new ArrayList<>()).addAll(response.getCookies());
        }
        headers.put("apigw-requestid", List.of(requestId));
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0] : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        return new LocalGateway.Response(status, headers, bytes);
    }

    /** A JWT authorizer's context for verified claims. */
    static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(JWTClaimsSet claims) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt =
                new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(claims(claims));
        Object scope = claims.getClaim("scope");
        if (scope instanceof String text && !text.isBlank()) {
            jwt.setScopes(Arrays.stream(text.trim().split("\\s+")).toList());
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer =
                new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        return authorizer;
    }

    /** The claims as the gateway passes them: every value a string, a list as {@code [a b]}. */
    static Map<String, String> claims(JWTClaimsSet claims) {
        Map<String, String> strings = new LinkedHashMap<>();
        claims.toJSONObject().forEach((name, value) -> strings.put(name, claimText(value)));
        return strings;
    }

    private static String claimText(Object value) {
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(claimText(item)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value instanceof Map<?, ?>) {
            try {
                return JSON.writeValueAsString(value); // a nested object: as JSON (no documented rendering)
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    /** {@code Root=1-<epoch seconds, hex>-<24 hex digits>}, as X-Ray trace ids are. */
    private static String traceId(LocalGateway.Request request) {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return "Root=1-" + Long.toHexString(request.at().getEpochSecond()) + "-" + HexFormat.of().formatHex(random);
    }
}
