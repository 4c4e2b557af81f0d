package dev.tally.aws;

import dev.tally.privacy.PrivacyConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The environment variables every privacy function reads the same way — the API and sweep
 * ({@code functions/privacy-api}) and the workers ({@code functions/privacy-worker}) — so that one deployment sets
 * them once and each function reads them alike. Each failure is an {@link IllegalStateException} naming the
 * variable, as {@link Environment}'s.
 */
public final class PrivacyEnvironment {
    /** The DynamoDB table of requests, receipts, codes, keys and suppressions. */
    public static final String TABLE = "PRIVACY_TABLE";
    /** The SQS queue confirmed requests are handed to (the workers' start function reads it). */
    public static final String PROCESSING_QUEUE_URL = "PROCESSING_QUEUE_URL";
    /** The Secrets Manager secret (name or ARN) the hash and sealing keys derive from, at least 32 characters. */
    public static final String KEY_SECRET_ID = "PRIVACY_KEY_SECRET_ID";
    /** How long request records are kept, in days. */
    public static final String RECORD_RETENTION_DAYS = "RECORD_RETENTION_DAYS";
    /** The config document itself (JSON). */
    public static final String CONFIG = "PRIVACY_CONFIG";
    /** A path to the config document, when {@link #CONFIG} is not set. */
    public static final String CONFIG_FILE = "PRIVACY_CONFIG_FILE";

    public static final long DEFAULT_RECORD_RETENTION_DAYS = 760;
    /** CCPA §7101 asks for 24 months. */
    public static final long MIN_RECORD_RETENTION_DAYS = 730;

    private PrivacyEnvironment() {
    }

    /** {@value #RECORD_RETENTION_DAYS}: 760 days unless set, at least 730. */
    public static Duration recordRetention(Map<String, String> env) {
        long retention = Environment.positive(env, RECORD_RETENTION_DAYS, DEFAULT_RECORD_RETENTION_DAYS);
        if (retention < MIN_RECORD_RETENTION_DAYS) {
            throw new IllegalStateException(RECORD_RETENTION_DAYS + " must be at least " + MIN_RECORD_RETENTION_DAYS
                    + " (24 months), was " + retention);
        }
        return Duration.ofDays(retention);
    }

    /**
     * The config document: {@value #CONFIG} (the JSON itself) or else {@value #CONFIG_FILE} (a path); neither gives
     * no targets and the default due days. A document that cannot be read or used fails naming the variable and,
     * through {@link PrivacyConfig}, the field.
     */
    public static PrivacyConfig privacyConfig(Map<String, String> env) {
        String inline = env.get(CONFIG);
        String file = env.get(CONFIG_FILE);
        try {
            if (inline != null && !inline.isBlank()) {
                return PrivacyConfig.parse(inline);
            }
            if (file != null && !file.isBlank()) {
                return PrivacyConfig.parse(Files.readString(Path.of(file.trim())));
            }
            return PrivacyConfig.defaults();
        } catch (IOException e) {
            throw new IllegalStateException(CONFIG_FILE + " cannot be read: " + file);
        } catch (PrivacyConfig.InvalidConfigException e) {
            throw new IllegalStateException(configVariable(env) + ": " + e.getMessage());
        }
    }

    /** The variable the config document comes from, for messages about it: {@value #CONFIG} or {@value #CONFIG_FILE}. */
    public static String configVariable(Map<String, String> env) {
        String inline = env.get(CONFIG);
        return inline != null && !inline.isBlank() ? CONFIG : CONFIG_FILE;
    }
}
