package dev.tally.aws.secrets;

import dev.tally.privacy.SecretSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets from Secrets Manager ({@code GetSecretValue} of the {@code AWSCURRENT} version, by name or ARN), each kept
 * for a while once read: a Lambda container lives on between invocations, and asking Secrets Manager on every
 * request would be slow and costly. A rotated value is seen once the cached one is older than the time to live
 * (default {@value #DEFAULT_TTL_MINUTES} minutes; zero caches nothing). Failures are not cached, and a failure does
 * not fall back to an expired value. Values are never logged nor put in an exception. Thread-safe.
 */
public final class SecretsManagerSecretSource implements SecretSource {
    public static final long DEFAULT_TTL_MINUTES = 5;
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(DEFAULT_TTL_MINUTES);

    private record Cached(String value, Instant readAt) {
    }

    private final SecretsManagerClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** Caches each value for {@link #DEFAULT_TTL}. */
    public SecretsManagerSecretSource(SecretsManagerClient client) {
        this(client, DEFAULT_TTL, Clock.systemUTC());
    }

    public SecretsManagerSecretSource(SecretsManagerClient client, Duration ttl) {
        this(client, ttl, Clock.systemUTC());
    }

    /** @param clock when a cached value was read and whether it has expired (tests move it) */
    public SecretsManagerSecretSource(SecretsManagerClient client, Duration ttl, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("the time to live of cached secrets must not be negative: " + ttl);
        }
    }

    @Override
    public String secret(String secretId) {
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalArgumentException("a secret id must not be blank");
        }
        Instant now = clock.instant();
        Cached cached = cache.get(secretId);
        if (cached != null && now.isBefore(cached.readAt().plus(ttl))) {
            return cached.value();
        }
        String value = read(secretId);
        if (!ttl.isZero()) {
            cache.put(secretId, new Cached(value, now));
        }
        return value;
    }

    /** Forgets every cached value, so each is read again on its next use. */
    public void invalidateAll() {
        cache.clear();
    }

    private String read(String secretId) {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(b -> b.secretId(secretId));
        } catch (RuntimeException e) {
            throw new SecretUnavailableException("secret " + secretId + " is unavailable: " + describe(e), e);
        }
        if (response.secretString() == null) {
            throw new SecretUnavailableException("secret " + secretId + " has no string value"
                    + " (a binary secret is not supported)", null);
        }
        return response.secretString();
    }

    private static String describe(RuntimeException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + ")";
        }
        return e.getClass().getSimpleName();
    }
}
