package dev.tally.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The Amazon Redshift Data API, in this JVM, over AWS JSON 1.1 ({@code POST /}, {@code X-Amz-Target:
 * RedshiftData.<Operation>}), on a free loopback port, running its statements on the stack's PostgreSQL:
 * {@code ExecuteStatement}, {@code BatchExecuteStatement} (one transaction), {@code DescribeStatement},
 * {@code GetStatementResult} and {@code CancelStatement}. Statements run on worker threads, so clients poll as they
 * would against Redshift; they and their results are kept in memory (bounded). Redshift-only SQL is translated by
 * {@link RedshiftSql}; {@code COPY ... FROM 's3://...'} reads the object from the stack's S3 emulator. The only
 * class that touches the PostgreSQL JDBC driver: loaded only when REDSHIFT_DATA is asked for.
 */
final class RedshiftDataEmulator implements Emulator {
    static final String DRIVER_CLASS = "org.postgresql.Driver";
    static final String ARTIFACT = "org.postgresql:postgresql";

    static final String TARGET_PREFIX = "RedshiftData.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Statements kept for DescribeStatement (the oldest finished ones are forgotten first). */
    static final int MAX_STATEMENTS = 10_000;
    /** Statements submitted and not yet finished, failed or aborted, at most. */
    static final int MAX_ACTIVE = 200;
    /** Rows per GetStatementResult page. */
    static final int PAGE_ROWS = 1000;
    /** The result of one statement, at most (larger ones fail the statement). */
    static final long MAX_RESULT_BYTES = 64L << 20;
    /** The results of all statements, at most: the oldest are dropped (they expire) beyond it. */
    static final long MAX_HELD_RESULT_BYTES = 256L << 20;
    static final int MAX_BATCH = 40;
    static final int MAX_WAIT_SECONDS = 30;
    private static final int WORKERS = 4;
    private static final Pattern ID = Pattern.compile("[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\\d{1,2})?");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[0-9a-zA-Z_]+");

    enum Status { SUBMITTED, PICKED, STARTED, FINISHED, ABORTED, FAILED;

        boolean terminal() {
            return this == FINISHED || this == ABORTED || this == FAILED;
        }
    }

    private final HttpServer server;
    private final ExecutorService http;
    private final ExecutorService workers;
    private final String jdbcBase;
    private final String user;
    private final String password;
    private final String defaultDatabase;
    private final Supplier<URI> s3Endpoint;
    private final RedshiftDataFaults faults;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private final Map<String, Query> statements = new LinkedHashMap<>(); // guarded by this
    private final Map<String, String> clientTokens = new HashMap<>(); // guarded by this
    private long heldResultBytes; // guarded by this
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong queryIds = new AtomicLong(100_000);
    private volatile boolean closed;

    private RedshiftDataEmulator(HttpServer server, ExecutorService http, String jdbcBase, String user, String password,
            String defaultDatabase, Supplier<URI> s3Endpoint, RedshiftDataFaults faults) {
        this.server = server;
        this.http = http;
        this.workers = Executors.newFixedThreadPool(WORKERS, daemonThreads("tally-redshift-data-worker-"));
        this.jdbcBase = jdbcBase;
        this.user = user;
        this.password = password;
        this.defaultDatabase = defaultDatabase;
        this.s3Endpoint = s3Endpoint;
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
        RedshiftDataEmulator emulator = new RedshiftDataEmulator(server, http,
                "jdbc:postgresql://" + Processes.LOOPBACK + ":" + postgresPort + "/", user, password, defaultDatabase,
                s3Endpoint, faults);
        server.createContext("/", emulator::handle);
        server.setExecutor(http);
        server.start();
        return emulator;
    }

    private static ThreadFactory daemonThreads(String prefix) {
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
        closed = true;
        try {
            server.stop(0);
        } catch (RuntimeException e) {
            // stopping a test server must not hide the outcome of the run
        }
        List<Query> running;
        synchronized (this) {
            running = new ArrayList<>(statements.values());
        }
        for (Query query : running) {
            query.cancel();
        }
        workers.shutdownNow();
        http.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP

    /** An error answer: {@code {"__type": type, "message": ...}} with an HTTP status. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String type;
        final int status;
        final transient Map<String, Object> extra;

        ApiError(String type, String message) {
            this(type, message, 400, Map.of());
        }

        ApiError(String type, String message, int status, Map<String, Object> extra) {
            super(message);
            this.type = type;
            this.status = status;
            this.extra = extra;
        }
    }

    private static ApiError validation(String message) {
        return new ApiError("ValidationException", message);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            int status = 200;
            Map<String, Object> answer;
            String errorType = null;
            try {
                answer = dispatch(exchange);
            } catch (ApiError e) {
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
            throw new ApiError("UnknownOperationException", "expected POST / with X-Amz-Target: "
                    + TARGET_PREFIX + "<Operation> (AWS JSON 1.1), got " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + (target == null ? "" : " with X-Amz-Target: " + target));
        }
        Map<String, Object> request = body(raw);
        String operation = target.substring(TARGET_PREFIX.length());
        return switch (operation) {
            case "ExecuteStatement" -> executeStatement(request);
            case "BatchExecuteStatement" -> batchExecuteStatement(request);
            case "DescribeStatement" -> describeStatement(request);
            case "GetStatementResult" -> getStatementResult(request);
            case "CancelStatement" -> cancelStatement(request);
            default -> throw new ApiError("UnknownOperationException", "operation " + operation
                    + " is not emulated by the local Redshift Data API (it has ExecuteStatement, BatchExecuteStatement,"
                    + " DescribeStatement, GetStatementResult, CancelStatement)");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new ApiError("SerializationException", "the request body is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new ApiError("SerializationException", "the request body is not a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    private static String string(Map<String, Object> request, String name) {
        Object value = request.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new ApiError("SerializationException", name + " must be a string");
    }

    private static String required(Map<String, Object> request, String name) {
        String value = string(request, name);
        if (value == null) {
            throw validation("1 validation error detected: Value null at '" + lowerFirst(name)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static String lowerFirst(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Integer integer(Map<String, Object> request, String name) {
        Object value = request.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new ApiError("SerializationException", name + " must be an integer");
    }

    private static boolean bool(Map<String, Object> request, String name) {
        Object value = request.get(name);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        throw new ApiError("SerializationException", name + " must be a boolean");
    }

    private static int waitSeconds(Map<String, Object> request) {
        Integer wait = integer(request, "WaitTimeSeconds");
        if (wait == null) {
            return 0;
        }
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw validation("WaitTimeSeconds must be between 0 and " + MAX_WAIT_SECONDS + ", not " + wait);
        }
        return wait;
    }

    private static Object timestamp(Instant instant) {
        return instant == null ? null : BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operations

    private Map<String, Object> executeStatement(Map<String, Object> request) {
        String sql = required(request, "Sql");
        if (sql.isBlank()) {
            throw validation("Sql must not be empty");
        }
        return submit(request, List.of(sql), false);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> batchExecuteStatement(Map<String, Object> request) {
        Object sqls = request.get("Sqls");
        if (sqls == null) {
            throw validation("1 validation error detected: Value null at 'sqls' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        if (!(sqls instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new ApiError("SerializationException", "Sqls must be a list of strings");
        }
        List<String> statementsOfBatch = (List<String>) sqls;
        if (statementsOfBatch.isEmpty() || statementsOfBatch.size() > MAX_BATCH) {
            throw validation("Sqls must have 1 to " + MAX_BATCH + " statements, not " + statementsOfBatch.size());
        }
        if (statementsOfBatch.stream().anyMatch(String::isBlank)) {
            throw validation("Sqls must not contain an empty statement");
        }
        String mode = string(request, "ExecutionMode");
        if (mode != null && !mode.equals("TRANSACTION")) {
            throw validation("ExecutionMode " + mode + " is not emulated by the local Redshift Data API: a batch runs"
                    + " as one transaction (TRANSACTION)");
        }
        return submit(request, List.copyOf(statementsOfBatch), true);
    }

    private Map<String, Object> submit(Map<String, Object> request, List<String> sqls, boolean batch) {
        if (request.get("SessionId") != null || request.get("SessionKeepAliveSeconds") != null) {
            throw validation("sessions (SessionId, SessionKeepAliveSeconds) are not emulated by the local Redshift"
                    + " Data API");
        }
        String cluster = string(request, "ClusterIdentifier");
        String workgroup = string(request, "WorkgroupName");
        if (cluster == null && workgroup == null) {
            throw validation("Either ClusterIdentifier or WorkgroupName must be specified");
        }
        if (cluster != null && workgroup != null) {
            throw validation("ClusterIdentifier and WorkgroupName cannot both be specified");
        }
        String format = string(request, "ResultFormat");
        if (format != null && !format.equals("JSON")) {
            throw validation("ResultFormat " + format + " is not emulated by the local Redshift Data API (JSON only)");
        }
        Map<String, String> parameters = parameters(request.get("Parameters"));
        String database = Optional.ofNullable(string(request, "Database")).orElse(defaultDatabase);
        bool(request, "WithEvent"); // accepted; no EventBridge here
        int wait = waitSeconds(request);
        String token = string(request, "ClientToken");

        Query query;
        synchronized (this) {
            if (closed) {
                throw new ApiError("ExecuteStatementException", "the local Redshift Data API is stopped", 500,
                        Map.of());
            }
            String known = token == null ? null : clientTokens.get(token);
            if (known != null && statements.containsKey(known)) {
                return submitted(statements.get(known), false);
            }
            if (active.get() >= MAX_ACTIVE) {
                throw new ApiError("ActiveStatementsExceededException", "Active statements exceeded the allowed quota ("
                        + MAX_ACTIVE + ") of the local Redshift Data API.");
            }
            String id = UUID.randomUUID().toString();
            query = new Query(id, batch, sqls, database, cluster, workgroup, string(request, "DbUser"),
                    string(request, "SecretArn"), string(request, "StatementName"), parameters, token);
            active.incrementAndGet();
            statements.put(id, query);
            if (token != null) {
                clientTokens.put(token, id);
            }
            forgetOld();
        }
        try {
            workers.execute(() -> run(query));
        } catch (RejectedExecutionException e) {
            query.abort("ERROR: the local Redshift Data API is stopped");
            throw new ApiError("ExecuteStatementException", "the local Redshift Data API is stopped", 500,
                    Map.of("StatementId", query.id));
        }
        if (wait > 0) {
            query.await(wait);
        }
        return submitted(query, wait > 0);
    }

    private static Map<String, String> parameters(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ApiError("SerializationException", "Parameters must be a list of {name, value}");
        }
        if (list.isEmpty()) {
            throw validation("Parameters must have at least 1 member when given");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> parameter)) {
                throw new ApiError("SerializationException", "Parameters must be a list of {name, value}");
            }
            Object name = parameter.get("name");
            Object text = parameter.get("value");
            if (!(name instanceof String n) || !(text instanceof String v)) {
                throw validation("each parameter needs a string name and a string value");
            }
            if (!PARAMETER_NAME.matcher(n).matches()) {
                throw validation("parameter name '" + n + "' must match [0-9a-zA-Z_]+");
            }
            if (parameters.put(n, v) != null) {
                throw validation("parameter '" + n + "' is given twice");
            }
        }
        return parameters;
    }

    private Map<String, Object> submitted(Query query, boolean waited) {
        Map<String, Object> answer = new LinkedHashMap<>();
        synchronized (query) {
            answer.put("Id", query.id);
            answer.put("CreatedAt", timestamp(query.createdAt));
            query.putTarget(answer);
            if (waited) {
                answer.put("Status", query.status.name());
                answer.put("RedshiftPid", query.pid);
                answer.put("HasResultSet", query.hasResultSet());
            }
        }
        return answer;
    }

    /** Forgets the oldest finished statements beyond {@link #MAX_STATEMENTS}. */
    private synchronized void forgetOld() {
        Iterator<Query> it = statements.values().iterator();
        while (statements.size() > MAX_STATEMENTS && it.hasNext()) {
            Query old = it.next();
            if (old.isTerminal()) {
                it.remove();
                if (old.clientToken != null) {
                    clientTokens.remove(old.clientToken);
                }
                heldResultBytes -= old.dropResults();
            }
        }
    }

    /** Keeps the result just made, dropping the oldest ones while all of them are more than allowed. */
    private synchronized void holdResult(Sub sub, long bytes) {
        heldResultBytes += bytes;
        for (Iterator<Query> it = statements.values().iterator(); heldResultBytes > MAX_HELD_RESULT_BYTES
                && it.hasNext(); ) {
            Query old = it.next();
            heldResultBytes -= old.dropResultsExcept(sub);
        }
    }

    private Query query(String id) {
        synchronized (this) {
            Query query = statements.get(id);
            if (query == null) {
                throw new ApiError("ResourceNotFoundException", "Query does not exist.", 400, Map.of("ResourceId", id));
            }
            return query;
        }
    }

    private static String id(Map<String, Object> request) {
        String id = required(request, "Id");
        if (!ID.matcher(id).matches()) {
            throw validation("1 validation error detected: Value '" + id + "' at 'id' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: " + ID.pattern());
        }
        return id;
    }

    private Map<String, Object> describeStatement(Map<String, Object> request) {
        String id = id(request);
        int wait = waitSeconds(request);
        int colon = id.indexOf(':');
        Query query = query(colon < 0 ? id : id.substring(0, colon));
        if (wait > 0) {
            query.await(wait);
        }
        synchronized (query) {
            if (colon < 0) {
                return query.describe();
            }
            return query.describeSub(query.sub(id));
        }
    }

    private Map<String, Object> getStatementResult(Map<String, Object> request) {
        String id = id(request);
        int wait = waitSeconds(request);
        String nextToken = string(request, "NextToken");
        int colon = id.indexOf(':');
        Query query = query(colon < 0 ? id : id.substring(0, colon));
        if (wait > 0) {
            query.await(wait);
        }
        Result result;
        synchronized (query) {
            Sub sub;
            if (colon < 0) {
                if (query.batch) {
                    throw validation("Id " + id + " is a batch: get the result of one of its statements by its Id, "
                            + id + ":<n>");
                }
                sub = query.subs.get(0);
            } else {
                sub = query.sub(id);
            }
            if (sub.status != Status.FINISHED || !sub.hasResultSet) {
                throw new ApiError("ResourceNotFoundException", "Query does not have result. Please check query "
                        + "status with DescribeStatement.", 400, Map.of("ResourceId", id));
            }
            if (sub.result == null) {
                throw new ApiError("ResourceNotFoundException", "The result of query " + id + " has expired: the "
                        + "local Redshift Data API keeps " + (MAX_HELD_RESULT_BYTES >> 20) + " MiB of results.", 400,
                        Map.of("ResourceId", id));
            }
            result = sub.result;
        }
        int offset = 0;
        if (nextToken != null) {
            offset = pageOffset(nextToken, id, result.rows().size());
        }
        int end = Math.min(result.rows().size(), offset + PAGE_ROWS);
        List<Object> records = new ArrayList<>(end - offset);
        for (Object[] row : result.rows().subList(offset, end)) {
            List<Object> fields = new ArrayList<>(row.length);
            for (Object cell : row) {
                fields.add(field(cell));
            }
            records.add(fields);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Records", records);
        answer.put("ColumnMetadata", result.columns());
        answer.put("TotalNumRows", (long) result.rows().size());
        if (end < result.rows().size()) {
            answer.put("NextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((id + "@" + end).getBytes(StandardCharsets.UTF_8)));
        }
        return answer;
    }

    private static int pageOffset(String token, String id, int rows) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int at = decoded.lastIndexOf('@');
            if (at > 0 && decoded.substring(0, at).equals(id)) {
                int offset = Integer.parseInt(decoded.substring(at + 1));
                if (offset > 0 && offset < rows) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw validation("NextToken " + token + " is not one this statement's results gave");
    }

    private static Map<String, Object> field(Object cell) {
        if (cell == null) {
            return Map.of("isNull", true);
        }
        if (cell instanceof Long) {
            return Map.of("longValue", cell);
        }
        if (cell instanceof Double) {
            return Map.of("doubleValue", cell);
        }
        if (cell instanceof Boolean) {
            return Map.of("booleanValue", cell);
        }
        if (cell instanceof byte[]) {
            return Map.of("blobValue", cell);
        }
        return Map.of("stringValue", cell);
    }

    private Map<String, Object> cancelStatement(Map<String, Object> request) {
        String id = id(request);
        int colon = id.indexOf(':');
        Query query = query(colon < 0 ? id : id.substring(0, colon));
        synchronized (query) {
            if (query.status.terminal()) {
                throw validation("Could not cancel a query that is already in " + query.status + " state.");
            }
        }
        return Map.of("Status", query.cancel());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running statements

    /** A statement failed: the error as DescribeStatement reports it. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private record Outcome(long rows, Result result) {
    }

    private void run(Query query) {
        if (!query.pick()) {
            return;
        }
        Sub current = null;
        Connection connection = null;
        try {
            connection = connect(query.database);
            if (!query.started(connection, (long) connection.unwrap(PGConnection.class).getBackendPID())) {
                return;
            }
            connection.setAutoCommit(!query.batch);
            for (Sub sub : query.subs) {
                current = sub;
                if (!query.subStarted(sub, queryIds.incrementAndGet())) {
                    throw new Failure(query.cancelledError());
                }
                Optional<String> fault = faults.take(sub.sql);
                if (fault.isPresent()) {
                    throw new Failure(fault.get());
                }
                Outcome outcome = execute(connection, sub.sql, query.parameters);
                if (outcome.result() != null) {
                    holdResult(sub, outcome.result().bytes());
                }
                query.subFinished(sub, outcome);
            }
            current = null;
            if (query.batch) {
                if (query.cancelRequested()) {
                    throw new Failure(query.cancelledError());
                }
                connection.commit();
            }
            query.finished();
        } catch (Failure e) {
            rollback(query, connection);
            query.failed(current, e.getMessage());
        } catch (SQLException e) {
            rollback(query, connection);
            query.failed(current, query.cancelRequested() ? query.cancelledError() : errorText(e));
        } catch (RuntimeException e) {
            rollback(query, connection);
            query.failed(current, "ERROR: the local Redshift Data API failed: " + e);
        } finally {
            query.detach();
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the statement's outcome is decided
                }
            }
            active.decrementAndGet();
        }
    }

    private static void rollback(Query query, Connection connection) {
        if (query.batch && connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // closing the connection rolls back too
            }
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Parameters are text, as in Redshift: PostgreSQL infers their types from where they stand.
        properties.setProperty("stringtype", "unspecified");
        properties.setProperty("ApplicationName", "tally-redshift-data");
        Connection connection = driver.connect(jdbcBase + URLEncoder.encode(database, StandardCharsets.UTF_8),
                properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL JDBC driver does not take " + jdbcBase);
        }
        try (Statement set = connection.createStatement()) {
            set.execute("SET TIME ZONE 'UTC'"); // Redshift sessions are in UTC
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private Outcome execute(Connection connection, String sql, Map<String, String> parameters)
            throws SQLException, Failure {
        RedshiftSql.Copy copy;
        try {
            copy = RedshiftSql.copy(sql);
        } catch (RedshiftSql.CopyException e) {
            throw new Failure(e.getMessage());
        }
        if (copy != null) {
            return new Outcome(copy(connection, copy), null);
        }
        String translated = RedshiftSql.translate(sql);
        List<String> used = RedshiftSql.placeholders(translated).stream().filter(parameters::containsKey).toList();
        if (used.isEmpty()) {
            try (Statement statement = connection.createStatement()) {
                return outcome(statement, statement.execute(translated));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(RedshiftSql.bind(translated, parameters))) {
            for (int i = 0; i < used.size(); i++) {
                statement.setString(i + 1, parameters.get(used.get(i)));
            }
            return outcome(statement, statement.execute());
        }
    }

    private static Outcome outcome(Statement statement, boolean hasResultSet) throws SQLException, Failure {
        if (!hasResultSet) {
            return new Outcome(Math.max(statement.getUpdateCount(), 0), null);
        }
        try (ResultSet rows = statement.getResultSet()) {
            Result result = read(rows);
            return new Outcome(result.rows().size(), result);
        }
    }

    private static Result read(ResultSet rows) throws SQLException, Failure {
        ResultSetMetaData meta = rows.getMetaData();
        int count = meta.getColumnCount();
        PGResultSetMetaData pg = meta.isWrapperFor(PGResultSetMetaData.class)
                ? meta.unwrap(PGResultSetMetaData.class) : null;
        List<Map<String, Object>> columns = new ArrayList<>(count);
        int[] kinds = new int[count];
        for (int c = 1; c <= count; c++) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("isCaseSensitive", meta.isCaseSensitive(c));
            column.put("isCurrency", meta.isCurrency(c));
            column.put("isSigned", meta.isSigned(c));
            column.put("label", meta.getColumnLabel(c));
            column.put("name", meta.getColumnName(c));
            column.put("nullable", meta.isNullable(c));
            column.put("precision", meta.getPrecision(c));
            column.put("scale", meta.getScale(c));
            column.put("schemaName", pg != null ? pg.getBaseSchemaName(c) : meta.getSchemaName(c));
            column.put("tableName", pg != null ? pg.getBaseTableName(c) : meta.getTableName(c));
            column.put("typeName", meta.getColumnTypeName(c));
            column.put("length", 0);
            columns.add(column);
            kinds[c - 1] = kind(meta.getColumnType(c), meta.getColumnTypeName(c));
        }
        List<Object[]> records = new ArrayList<>();
        long bytes = 0;
        while (rows.next()) {
            Object[] row = new Object[count];
            for (int c = 1; c <= count; c++) {
                Object value = value(rows, c, kinds[c - 1]);
                row[c - 1] = value;
                bytes += value instanceof String s ? s.length() + 8L : value instanceof byte[] b ? b.length + 8L : 8L;
            }
            if (bytes > MAX_RESULT_BYTES) {
                throw new Failure("ERROR: the result is larger than the local Redshift Data API keeps for one "
                        + "statement (" + (MAX_RESULT_BYTES >> 20) + " MiB)");
            }
            records.add(row);
        }
        return new Result(List.copyOf(columns), records, bytes);
    }

    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int BOOLEAN = 3;
    private static final int BLOB = 4;
    private static final int STRING = 5;

    private static int kind(int sqlType, String typeName) {
        switch (sqlType) {
            case Types.BIGINT:
            case Types.INTEGER:
            case Types.SMALLINT:
            case Types.TINYINT:
                return LONG;
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
                return DOUBLE;
            case Types.BOOLEAN:
                return BOOLEAN;
            case Types.BIT:
                return "bool".equals(typeName) ? BOOLEAN : STRING;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
                return BLOB;
            default:
                return STRING; // NUMERIC/DECIMAL too, as Redshift answers them
        }
    }

    private static Object value(ResultSet rows, int c, int kind) throws SQLException {
        Object value;
        switch (kind) {
            case LONG:
                value = rows.getLong(c);
                break;
            case DOUBLE:
                double d = rows.getDouble(c);
                value = Double.isNaN(d) || Double.isInfinite(d) ? rows.getString(c) : (Object) d;
                break;
            case BOOLEAN:
                value = rows.getBoolean(c);
                break;
            case BLOB:
                value = rows.getBytes(c);
                break;
            default:
                value = rows.getString(c);
        }
        return rows.wasNull() ? null : value;
    }

    /** Redshift's way of saying a statement failed: {@code ERROR: <message>}, PostgreSQL's message. */
    static String errorText(SQLException e) {
        if (e instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                String severity = server.getSeverity() == null ? "ERROR" : server.getSeverity();
                return severity + ": " + server.getMessage();
            }
        }
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    // ---------------------------------------------------------------------------------------------------------
    // COPY from S3

    private long copy(Connection connection, RedshiftSql.Copy copy) throws SQLException, Failure {
        URI s3 = s3Endpoint.get();
        if (s3 == null) {
            throw new Failure("ERROR: S3ServiceException:LocalService.S3 is not running in this local stack: COPY "
                    + "from " + copy.source() + " needs it (LocalAws.require(LocalService.S3))");
        }
        StringBuilder path = new StringBuilder("/").append(encode(copy.bucket()));
        for (String segment : copy.key().split("/", -1)) {
            path.append('/').append(encode(segment));
        }
        HttpURLConnection get;
        try {
            get = (HttpURLConnection) s3.resolve(path.toString()).toURL().openConnection();
            get.setConnectTimeout(10_000);
            get.setReadTimeout(60_000);
            int status = get.getResponseCode();
            if (status != 200) {
                String error = "";
                try (InputStream body = get.getErrorStream()) {
                    if (body != null) {
                        error = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                if (status == 404 && error.contains("NoSuchBucket")) {
                    throw new Failure("ERROR: S3ServiceException:The specified bucket does not exist,Status 404,"
                            + "Error NoSuchBucket,Bucket " + copy.bucket());
                }
                if (status == 404) {
                    throw new Failure("ERROR: The specified S3 prefix '" + copy.key() + "' does not exist");
                }
                throw new Failure("ERROR: S3ServiceException:HTTP " + status + " for " + copy.source());
            }
        } catch (IOException e) {
            throw new Failure("ERROR: S3ServiceException:cannot read " + copy.source() + ": " + e.getMessage());
        }
        try (InputStream raw = get.getInputStream();
                InputStream data = copy.gzip() ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)
                        : new BufferedInputStream(raw, 1 << 16)) {
            for (int line = 1; line < copy.ignoreHeader(); line++) {
                skipLine(data);
            }
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.postgresCopy(), data);
        } catch (IOException e) {
            throw new Failure("ERROR: cannot read " + copy.source() + (copy.gzip() ? " as gzip" : "") + ": "
                    + e.getMessage());
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void skipLine(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b != -1 && b != '\n');
    }

    // ---------------------------------------------------------------------------------------------------------
    // Statements

    record Result(List<Map<String, Object>> columns, List<Object[]> rows, long bytes) {
    }

    /** One SQL statement: the only one of an ExecuteStatement, or one of a batch ({@code <Id>:<n>}). */
    static final class Sub {
        final String id;
        final String sql;
        final Instant createdAt;
        Status status = Status.SUBMITTED;
        String error;
        Instant updatedAt;
        long startNanos;
        long durationNanos;
        long resultRows = -1;
        long resultSize = -1;
        boolean hasResultSet;
        Result result;
        Long queryId;

        Sub(String id, String sql, Instant createdAt) {
            this.id = id;
            this.sql = sql;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /** A submitted statement or batch; its state is guarded by its own monitor. */
    final class Query {
        final String id;
        final boolean batch;
        final List<Sub> subs;
        final Instant createdAt;
        final String database;
        final String cluster;
        final String workgroup;
        final String dbUser;
        final String secretArn;
        final String statementName;
        final Map<String, String> parameters;
        final String clientToken;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        Status status = Status.SUBMITTED;
        String error;
        Instant updatedAt;
        long startNanos;
        long durationNanos;
        Long pid;
        private boolean cancelRequested;
        private Connection connection;

        Query(String id, boolean batch, List<String> sqls, String database, String cluster, String workgroup,
                String dbUser, String secretArn, String statementName, Map<String, String> parameters,
                String clientToken) {
            this.id = id;
            this.batch = batch;
            this.createdAt = Instant.now();
            this.updatedAt = createdAt;
            List<Sub> list = new ArrayList<>(sqls.size());
            for (int i = 0; i < sqls.size(); i++) {
                list.add(new Sub(batch ? id + ":" + (i + 1) : id, sqls.get(i), createdAt));
            }
            this.subs = List.copyOf(list);
            this.database = database;
            this.cluster = cluster;
            this.workgroup = workgroup;
            this.dbUser = dbUser;
            this.secretArn = secretArn;
            this.statementName = statementName;
            this.parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // in order
            this.clientToken = clientToken;
        }

        synchronized boolean isTerminal() {
            return status.terminal();
        }

        synchronized boolean cancelRequested() {
            return cancelRequested;
        }

        String cancelledError() {
            return "ERROR: Query (" + id + ") cancelled on user's request";
        }

        void await(int seconds) {
            try {
                done.get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // answer with the status as it is
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized boolean pick() {
            if (status != Status.SUBMITTED) {
                return false;
            }
            status = Status.PICKED;
            startNanos = System.nanoTime();
            updatedAt = Instant.now();
            return true;
        }

        synchronized boolean started(Connection connection, long pid) {
            if (cancelRequested) {
                end(Status.ABORTED, cancelledError(), null);
                return false;
            }
            this.connection = connection;
            this.pid = pid;
            status = Status.STARTED;
            updatedAt = Instant.now();
            return true;
        }

        synchronized boolean subStarted(Sub sub, long queryId) {
            if (cancelRequested) {
                return false;
            }
            sub.status = Status.STARTED;
            sub.queryId = queryId;
            sub.startNanos = System.nanoTime();
            sub.updatedAt = Instant.now();
            return true;
        }

        synchronized void subFinished(Sub sub, Outcome outcome) {
            sub.status = Status.FINISHED;
            sub.durationNanos = System.nanoTime() - sub.startNanos;
            sub.updatedAt = Instant.now();
            sub.resultRows = outcome.rows();
            sub.hasResultSet = outcome.result() != null;
            sub.result = outcome.result();
            sub.resultSize = outcome.result() == null ? 0 : outcome.result().bytes();
        }

        synchronized void finished() {
            end(Status.FINISHED, null, null);
        }

        synchronized void failed(Sub at, String message) {
            end(cancelRequested ? Status.ABORTED : Status.FAILED, message, at);
        }

        /** Cancelled before a worker took it. */
        synchronized void abort(String message) {
            end(Status.ABORTED, message, null);
            active.decrementAndGet();
        }

        private void end(Status outcome, String message, Sub at) {
            if (status.terminal()) {
                return;
            }
            Instant now = Instant.now();
            status = outcome;
            error = message;
            updatedAt = now;
            durationNanos = startNanos == 0 ? 0 : System.nanoTime() - startNanos;
            if (at != null) {
                at.status = outcome;
                at.error = message;
                at.durationNanos = at.startNanos == 0 ? 0 : System.nanoTime() - at.startNanos;
                at.updatedAt = now;
            }
            for (Sub sub : subs) {
                if (sub.status.terminal()) {
                    continue; // finished before the failure (rolled back with the batch all the same), or the failing one
                }
                sub.updatedAt = now;
                if (batch) {
                    sub.status = Status.ABORTED; // never ran, or stopped with the batch
                } else {
                    sub.status = outcome;
                    sub.error = message;
                    sub.durationNanos = durationNanos;
                }
            }
            done.complete(null);
        }

        synchronized void detach() {
            connection = null;
        }

        /** Asks the statement to stop: true unless it had ended already. */
        boolean cancel() {
            Connection running;
            synchronized (this) {
                if (status.terminal()) {
                    return false;
                }
                cancelRequested = true;
                if (status == Status.SUBMITTED) {
                    end(Status.ABORTED, cancelledError(), null);
                    active.decrementAndGet();
                    return true;
                }
                running = connection;
            }
            if (running != null) {
                try {
                    running.unwrap(PGConnection.class).cancelQuery();
                } catch (SQLException e) {
                    // the worker sees cancelRequested before its next step
                }
            }
            return true;
        }

        /** Drops the results (when the statement is forgotten); returns their size. */
        synchronized long dropResults() {
            return dropResultsExcept(null);
        }

        synchronized long dropResultsExcept(Sub keep) {
            long freed = 0;
            for (Sub sub : subs) {
                if (sub != keep && sub.result != null) {
                    freed += sub.result.bytes();
                    sub.result = null;
                }
            }
            return freed;
        }

        synchronized boolean hasResultSet() {
            return subs.stream().anyMatch(sub -> sub.hasResultSet);
        }

        Sub sub(String subId) {
            for (Sub sub : subs) {
                if (batch && sub.id.equals(subId)) {
                    return sub;
                }
            }
            throw new ApiError("ResourceNotFoundException", "Query does not exist.", 400, Map.of("ResourceId", subId));
        }

        void putTarget(Map<String, Object> answer) {
            answer.put("ClusterIdentifier", cluster);
            answer.put("WorkgroupName", workgroup);
            answer.put("Database", database);
            answer.put("DbUser", dbUser);
            answer.put("SecretArn", secretArn);
        }

        private long duration(long ended, long start, Status state) {
            if (state.terminal()) {
                return ended;
            }
            return start == 0 ? 0 : System.nanoTime() - start;
        }

        /** DescribeStatement of the statement (of the whole batch for a batch). */
        synchronized Map<String, Object> describe() {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Id", id);
            putTarget(answer);
            answer.put("Status", status.name());
            answer.put("Error", error);
            answer.put("CreatedAt", timestamp(createdAt));
            answer.put("UpdatedAt", timestamp(updatedAt));
            answer.put("Duration", duration(durationNanos, startNanos, status));
            answer.put("RedshiftPid", pid);
            answer.put("HasResultSet", hasResultSet());
            if (!parameters.isEmpty()) {
                List<Object> given = new ArrayList<>();
                parameters.forEach((name, value) -> given.add(Map.of("name", name, "value", value)));
                answer.put("QueryParameters", given);
            }
            if (batch) {
                long rows = 0;
                long size = 0;
                for (Sub sub : subs) {
                    rows += Math.max(sub.resultRows, 0);
                    size += Math.max(sub.resultSize, 0);
                }
                answer.put("ResultRows", status == Status.FINISHED ? rows : -1L);
                answer.put("ResultSize", status == Status.FINISHED ? size : -1L);
                answer.put("QueryString", String.join("; ", subs.stream().map(sub -> sub.sql).toList()));
                List<Object> list = new ArrayList<>();
                for (Sub sub : subs) {
                    list.add(subStatement(sub));
                }
                answer.put("SubStatements", list);
            } else {
                Sub only = subs.get(0);
                answer.put("QueryString", only.sql);
                answer.put("ResultRows", only.resultRows);
                answer.put("ResultSize", only.resultSize);
                answer.put("RedshiftQueryId", only.queryId);
            }
            return answer;
        }

        /** DescribeStatement of one sub-statement of a batch ({@code <Id>:<n>}). */
        synchronized Map<String, Object> describeSub(Sub sub) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Id", sub.id);
            putTarget(answer);
            answer.put("Status", sub.status.name());
            answer.put("Error", sub.error);
            answer.put("CreatedAt", timestamp(sub.createdAt));
            answer.put("UpdatedAt", timestamp(sub.updatedAt));
            answer.put("Duration", duration(sub.durationNanos, sub.startNanos, sub.status));
            answer.put("RedshiftPid", pid);
            answer.put("HasResultSet", sub.hasResultSet);
            answer.put("QueryString", sub.sql);
            answer.put("ResultRows", sub.resultRows);
            answer.put("ResultSize", sub.resultSize);
            answer.put("RedshiftQueryId", sub.queryId);
            return answer;
        }

        private Map<String, Object> subStatement(Sub sub) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Id", sub.id);
            data.put("Status", sub.status.name());
            data.put("Error", sub.error);
            data.put("QueryString", sub.sql);
            data.put("HasResultSet", sub.hasResultSet);
            data.put("ResultRows", sub.resultRows);
            data.put("ResultSize", sub.resultSize);
            data.put("CreatedAt", timestamp(sub.createdAt));
            data.put("UpdatedAt", timestamp(sub.updatedAt));
            data.put("Duration", duration(sub.durationNanos, sub.startNanos, sub.status));
            data.put("RedshiftQueryId", sub.queryId);
            return data;
        }

        @Override
        public String toString() {
            return "statement " + id;
        }
    }
}
