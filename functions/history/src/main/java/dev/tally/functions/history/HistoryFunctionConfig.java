package dev.tally.functions.history;

import static dev.tally.aws.Environment.positive;
import static dev.tally.aws.Environment.required;

import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the history functions, read once from the environment and validated at start; a
 * wrong value fails the cold start with a message naming the variable. The CDK stack sets the same
 * names.
 *
 * @param table              {@code HISTORY_TABLE}: the DynamoDB history table (required)
 * @param retention          {@code HISTORY_RETENTION_DAYS}: how long items live after their last instant (400)
 * @param deadLetterQueueUrl {@code DEAD_LETTER_QUEUE_URL}: the SQS queue unusable events go to (required)
 * @param concurrency        {@code INGEST_CONCURRENCY}: events of one batch written at once (8)
 */
public record HistoryFunctionConfig(String table, Duration retention, String deadLetterQueueUrl,
                                    int concurrency) {
    public static final String TABLE = "HISTORY_TABLE";
    public static final String RETENTION_DAYS = "HISTORY_RETENTION_DAYS";
    public static final String DEAD_LETTER_QUEUE_URL = "DEAD_LETTER_QUEUE_URL";
    public static final String CONCURRENCY = "INGEST_CONCURRENCY";

    public static HistoryFunctionConfig fromEnvironment(Map<String, String> env) {
        String table = required(env, TABLE);
        String dlq = required(env, DEAD_LETTER_QUEUE_URL);
        long days = positive(env, RETENTION_DAYS, 400);
        int concurrency = (int) positive(env, CONCURRENCY, 8);
        if (concurrency > 64) {
            throw new IllegalStateException(CONCURRENCY + " must be at most 64, was " + concurrency);
        }
        return new HistoryFunctionConfig(table, Duration.ofDays(days), dlq, concurrency);
    }
}
