package dev.tally.infra.messaging;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/** Tally's SQS queues: encrypted at rest (SSE-SQS), TLS only, and a dead-letter queue behind every work queue. */
public final class Queues {
    /** Messages in a dead-letter queue are kept for SQS's maximum, 14 days, to be looked at and redriven. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.days(14);
    /** Receives before a message moves to the dead-letter queue. */
    public static final int MAX_RECEIVE_COUNT = 5;

    private Queues() {
    }

    /** A work queue and its dead-letter queue. */
    public record WithDeadLetters(Queue queue, Queue deadLetters) {
    }

    /** A queue other queues (or Lambda, or EventBridge) put what failed into. */
    public static Queue deadLetterQueue(Construct scope, String id) {
        return Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(DEAD_LETTER_RETENTION)
                .build();
    }

    /**
     * A work queue for a function, with its dead-letter queue ({@code <id>DeadLetters}).
     *
     * @param visibilityTimeout at least six times the consuming function's timeout (Lambda's advice for SQS)
     */
    public static WithDeadLetters withDeadLetters(Construct scope, String id, Duration visibilityTimeout) {
        Queue deadLetters = deadLetterQueue(scope, id + "DeadLetters");
        Queue queue = Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();
        return new WithDeadLetters(queue, deadLetters);
    }
}
