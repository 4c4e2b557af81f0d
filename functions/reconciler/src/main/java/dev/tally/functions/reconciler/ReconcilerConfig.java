package dev.tally.functions.reconciler;

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
        String table = env.get(TABLE);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException(TABLE + " is not set");
        }
        return new ReconcilerConfig(table.trim(), Duration.ofDays(positive(env, RETENTION_DAYS, DEFAULT_RETENTION_DAYS)));
    }

    private static long positive(Map<String, String> env, String name, long defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a positive whole number, was '" + value + "'");
        }
    }
}
