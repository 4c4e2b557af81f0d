package dev.tally.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plumbing the small JSON endpoints (SES v2, Secrets Manager) share: a JDK {@link HttpServer} on a free loopback
 * port with daemon threads, reading a JSON object body, and answering JSON with AWS's error headers. Each request is
 * handled by a {@link Handler} that returns the answer or throws {@link Failure}.
 */
final class JsonEndpoint implements AutoCloseable {

    /** Answers one request: the JSON object to send with 200, or a {@link Failure}. */
    @FunctionalInterface
    interface Handler {
        Map<String, Object> handle(HttpExchange exchange, byte[] body) throws IOException;
    }

    /**
     * An AWS error answer: HTTP {@code status}, header {@code x-amzn-ErrorType: type}, and a body of
     * {@code {"message": ...}}, with {@code "__type": type} too when {@code typeInBody} (AWS JSON 1.1 puts it there,
     * REST-JSON services such as SES v2 only in the header).
     */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;
        final boolean typeInBody;

        Failure(int status, String type, String message, boolean typeInBody) {
            super(message);
            this.status = status;
            this.type = type;
            this.typeInBody = typeInBody;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;

    private JsonEndpoint(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Listens on a free loopback port; {@code what} names the endpoint in messages and thread names. */
    static JsonEndpoint start(String what, String threadPrefix, String contentType, Handler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(Processes.LOOPBACK), 0), 64);
        } catch (IOException e) {
            throw new LocalAwsException(what + " cannot listen on " + Processes.LOOPBACK + ": " + e.getMessage(), e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, threadPrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", exchange(what, contentType, handler));
        server.setExecutor(threads);
        server.start();
        return new JsonEndpoint(server, threads);
    }

    private static HttpHandler exchange(String what, String contentType, Handler handler) {
        return exchange -> {
            try {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                int status = 200;
                Map<String, Object> answer;
                String errorType = null;
                try {
                    answer = handler.handle(exchange, body);
                } catch (Failure e) {
                    status = e.status;
                    errorType = e.type;
                    answer = error(e.typeInBody ? e.type : null, e.getMessage());
                } catch (RuntimeException e) {
                    status = 500;
                    errorType = "InternalFailure";
                    // the exception's class only: its message might carry what the request held
                    answer = error("InternalFailure", what + " failed: " + e.getClass().getName());
                }
                byte[] bytes = Json.write(answer).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
                if (errorType != null) {
                    exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
                }
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } finally {
                exchange.close();
            }
        };
    }

    private static Map<String, Object> error(String type, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("__type", type);
        answer.put("message", message);
        return answer;
    }

    /**
     * The body as a JSON object (empty for an empty body); {@code malformed} builds the failure for a body that is
     * not one.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(byte[] body, java.util.function.Function<String, Failure> malformed) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw malformed.apply("the request body is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw malformed.apply("the request body is not a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    URI endpoint() {
        return URI.create("http://" + Processes.LOOPBACK + ":" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        try {
            server.stop(0);
        } catch (RuntimeException e) {
            // stopping a test server must not hide the outcome of the run
        }
        threads.shutdownNow();
    }
}
