package dev.tally.functions.reconciler;

import static dev.tally.aws.Environment.positive;
import static dev.tally.aws.Environment.required;

import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the reconciler, read once from the environment and validated at start; a wrong
 * value fails the cold start with a message naming the variable. The region ({@code AWS_REGION}, set
 * by Lambda) and endpoint overrides are read by {@link dev.tally.aws.AwsConfig}.
 *
 * @param table     {@code HISTORY_TABLE}: the DynamoDB history table (required)
 * @param retention {@code HISTORY_RETENTION_DAYS}: how long facts live after their last instant (400);
 *                  the same value the history functions use
 */
public record ReconcilerConfig(String table, Duration retention) {
    public static final String TABLE = "HISTORY_TABLE";
    public static final String RETENTION_DAYS = "HISTORY_RETENTION_DAYS";
    public static final long DEFAULT_RETENTION_DAYS = 400;

    public static ReconcilerConfig fromEnvironment(Map<String, String> env) {
        String table = required(env, TABLE);
        return new ReconcilerConfig(table, Duration.ofDays(positive(env, RETENTION_DAYS, DEFAULT_RETENTION_DAYS)));
    }
}
