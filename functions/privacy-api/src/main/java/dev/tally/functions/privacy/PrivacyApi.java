package dev.tally.functions.privacy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.Caller;
import dev.tally.privacy.PrivacyError;
import dev.tally.privacy.PrivacyException;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.PrivacyRequests;
import dev.tally.privacy.SubjectType;
import dev.tally.runtime.CountMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The privacy HTTP API over API Gateway's payload 2.0: the caller from the authorizer context, the route from
 * method and path, the body checked against the wire format, the engine called, and the answer — or the error
 * body naming the field — as JSON. One log line per call names the route and the status, never a subject id,
 * an email or a code (paths hold only request ids, except the suppression check's, which is not logged).
 */
final class PrivacyApi {
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyApi.class);
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json",
            "cache-control", "no-store");

    private final PrivacyRequests requests;
    private final Callers callers;
    private final CountMetrics metrics;

    PrivacyApi(PrivacyRequests requests, Callers callers, CountMetrics metrics) {
        this.requests = requests;
        this.callers = callers;
        this.metrics = metrics;
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        String method = method(event);
        List<String> path = path(event);
        String route = route(method, path);
        APIGatewayV2HTTPResponse response;
        try {
            Caller caller = callers.of(event);
            response = dispatch(event, method, path, caller);
        } catch (PrivacyException e) {
            response = json(e.error().status(), RequestJson.error(e.error(), e.field(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("privacy API {} failed: {}", route, e.getClass().getName(), scrubbed(e));
            response = json(500, RequestJson.error(PrivacyError.INTERNAL, null, "internal error"));
        }
        LOG.info("privacy API {} -> {}", route, response.getStatusCode());
        int status = response.getStatusCode();
        metrics.publish(Map.of("Requests", 1L, "ClientErrors", status >= 400 && status < 500 ? 1L : 0L,
                "ServerErrors", status >= 500 ? 1L : 0L));
        return response;
    }

    private APIGatewayV2HTTPResponse dispatch(APIGatewayV2HTTPEvent event, String method, List<String> path,
                                              Caller caller) {
        int size = path.size();
        if (size >= 1 && path.get(0).equals("privacy-requests")) {
            if (size == 1) {
                allow(method, "POST");
                var created = requests.create(caller, RequestBodies.create(body(event)), idempotencyKey(event));
                return json(created.created() ? 201 : 200, RequestJson.request(created.request()));
            }
            String id = path.get(1);
            if (size == 2) {
                allow(method, "GET", "DELETE");
                PrivacyRequest request = method.equals("GET") ? requests.get(caller, id) : requests.cancel(caller, id);
                return json(200, RequestJson.request(request));
            }
            if (size == 3 && path.get(2).equals("retry")) {
                allow(method, "POST");
                return json(200, RequestJson.request(requests.retryFailed(caller, id)));
            }
            if (size == 3 && path.get(2).equals("confirm")) {
                allow(method, "POST");
                String code = RequestBodies.confirmCode(body(event));
                return json(200, RequestJson.request(requests.confirm(caller, id, code)));
            }
        }
        if (size == 3 && path.get(0).equals("suppressions")) {
            allow(method, "GET");
            SubjectType type = subjectType(path.get(1));
            Optional<java.time.Instant> since = requests.suppressedSince(caller, type, path.get(2));
            return json(200, RequestJson.JSON.createObjectNode().put("suppressed", since.isPresent())
                    .put("since", since.map(RequestJson::time).orElse(null)));
        }
        if (size >= 3 && path.get(0).equals("opendsr") && path.get(1).equals("v1")) {
            String controller = caller.admin() ? caller.principal() : PrivacyRequest.END_USER;
            if (size == 3 && path.get(2).equals("discovery")) {
                allow(method, "GET");
                return json(200, OpenDsr.discovery());
            }
            if (size == 3 && path.get(2).equals("requests")) {
                allow(method, "POST");
                OpenDsr.Asked asked = OpenDsr.parse(body(event));
                var created = requests.create(caller, asked.request(),
                        Optional.of(OpenDsr.KEY_PREFIX + asked.subjectRequestId()));
                return json(created.created() ? 201 : 200,
                        OpenDsr.created(created.request(), asked.subjectRequestId(), controller));
            }
            if (size == 4 && path.get(2).equals("requests")) {
                allow(method, "GET", "DELETE");
                String subjectRequestId = path.get(3).toLowerCase(Locale.ROOT);
                String key = OpenDsr.KEY_PREFIX + subjectRequestId;
                if (method.equals("GET")) {
                    return json(200, OpenDsr.status(requests.getByKey(caller, key), subjectRequestId, controller));
                }
                return json(202, OpenDsr.cancelled(requests.cancelByKey(caller, key), subjectRequestId, controller));
            }
        }
        throw new PrivacyException(PrivacyError.NOT_FOUND, null, "no such resource");
    }

    private static SubjectType subjectType(String value) {
        try {
            return SubjectType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PrivacyException.invalid("subject_type", "must be one of "
                    + java.util.Arrays.toString(SubjectType.values()));
        }
    }

    private static void allow(String method, String... methods) {
        for (String allowed : methods) {
            if (allowed.equals(method)) {
                return;
            }
        }
        throw new PrivacyException(PrivacyError.METHOD_NOT_ALLOWED, null, "use " + String.join(" or ", methods));
    }

    /** The body as text; over 4 MB is TOO_LARGE, a declared non-JSON type UNSUPPORTED_MEDIA_TYPE. */
    private static String body(APIGatewayV2HTTPEvent event) {
        String contentType = header(event, "content-type").orElse("application/json").toLowerCase(Locale.ROOT);
        if (!contentType.contains("json")) {
            throw new PrivacyException(PrivacyError.UNSUPPORTED_MEDIA_TYPE, null, "bodies must be application/json");
        }
        String body = event.getBody();
        if (body == null) {
            return null;
        }
        byte[] bytes = event.getIsBase64Encoded() ? decode(body) : body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new PrivacyException(PrivacyError.TOO_LARGE, null, "the body is larger than 4 MB");
        }
        return event.getIsBase64Encoded() ? new String(bytes, StandardCharsets.UTF_8) : body;
    }

    private static byte[] decode(String body) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new PrivacyException(PrivacyError.INVALID_JSON, null, "the body is not valid base64");
        }
    }

    private static Optional<String> idempotencyKey(APIGatewayV2HTTPEvent event) {
        Optional<String> key = header(event, "idempotency-key");
        if (key.isPresent() && (key.get().isEmpty() || key.get().length() > 128
                || !key.get().chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
            throw PrivacyException.invalid("Idempotency-Key", "must be 1 to 128 visible ASCII characters");
        }
        return key;
    }

    private static Optional<String> header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return Optional.empty();
        }
        return event.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : null;
        return method == null ? "" : method.toUpperCase(Locale.ROOT);
    }

    /** The path's segments, decoded, without the stage prefix a named stage adds to {@code rawPath}. */
    static List<String> path(APIGatewayV2HTTPEvent event) {
        String raw = event.getRawPath() == null ? "/" : event.getRawPath();
        var context = event.getRequestContext();
        String stage = context == null ? null : context.getStage();
        if (stage != null && !stage.equals("$default") && raw.startsWith("/" + stage + "/")) {
            raw = raw.substring(stage.length() + 1);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** The route for log lines: the path with ids replaced, so no subject id is logged. */
    private static String route(String method, List<String> path) {
        StringBuilder route = new StringBuilder(method).append(' ');
        for (int i = 0; i < path.size(); i++) {
            String segment = path.get(i);
            boolean literal = List.of("privacy-requests", "confirm", "retry", "suppressions", "opendsr", "v1", "discovery",
                    "requests").contains(segment) && i < 3;
            route.append('/').append(literal ? segment : "{}");
        }
        return path.isEmpty() ? route.append('/').toString() : route.toString();
    }

    private static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(JSON_HEADERS)
                    .withBody(RequestJson.JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The exception with its stack but without messages, which a library might have filled with a value. */
    private static Throwable scrubbed(Throwable e) {
        RuntimeException copy = new RuntimeException(e.getClass().getName());
        copy.setStackTrace(e.getStackTrace());
        if (e.getCause() != null && e.getCause() != e) {
            copy.initCause(scrubbed(e.getCause()));
        }
        return copy;
    }
}
