package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API Gateway (HTTP API, payload format 2.0) on {@code 127.0.0.1}, in front of a Lambda handler run in this JVM:
 * each HTTP request becomes the {@link APIGatewayV2HTTPEvent} the gateway would hand the function ({@link
 * GatewayEvents}), a bearer JWT is checked first as the gateway's JWT authorizer checks it (an invalid one is
 * answered 401 without calling the handler; a valid one becomes {@code requestContext.authorizer.jwt}), bodies over
 * 10 MB are refused with 413 as the gateway refuses them, and the handler's {@link APIGatewayV2HTTPResponse} is
 * written back. Requests run on a pool of {@value #THREADS} threads, so concurrent calls run concurrently, as
 * concurrent Lambda invocations do. Nothing of a request — path, headers, body, token — is logged.
 */
final class LocalGateway implements AutoCloseable {
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    static final int THREADS = 32;
    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An HTTP request as the gateway received it; {@code rawQuery} is empty when there is none. */
    record Request(String method, String rawPath, String rawQuery, String protocol,
                   Map<String, List<String>> headers, byte[] body, String sourceIp, int port, Instant at,
                   String requestId) {
    }

    /** An HTTP answer: status, headers (a name may repeat: {@code set-cookie}), body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final LocalJwt jwt;
    private final HttpServer server;
    private final ExecutorService pool;

    private LocalGateway(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, LocalJwt jwt,
                         int port) throws IOException {
        this.handler = handler;
        this.jwt = jwt;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "tally-gateway-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setExecutor(pool);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** Serves {@code handler} on {@code 127.0.0.1:port} (0: a free port). */
    static LocalGateway start(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, LocalJwt jwt,
                              int port) throws IOException {
        return new LocalGateway(handler, jwt, port);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What the gateway answers to one request: refusals of its own, else the handler's response. */
    static Response handle(Request request, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                           LocalJwt jwt) {
        if (request.body().length > MAX_BODY_BYTES) {
            return error(413, "TOO_LARGE", "the request body is larger than 10 MB", request.requestId());
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = null;
        List<String> authorization = request.headers().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("authorization")).flatMap(h -> h.getValue().stream())
                .toList();
        if (!authorization.isEmpty()) {
            String value = authorization.get(0).trim();
            if (authorization.size() > 1 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return error(401, "UNAUTHENTICATED", "the Authorization header must be one bearer token",
                        request.requestId());
            }
            try {
                authorizer = GatewayEvents.authorizer(jwt.verify(value.substring(7).trim()));
            } catch (LocalJwt.InvalidTokenException e) {
                return error(401, "UNAUTHENTICATED", e.getMessage(), request.requestId());
            }
        }
        APIGatewayV2HTTPResponse response;
        try {
            response = handler.handleRequest(GatewayEvents.event(request, authorizer), null);
        } catch (RuntimeException e) {
            LOG.error("local gateway: the handler failed with {}", e.getClass().getName());
            return error(500, "INTERNAL", "Internal Server Error", request.requestId());
        }
        return GatewayEvents.response(response, request.requestId());
    }

    private void exchange(HttpExchange exchange) {
        try (exchange) {
            Response response;
            String requestId = requestId();
            long declared = declaredLength(exchange);
            if (declared > MAX_BODY_BYTES) {
                response = error(413, "TOO_LARGE", "the request body is larger than 10 MB", requestId);
                exchange.getResponseHeaders().add("connection", "close");
            } else {
                byte[] body = read(exchange.getRequestBody());
                InetSocketAddress remote = exchange.getRemoteAddress();
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
                URI uri = exchange.getRequestURI();
                response = handle(new Request(exchange.getRequestMethod(), uri.getRawPath(),
                        uri.getRawQuery() == null ? "" : uri.getRawQuery(), exchange.getProtocol(), headers, body,
                        remote.getAddress().getHostAddress(), server.getAddress().getPort(), Instant.now(),
                        requestId), handler, jwt);
            }
            write(exchange, response);
        } catch (IOException | RuntimeException e) {
            LOG.warn("local gateway: a request failed in transport: {}", e.getClass().getName());
        }
    }

    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("content-length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body, up to one byte more than the limit (enough to tell it is too large). */
    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return body;
    }

    private static void write(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        boolean empty = response.body().length == 0 || response.status() == 204 || response.status() == 304
                || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), empty ? -1 : response.body().length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /** The gateway's own answer, in the API's error shape. */
    static Response error(int status, String code, String message, String requestId) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).putNull("field").put("message", message);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("apigw-requestid", List.of(requestId));
        if (status == 401) {
            headers.put("www-authenticate", List.of("Bearer"));
        }
        try {
            return new Response(status, headers, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An id like the gateway's ({@code JKJaXmPLvHcESHA=}): 16 characters of base64. */
    static String requestId() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
