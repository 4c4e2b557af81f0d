package dev.tally.functions.history;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.history.EventKind;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Everything a history function needs, built once per execution environment from the environment
 * variables: one HTTP client, the DynamoDB and SQS clients, the store, a small thread pool.
 */
final class Dependencies {
    private static volatile Dependencies instance;
    private static volatile Map<String, String> environment = System.getenv();
    private static volatile DeadLetters deadLettersOverride;
    private static volatile IngestMetrics metricsOverride;

    final HistoryFunctionConfig config;
    final DynamoDbClient dynamo;
    final DynamoDbHistoryStore store;
    final DeadLetters deadLetters;
    final ExecutorService executor;

    private Dependencies(Map<String, String> env, DeadLetters localDeadLetters) {
        config = HistoryFunctionConfig.fromEnvironment(env);
        AwsConfig aws = AwsConfig.fromEnvironment(env);
        SdkHttpClient http = AwsClients.httpClient();
        dynamo = AwsClients.dynamoDb(aws, http);
        store = new DynamoDbHistoryStore(dynamo, config.table(), config.retention(), Clock.systemUTC());
        deadLetters = localDeadLetters != null ? localDeadLetters
                : new SqsDeadLetters(AwsClients.configure(SqsClient.builder(), aws, "sqs").httpClient(http).build(),
                        config.deadLetterQueueUrl());
        executor = Executors.newFixedThreadPool(config.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "ingest");
            thread.setDaemon(true);
            return thread;
        });
    }

    static Dependencies get() {
        Dependencies current = instance;
        if (current == null) {
            synchronized (Dependencies.class) {
                current = instance;
                if (current == null) {
                    current = new Dependencies(environment, deadLettersOverride);
                    instance = current;
                }
            }
        }
        return current;
    }

    /**
     * For local runs ({@code tally invoke}, the demo): the environment the handlers read instead of the
     * process's, and where dead letters go. Must be called before the first handler is created.
     */
    static synchronized void useLocally(Map<String, String> env, DeadLetters deadLetters, IngestMetrics metrics) {
        if (instance != null) {
            throw new IllegalStateException("the history functions are already initialised");
        }
        environment = Map.copyOf(env);
        deadLettersOverride = deadLetters;
        metricsOverride = metrics;
    }

    EventBatchProcessor processor(Set<EventKind> kinds, String service) {
        IngestMetrics metrics = metricsOverride != null ? metricsOverride : new EmfIngestMetrics(service);
        return new EventBatchProcessor(store, kinds, deadLetters, metrics, executor);
    }
}
