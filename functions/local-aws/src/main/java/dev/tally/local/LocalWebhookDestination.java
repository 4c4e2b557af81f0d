package dev.tally.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream tool's deletion API, on a free loopback port, for the demo and the end-to-end tests of webhook
 * targets. It records every call it receives — method, path, query, headers (names in lower case), body, time — in
 * memory ({@link #calls()}) and, if given a file, as one JSON line each ({@link #read(Path)} reads them back, from
 * another process too). It answers as its {@link Mode} says, which may be changed while it runs:
 * <ul>
 *   <li>{@link Mode#sync()}: every call → {@code 200 {"ok": true}};</li>
 *   <li>{@link Mode#asyncJobs(int)}: {@code GET /jobs/<id>} → {@code 200 {"job": {"id"}, "state": "running"}} until
 *       the n-th poll of that job, which says {@code "done"} (an unknown job → 404); any other call submits a job →
 *       {@code 202 {"job": {"id": "job-<n>"}, "state": "queued"}}. A webhook target for it reads
 *       {@code "job_id_path": "$.job.id", "status_url": "<endpoint>/jobs/{{job_id}}", "status_path": "$.state",
 *       "done_values": ["done"]};</li>
 *   <li>{@link Mode#failing(int)}: every call → that status with {@code {"error": ...}} (and a {@code Retry-After}
 *       header with {@link Mode#failing(int, long)}).</li>
 * </ul>
 * Local use only: the recorded headers include secret ones (the local API keys). Thread-safe.
 */
public final class LocalWebhookDestination implements AutoCloseable {

    /** How the destination answers. */
    public record Mode(Kind kind, int pollsToDone, int status, Optional<Long> retryAfterSeconds) {
        /** Which of the three behaviours. */
        public enum Kind { SYNC, ASYNC_JOBS, FAILING }

        /** 200 to everything. */
        public static Mode sync() {
            return new Mode(Kind.SYNC, 0, 200, Optional.empty());
        }

        /** A job API whose jobs say done on their {@code pollsToDone}-th poll (1: the first poll). */
        public static Mode asyncJobs(int pollsToDone) {
            if (pollsToDone < 1) {
                throw new IllegalArgumentException("a job needs at least one poll to be done: " + pollsToDone);
            }
            return new Mode(Kind.ASYNC_JOBS, pollsToDone, 202, Optional.empty());
        }

        /** {@code status} to everything. */
        public static Mode failing(int status) {
            return new Mode(Kind.FAILING, 0, checked(status), Optional.empty());
        }

        /** {@code status} to everything, with {@code Retry-After: <seconds>}. */
        public static Mode failing(int status, long retryAfterSeconds) {
            return new Mode(Kind.FAILING, 0, checked(status), Optional.of(retryAfterSeconds));
        }

        private static int checked(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            return status;
        }
    }

    /** One call received. {@code query} is null when the URL had none; {@code headers} names are lower case. */
    public record Call(String method, String path, String query, Map<String, List<String>> headers, String body,
                       Instant receivedAt) {
        /** The header's first value, if sent. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Path recordTo;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final AtomicInteger jobs = new AtomicInteger();
    private volatile Mode mode;

    private LocalWebhookDestination(Mode mode, Path recordTo) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.recordTo = recordTo;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(Processes.LOOPBACK), 0), 64);
        } catch (IOException e) {
            throw new LocalAwsException("the local webhook destination cannot listen on " + Processes.LOOPBACK
                    + ": " + e.getMessage(), e);
        }
        AtomicInteger count = new AtomicInteger();
        threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tally-webhook-destination-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts it, keeping the calls in memory only. */
    public static LocalWebhookDestination start(Mode mode) {
        return new LocalWebhookDestination(mode, null);
    }

    /** Starts it, also appending each call to {@code recordTo} as a JSON line (the file and its directories are created). */
    public static LocalWebhookDestination start(Mode mode, Path recordTo) {
        return new LocalWebhookDestination(mode, Objects.requireNonNull(recordTo, "recordTo"));
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://" + Processes.LOOPBACK + ":" + server.getAddress().getPort());
    }

    /** Answers from now on as {@code mode} says (jobs already submitted keep their poll counts). */
    public void mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Every call received so far, in arrival order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls recorded in a JSON-lines file written by a destination; empty when there is no such file. */
    @SuppressWarnings("unchecked")
    public static List<Call> read(Path recorded) {
        List<String> lines;
        try {
            lines = Files.readAllLines(recorded, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recorded calls " + recorded, e);
        }
        List<Call> read = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> json = (Map<String, Object>) Json.parse(line);
            Map<String, List<String>> headers = new TreeMap<>();
            ((Map<String, Object>) json.get("headers")).forEach((name, values) ->
                    headers.put(name, ((List<Object>) values).stream().map(String::valueOf).toList()));
            read.add(new Call((String) json.get("method"), (String) json.get("path"), (String) json.get("query"),
                    Map.copyOf(headers), (String) json.get("body"), Instant.parse((String) json.get("received_at"))));
        }
        return read;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "LocalWebhookDestination[" + endpoint() + ", " + mode.kind() + ", " + calls.size() + " calls]";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            record(exchange, body);
            Mode current = mode;
            switch (current.kind()) {
                case SYNC -> answer(exchange, 200, Map.of("ok", true));
                case FAILING -> {
                    current.retryAfterSeconds().ifPresent(seconds ->
                            exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds)));
                    answer(exchange, current.status(), Map.of("error", "the local destination answers "
                            + current.status()));
                }
                case ASYNC_JOBS -> jobs(exchange, current);
            }
        } finally {
            exchange.close();
        }
    }

    private void jobs(HttpExchange exchange, Mode current) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("GET") && path.startsWith("/jobs/")) {
            String id = path.substring("/jobs/".length());
            AtomicInteger polled = polls.get(id);
            if (polled == null) {
                answer(exchange, 404, Map.of("error", "no such job"));
                return;
            }
            String state = polled.incrementAndGet() >= current.pollsToDone() ? "done" : "running";
            answer(exchange, 200, job(id, state));
            return;
        }
        String id = "job-" + jobs.incrementAndGet();
        polls.put(id, new AtomicInteger());
        answer(exchange, 202, job(id, "queued"));
    }

    private static Map<String, Object> job(String id, String state) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job", Map.of("id", id));
        answer.put("state", state);
        return answer;
    }

    private void record(HttpExchange exchange, String body) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values), (a, b) -> {
                    List<String> all = new ArrayList<>(a);
                    all.addAll(b);
                    return List.copyOf(all);
                }));
        URI uri = exchange.getRequestURI();
        Call call = new Call(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), Map.copyOf(headers),
                body, Instant.now());
        if (recordTo != null) {
            append(call);
        }
        calls.add(call);
    }

    private synchronized void append(Call call) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("method", call.method());
        line.put("path", call.path());
        line.put("query", call.query());
        line.put("headers", new TreeMap<>(call.headers()));
        line.put("body", call.body());
        line.put("received_at", call.receivedAt().toString());
        try {
            if (recordTo.getParent() != null) {
                Files.createDirectories(recordTo.getParent());
            }
            Files.writeString(recordTo, Json.write(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a call to " + recordTo, e);
        }
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> json) throws IOException {
        byte[] bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 || status == 304 ? -1 : bytes.length);
        if (status != 204 && status != 304) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
