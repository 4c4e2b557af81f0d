package dev.tally.infra.history;

import dev.tally.functions.history.HistoryFunctionConfig;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.messaging.Queues;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.HashMap;
import java.util.Map;

/**
 * One event function behind its queue: EventBridge → SQS queue → function, in batches with partial batch responses
 * (a record that failed to be written comes again alone; after {@link Queues#MAX_RECEIVE_COUNT} receives it moves to
 * the dead-letter queue). The same dead-letter queue is the function's {@code DEAD_LETTER_QUEUE_URL}, where it puts
 * events that can never be used, with the reason.
 */
final class EventPipeline extends Construct {
    static final Duration TIMEOUT = Duration.seconds(60);
    static final int MEMORY_MB = 1024;
    static final int BATCH_SIZE = 100;
    static final Duration BATCH_WINDOW = Duration.seconds(5);

    private final Queue queue;
    private final Queue deadLetters;
    private final TallyFunction function;

    /** @param environment the function's, without its dead-letter queue's URL (added here) */
    EventPipeline(Construct scope, String id, String description, Code code, Class<?> handler,
                  Map<String, String> environment, RetentionDays logRetention) {
        super(scope, id);
        Queues.WithDeadLetters queues = Queues.withDeadLetters(this, "Queue",
                Duration.seconds(6 * TIMEOUT.toSeconds().intValue()));
        queue = queues.queue();
        deadLetters = queues.deadLetters();
        Map<String, String> withDeadLetters = new HashMap<>(environment);
        withDeadLetters.put(HistoryFunctionConfig.DEAD_LETTER_QUEUE_URL, deadLetters.getQueueUrl());
        function = new TallyFunction(this, "Handler", new TallyFunction.Spec(description, code, handler, MEMORY_MB,
                TIMEOUT, withDeadLetters, logRetention));
        deadLetters.grantSendMessages(function.function());
        function.function().addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(BATCH_WINDOW)
                .reportBatchItemFailures(true)
                .build());
    }

    Queue queue() {
        return queue;
    }

    Queue deadLetters() {
        return deadLetters;
    }

    TallyFunction function() {
        return function;
    }
}
