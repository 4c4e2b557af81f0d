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
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS Secrets Manager's {@code GetSecretValue}, in this JVM, over AWS JSON 1.1 ({@code POST /}, {@code X-Amz-Target:
 * secretsmanager.GetSecretValue}), on a free loopback port: enough for code that reads its keys with the real
 * {@code SecretsManagerClient} to run locally. Secrets are strings held in memory, given at start and added or
 * replaced by {@link #put}; each is found by its name or by the ARN {@link #arn} gives it
 * ({@code arn:aws:secretsmanager:us-east-1:000000000000:secret:<name>}, without the random suffix AWS appends).
 * Values are never logged nor put in an error message. Thread-safe.
 */
public final class SecretsManagerEmulator implements Emulator {
    static final String TARGET_PREFIX = "secretsmanager.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String CURRENT = "AWSCURRENT";

    private record Version(String value, String versionId, Instant created) {
    }

    private final String arnPrefix;
    private final Map<String, Version> secrets = new ConcurrentHashMap<>();
    private final JsonEndpoint endpoint;

    private SecretsManagerEmulator(String region, String accountId, Map<String, String> initial) {
        this.arnPrefix = "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:";
        initial.forEach(this::put);
        this.endpoint = JsonEndpoint.start("the Secrets Manager emulator", "tally-secrets-manager-http-",
                CONTENT_TYPE, this::handle);
    }

    /** Starts the endpoint serving {@code secrets} (name → value); the ARNs name {@code region} and {@code accountId}. */
    public static SecretsManagerEmulator start(String region, String accountId, Map<String, String> secrets) {
        return new SecretsManagerEmulator(region, accountId, Map.copyOf(secrets));
    }

    /**
     * Adds the secret, or replaces its value with a new version (a new {@code VersionId}, labelled
     * {@code AWSCURRENT}); {@code nameOrArn} may be the name or the ARN {@link #arn} gives.
     */
    public void put(String nameOrArn, String value) {
        Objects.requireNonNull(value, "value");
        String name = name(Objects.requireNonNull(nameOrArn, "nameOrArn"));
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a secret needs a name");
        }
        secrets.put(name, new Version(value, UUID.randomUUID().toString(), Instant.now()));
    }

    /** Removes the secret (by name or ARN); whether there was one. */
    public boolean remove(String nameOrArn) {
        return secrets.remove(name(nameOrArn)) != null;
    }

    /** The ARN a secret of this name has here: {@code arn:aws:secretsmanager:<region>:<account>:secret:<name>}. */
    public String arn(String name) {
        return arnPrefix + name;
    }

    /** The names of the secrets held (not their values). */
    public List<String> names() {
        return secrets.keySet().stream().sorted().toList();
    }

    private String name(String nameOrArn) {
        return nameOrArn.startsWith(arnPrefix) ? nameOrArn.substring(arnPrefix.length()) : nameOrArn;
    }

    @Override
    public URI endpoint() {
        return endpoint.endpoint();
    }

    @Override
    public void close() {
        endpoint.close();
        secrets.clear();
    }

    @Override
    public String toString() {
        return "SecretsManagerEmulator[" + endpoint() + ", " + secrets.size() + " secrets]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private static JsonEndpoint.Failure failure(String type, String message) {
        return new JsonEndpoint.Failure(400, type, message, true);
    }

    private Map<String, Object> handle(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())
                || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw failure("UnknownOperationException", "expected POST / with X-Amz-Target: " + TARGET_PREFIX
                    + "<Operation> (AWS JSON 1.1), got " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + (target == null ? "" : " with X-Amz-Target: " + target));
        }
        String operation = target.substring(TARGET_PREFIX.length());
        if (!"GetSecretValue".equals(operation)) {
            throw failure("UnknownOperationException", "operation " + operation
                    + " is not emulated by the local Secrets Manager (it has GetSecretValue)");
        }
        return getSecretValue(JsonEndpoint.object(body, message -> failure("SerializationException", message)));
    }

    private Map<String, Object> getSecretValue(Map<String, Object> request) {
        String secretId = string(request, "SecretId");
        String versionId = string(request, "VersionId");
        String stage = string(request, "VersionStage");
        if (secretId == null) {
            throw failure("ValidationException", "1 validation error detected: Value null at 'secretId' failed to"
                    + " satisfy constraint: Member must not be null");
        }
        String name = name(secretId);
        Version version = secrets.get(name);
        if (version == null) {
            throw failure("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        if (versionId != null && !versionId.equals(version.versionId())) {
            throw failure("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
        }
        if (stage != null && !CURRENT.equals(stage)) {
            throw failure("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for staging label: " + stage);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ARN", arn(name));
        answer.put("Name", name);
        answer.put("VersionId", version.versionId());
        answer.put("SecretString", version.value());
        answer.put("VersionStages", List.of(CURRENT));
        answer.put("CreatedDate", BigDecimal.valueOf(version.created().toEpochMilli(), 3));
        return answer;
    }

    private static String string(Map<String, Object> request, String name) {
        Object value = request.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw failure("SerializationException", name + " must be a string");
    }
}
