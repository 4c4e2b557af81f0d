package dev.tally.functions.privacy;

import dev.tally.aws.PrivacyEnvironment;
import dev.tally.privacy.ConfirmationCode;
import dev.tally.privacy.PrivacyConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.tally.aws.Environment.positive;
import static dev.tally.aws.Environment.required;

/**
 * Configuration of the privacy functions (the API and the sweep), read once from the environment and validated
 * at start; a wrong value fails the cold start with a message naming the variable. The CDK stack sets the same
 * names. The variables the workers share ({@code PRIVACY_TABLE}, {@code PROCESSING_QUEUE_URL},
 * {@code PRIVACY_KEY_SECRET_ID}, {@code RECORD_RETENTION_DAYS}, the config document) are read by
 * {@link PrivacyEnvironment}.
 *
 * @param table           {@code PRIVACY_TABLE}: the DynamoDB table of requests, codes, keys and suppressions
 * @param queueUrl        {@code PROCESSING_QUEUE_URL}: the SQS queue confirmed requests are handed to
 * @param keySecretId     {@code PRIVACY_KEY_SECRET_ID}: the secret (name or ARN) the hash and sealing keys derive
 *                        from, at least 32 characters
 * @param codeFrom        {@code CODE_FROM_ADDRESS}: the SES identity confirmation codes are sent from
 * @param sesConfigurationSet {@code SES_CONFIGURATION_SET}: an SES configuration set for the codes (none)
 * @param adminPrincipals {@code ADMIN_PRINCIPALS}: comma-separated IAM ARNs allowed as admins (none: IAM callers
 *                        are refused)
 * @param adminScope      {@code ADMIN_SCOPE}: the JWT scope of admins ({@code privacy:admin})
 * @param codePolicy      {@code CODE_TTL_MINUTES} (15) and {@code CODE_MAX_ATTEMPTS} (5); {@code CODE_TTL_SECONDS},
 *                        when set, takes precedence over the minutes (for tests and demos of expiring codes:
 *                        {@code tally serve --code-ttl 2s})
 * @param recordRetention {@code RECORD_RETENTION_DAYS}: how long request records are kept (760; at least 730,
 *                        CCPA §7101's 24 months)
 * @param privacy         the config document: {@code PRIVACY_CONFIG} (the JSON itself) or
 *                        {@code PRIVACY_CONFIG_FILE} (a path); none gives no targets and the default due days
 */
public record PrivacyApiConfig(String table, String queueUrl, String keySecretId, String codeFrom,
                               String sesConfigurationSet, List<String> adminPrincipals, String adminScope,
                               ConfirmationCode.Policy codePolicy, Duration recordRetention, PrivacyConfig privacy) {
    public static final String TABLE = PrivacyEnvironment.TABLE;
    public static final String QUEUE_URL = PrivacyEnvironment.PROCESSING_QUEUE_URL;
    public static final String KEY_SECRET_ID = PrivacyEnvironment.KEY_SECRET_ID;
    public static final String CODE_FROM = "CODE_FROM_ADDRESS";
    public static final String SES_CONFIGURATION_SET = "SES_CONFIGURATION_SET";
    public static final String ADMIN_PRINCIPALS = "ADMIN_PRINCIPALS";
    public static final String ADMIN_SCOPE = "ADMIN_SCOPE";
    public static final String CODE_TTL_MINUTES = "CODE_TTL_MINUTES";
    public static final String CODE_TTL_SECONDS = "CODE_TTL_SECONDS";
    public static final String CODE_MAX_ATTEMPTS = "CODE_MAX_ATTEMPTS";
    public static final String RECORD_RETENTION_DAYS = PrivacyEnvironment.RECORD_RETENTION_DAYS;
    public static final String CONFIG = PrivacyEnvironment.CONFIG;
    public static final String CONFIG_FILE = PrivacyEnvironment.CONFIG_FILE;

    public static PrivacyApiConfig fromEnvironment(Map<String, String> env) {
        Duration retention = PrivacyEnvironment.recordRetention(env);
        long maxAttempts = positive(env, CODE_MAX_ATTEMPTS, 5);
        if (maxAttempts > 10) {
            throw new IllegalStateException(CODE_MAX_ATTEMPTS + " must be at most 10, was " + maxAttempts);
        }
        List<String> admins = Arrays.stream(env.getOrDefault(ADMIN_PRINCIPALS, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String admin : admins) {
            if (!admin.startsWith("arn:")) {
                throw new IllegalStateException(ADMIN_PRINCIPALS + " must list IAM ARNs, found '" + admin + "'");
            }
        }
        String scope = env.getOrDefault(ADMIN_SCOPE, "privacy:admin").trim();
        return new PrivacyApiConfig(required(env, TABLE), required(env, QUEUE_URL), required(env, KEY_SECRET_ID),
                required(env, CODE_FROM), env.getOrDefault(SES_CONFIGURATION_SET, "").trim(), admins,
                scope.isEmpty() ? "privacy:admin" : scope,
                new ConfirmationCode.Policy(codeTtl(env), (int) maxAttempts),
                retention, PrivacyEnvironment.privacyConfig(env));
    }

    /** {@code CODE_TTL_SECONDS} if set, else {@code CODE_TTL_MINUTES} (15). */
    private static Duration codeTtl(Map<String, String> env) {
        String seconds = env.get(CODE_TTL_SECONDS);
        if (seconds != null && !seconds.isBlank()) {
            return Duration.ofSeconds(positive(env, CODE_TTL_SECONDS, 1));
        }
        return Duration.ofMinutes(positive(env, CODE_TTL_MINUTES, 15));
    }
}
