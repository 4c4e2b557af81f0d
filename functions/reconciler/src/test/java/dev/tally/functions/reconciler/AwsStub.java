package dev.tally.functions.reconciler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A tiny HTTP server on 127.0.0.1 that answers ECS (JSON 1.1: {@code X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Operation>}, JSON bodies) and EC2 (Query protocol: form-encoded
 * {@code Action=<Operation>}, XML answers) with canned responses, so real SDK clients can be pointed at
 * it with {@code endpointOverride}. There is no ECS or EC2 emulator to run here.
 */
final class AwsStub implements AutoCloseable {
    static final String ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    static final String EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** One request as the server received it. */
    record Request(String operation, String body, Map<String, String> form) {
        /** A form parameter of a Query-protocol request, or null. */
        String param(String name) {
            return form.get(name);
        }
    }

    /** An answer: status, content type, body. */
    record Reply(int status, String contentType, String body) {
        static Reply ecs(String json) {
            return new Reply(200, "application/x-amz-json-1.1", json);
        }

        static Reply ecsError(int status, String type, String message) {
            return new Reply(status, "application/x-amz-json-1.1",
                    "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
        }

        static Reply ec2(String xml) {
            return new Reply(200, "text/xml;charset=UTF-8", xml);
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Request, Reply>> handlers = new HashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    AwsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code operation} (e.g. {@code ListClusters}, {@code DescribeVolumes}) with {@code handler}. */
    synchronized AwsStub on(String operation, Function<Request, Reply> handler) {
        handlers.put(operation, handler);
        return this;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The requests received for one operation, in order. */
    List<Request> requests(String operation) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.operation().equals(operation)).toList();
        }
    }

    EcsClient ecsClient() {
        return EcsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(noRetries())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    Ec2Client ec2Client() {
        return Ec2Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(noRetries())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Errors reach the test at once, with no back-off. */
    private static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry()).build();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Request request;
            if (target != null && target.startsWith(ECS_TARGET_PREFIX)) {
                request = new Request(target.substring(ECS_TARGET_PREFIX.length()), body, Map.of());
            } else {
                Map<String, String> form = form(body);
                request = new Request(form.getOrDefault("Action", "?"), body, form);
            }
            requests.add(request);
            Function<Request, Reply> handler;
            synchronized (this) {
                handler = handlers.get(request.operation());
            }
            Reply reply = handler != null ? handler.apply(request)
                    : new Reply(400, "text/plain", "no stub for " + request.operation());
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("x-amzn-RequestId", "stub-" + requests.size());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
