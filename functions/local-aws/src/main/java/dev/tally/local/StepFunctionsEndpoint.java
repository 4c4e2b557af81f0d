package dev.tally.local;

import com.sun.net.httpserver.HttpExchange;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Step Functions' execution API — {@code StartExecution} and {@code DescribeExecution} over AWS JSON 1.0
 * ({@code POST /}, {@code X-Amz-Target: AWSStepFunctions.<Operation>}) — in this JVM, on a free loopback port, for
 * code that starts and watches executions with the real {@code SfnClient}. There is no Step Functions emulator to
 * run: no state machine runs here. The endpoint keeps the executions it was asked to start, with Step Functions' rule
 * for names (a name starts one execution: asked again while it runs with the same input, the answer is the same
 * execution; otherwise {@code ExecutionAlreadyExists}), and a test says how an execution ended with {@link #set}.
 * Thread-safe.
 */
public final class StepFunctionsEndpoint implements AutoCloseable {
    static final String TARGET_PREFIX = "AWSStepFunctions.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    /**
     * One execution as the endpoint knows it.
     *
     * @param input  the input it was started with (a JSON text), or null for one only {@link #set}
     * @param output its output once {@link #set} with one, or null
     * @param error  its error once {@link #set} with one, or null
     */
    public record Execution(String arn, String stateMachineArn, String name, String input, String status,
                            String output, String error, Instant startDate) {
    }

    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final JsonEndpoint endpoint;

    private StepFunctionsEndpoint() {
        this.endpoint = JsonEndpoint.start("the Step Functions endpoint", "tally-step-functions-http-", CONTENT_TYPE,
                this::handle);
    }

    public static StepFunctionsEndpoint start() {
        return new StepFunctionsEndpoint();
    }

    /** Where it answers: {@code http://127.0.0.1:PORT} (the {@code sfn} endpoint override). */
    public URI endpoint() {
        return endpoint.endpoint();
    }

    /** The executions started, in the order they were. */
    public synchronized List<Execution> started() {
        return executions.values().stream().filter(e -> e.input() != null).toList();
    }

    /**
     * Says how an execution stands ({@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT},
     * {@code ABORTED}), with its output and error (either may be null); an ARN not started here is added, for code
     * that describes executions started elsewhere.
     */
    public synchronized void set(String executionArn, String status, String output, String error) {
        Execution known = executions.get(executionArn);
        executions.put(executionArn, new Execution(executionArn, known == null ? "" : known.stateMachineArn(),
                known == null ? executionArn.substring(executionArn.lastIndexOf(':') + 1) : known.name(),
                known == null ? null : known.input(), Objects.requireNonNull(status, "status"), output, error,
                known == null ? Instant.now() : known.startDate()));
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private static JsonEndpoint.Failure failure(String type, String message) {
        return new JsonEndpoint.Failure(400, type, message, true);
    }

    private Map<String, Object> handle(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw failure("UnknownOperationException", "expected POST / with X-Amz-Target: " + TARGET_PREFIX
                    + "<Operation> (AWS JSON 1.0)");
        }
        Map<String, Object> request = JsonEndpoint.object(body, message -> failure("SerializationException", message));
        return switch (target.substring(TARGET_PREFIX.length())) {
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            default -> throw failure("UnknownOperationException", target + " is not served by the local Step "
                    + "Functions endpoint (it has StartExecution and DescribeExecution)");
        };
    }

    private synchronized Map<String, Object> startExecution(Map<String, Object> request) {
        String machine = string(request, "stateMachineArn");
        if (machine == null || !machine.contains(":stateMachine:")) {
            throw failure("InvalidArn", "Invalid Arn: '" + machine + "'");
        }
        String name = string(request, "name");
        name = name == null ? UUID.randomUUID().toString() : name;
        String input = string(request, "input");
        input = input == null ? "{}" : input;
        String arn = machine.replace(":stateMachine:", ":execution:") + ":" + name;
        Execution existing = executions.get(arn);
        if (existing != null && !("RUNNING".equals(existing.status()) && input.equals(existing.input()))) {
            throw failure("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        Execution execution = existing != null ? existing
                : new Execution(arn, machine, name, input, "RUNNING", null, null, Instant.now());
        executions.put(arn, execution);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("executionArn", arn);
        answer.put("startDate", seconds(execution.startDate()));
        return answer;
    }

    private synchronized Map<String, Object> describeExecution(Map<String, Object> request) {
        String arn = string(request, "executionArn");
        Execution execution = arn == null ? null : executions.get(arn);
        if (execution == null) {
            throw failure("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("executionArn", execution.arn());
        answer.put("stateMachineArn", execution.stateMachineArn());
        answer.put("name", execution.name());
        answer.put("status", execution.status());
        answer.put("startDate", seconds(execution.startDate()));
        answer.put("input", execution.input());
        answer.put("output", execution.output());
        answer.put("error", execution.error());
        return answer;
    }

    private static BigDecimal seconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static String string(Map<String, Object> request, String name) {
        Object value = request.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw failure("SerializationException", name + " must be a string");
    }

    @Override
    public synchronized String toString() {
        return "StepFunctionsEndpoint[" + endpoint() + ", " + executions.size() + " executions]";
    }
}
