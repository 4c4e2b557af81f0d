package dev.tally.functions.history;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.history.EventKind;
import dev.tally.runtime.Bootstrap;
import dev.tally.runtime.CountMetrics;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Everything a history function needs, built once per execution environment ({@link Bootstrap}) from the
 * environment variables: one HTTP client, the DynamoDB and SQS clients, the store, a small thread pool.
 */
final class Dependencies {
    private static final Bootstrap<Dependencies> BOOTSTRAP = new Bootstrap<>(Dependencies::new);
    /** Where dead letters go in a local run, instead of SQS; null in Lambda (counts: {@link Bootstrap#metrics}). */
    private static volatile DeadLetters localDeadLetters;

    final HistoryFunctionConfig config;
    final DynamoDbClient dynamo;
    final DynamoDbHistoryStore store;
    final DeadLetters deadLetters;
    final ExecutorService executor;

    private Dependencies(Map<String, String> env) {
        config = HistoryFunctionConfig.fromEnvironment(env);
        AwsConfig aws = AwsConfig.fromEnvironment(env);
        SdkHttpClient http = AwsClients.httpClient();
        dynamo = AwsClients.dynamoDb(aws, http);
        store = new DynamoDbHistoryStore(dynamo, config.table(), config.retention(), Clock.systemUTC());
        DeadLetters local = localDeadLetters;
        deadLetters = local != null ? local
                : new SqsDeadLetters(AwsClients.configure(SqsClient.builder(), aws, "sqs").httpClient(http).build(),
                        config.deadLetterQueueUrl());
        executor = Executors.newFixedThreadPool(config.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "ingest");
            thread.setDaemon(true);
            return thread;
        });
    }

    static Dependencies get() {
        return BOOTSTRAP.get();
    }

    /**
     * For local runs ({@code tally invoke}, the demo): the environment the handlers read instead of the
     * process's, and where dead letters and counts go. Must be called before the first handler is created.
     */
    static synchronized void useLocally(Map<String, String> env, DeadLetters deadLetters, CountMetrics metrics) {
        localDeadLetters = deadLetters;
        BOOTSTRAP.useLocally(env, metrics);
    }

    EventBatchProcessor processor(Set<EventKind> kinds, String service) {
        return new EventBatchProcessor(store, kinds, deadLetters, BOOTSTRAP.metrics(service), executor);
    }
}
