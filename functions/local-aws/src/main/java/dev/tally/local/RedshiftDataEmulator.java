package dev.tally.local;

import com.sun.net.httpserver.HttpExchange;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Amazon Redshift Data API, in this JVM, over AWS JSON 1.1 ({@code POST /}, {@code X-Amz-Target:
 * RedshiftData.<Operation>}), on a free loopback port, running its statements on the stack's PostgreSQL:
 * {@code ExecuteStatement}, {@code BatchExecuteStatement} (one transaction), {@code DescribeStatement},
 * {@code GetStatementResult} and {@code CancelStatement}. Statements run on worker threads, so clients poll as they
 * would against Redshift; they and their results are kept in memory (bounded). Redshift-only SQL is translated by
 * {@link RedshiftSql}; {@code COPY ... FROM 's3://...'} reads the object from the stack's S3 emulator.
 *
 * <p>This class is the entry point and the protocol: routing {@code X-Amz-Target} to {@link RedshiftDataOperations},
 * and answering JSON or AWS's error shape. The work is in {@link RedshiftDataRunner} (running statements),
 * {@link RedshiftDataQueries} (the statements kept) and {@link RedshiftDataQuery} (one statement's lifecycle). The
 * {@code RedshiftData*} classes are the only ones that touch the PostgreSQL JDBC driver: they are loaded only when
 * REDSHIFT_DATA is asked for.
 *
 * <p>Not on {@code JsonEndpoint}: the Data API's errors carry members beside the message ({@code ResourceId},
 * {@code StatementId}) and its unexpected failures are {@code InternalServerException} with the cause, which that
 * shared plumbing does not answer.
 */
final class RedshiftDataEmulator implements Emulator {
    static final String DRIVER_CLASS = "org.postgresql.Driver";
    static final String ARTIFACT = "org.postgresql:postgresql";

    static final String TARGET_PREFIX = "RedshiftData.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final HttpServer server;
    private final ExecutorService http;
    private final RedshiftDataQueries queries;
    private final RedshiftDataRunner runner;
    private final RedshiftDataOperations operations;
    private final RedshiftDataFaults faults;

    private RedshiftDataEmulator(HttpServer server, ExecutorService http, RedshiftDataQueries queries,
            RedshiftDataRunner runner, String defaultDatabase, RedshiftDataFaults faults) {
        this.server = server;
        this.http = http;
        this.queries = queries;
        this.runner = runner;
        this.operations = new RedshiftDataOperations(queries, runner, defaultDatabase);
        this.faults = faults;
    }

    /**
     * Starts the endpoint for the PostgreSQL on {@code postgresPort}; {@code s3Endpoint} gives the S3 emulator's
     * endpoint when it runs (null when not), asked at each COPY.
     */
    static RedshiftDataEmulator start(int postgresPort, String user, String password, String defaultDatabase,
            Supplier<URI> s3Endpoint, RedshiftDataFaults faults) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(Processes.LOOPBACK), 0), 64);
        } catch (IOException e) {
            throw new LocalAwsException("the Redshift Data API emulator cannot listen on " + Processes.LOOPBACK
                    + ": " + e.getMessage(), e);
        }
        ExecutorService http = Executors.newCachedThreadPool(daemonThreads("tally-redshift-data-http-"));
        RedshiftDataQueries queries = new RedshiftDataQueries();
        RedshiftDataRunner runner = new RedshiftDataRunner(
                "jdbc:postgresql://" + Processes.LOOPBACK + ":" + postgresPort + "/", user, password, faults,
                new RedshiftDataS3Copy(s3Endpoint), queries);
        RedshiftDataEmulator emulator = new RedshiftDataEmulator(server, http, queries, runner, defaultDatabase,
                faults);
        server.createContext("/", emulator::handle);
        server.setExecutor(http);
        server.start();
        return emulator;
    }

    /** The emulator's threads are daemons, so that a test JVM that never closes it still exits. */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + Processes.LOOPBACK + ":" + server.getAddress().getPort());
    }

    RedshiftDataFaults faults() {
        return faults;
    }

    @Override
    public void close() {
        queries.close();
        try {
            server.stop(0);
        } catch (RuntimeException e) {
            // stopping a test server must not hide the outcome of the run
        }
        for (RedshiftDataQuery query : queries.all()) {
            query.cancel();
        }
        runner.stop();
        http.shutdownNow();
        runner.awaitStopped(5);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            int status = 200;
            Map<String, Object> answer;
            String errorType = null;
            try {
                answer = dispatch(exchange);
            } catch (RedshiftDataApiError e) {
                status = e.status;
                errorType = e.type;
                answer = new LinkedHashMap<>();
                answer.put("__type", e.type);
                answer.put("message", e.getMessage());
                answer.putAll(e.extra);
            } catch (RuntimeException e) {
                status = 500;
                errorType = "InternalServerException";
                answer = new LinkedHashMap<>();
                answer.put("__type", errorType);
                answer.put("message", "the local Redshift Data API failed: " + e);
            }
            byte[] body = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            if (errorType != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    private Map<String, Object> dispatch(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new RedshiftDataApiError("UnknownOperationException", "expected POST / with X-Amz-Target: "
                    + TARGET_PREFIX + "<Operation> (AWS JSON 1.1), got " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + (target == null ? "" : " with X-Amz-Target: " + target));
        }
        RedshiftDataRequest request = RedshiftDataRequest.parse(raw);
        String operation = target.substring(TARGET_PREFIX.length());
        return switch (operation) {
            case "ExecuteStatement" -> operations.executeStatement(request);
            case "BatchExecuteStatement" -> operations.batchExecuteStatement(request);
            case "DescribeStatement" -> operations.describeStatement(request);
            case "GetStatementResult" -> operations.getStatementResult(request);
            case "CancelStatement" -> operations.cancelStatement(request);
            default -> throw new RedshiftDataApiError("UnknownOperationException", "operation " + operation
                    + " is not emulated by the local Redshift Data API (it has ExecuteStatement, BatchExecuteStatement,"
                    + " DescribeStatement, GetStatementResult, CancelStatement)");
        };
    }
}
