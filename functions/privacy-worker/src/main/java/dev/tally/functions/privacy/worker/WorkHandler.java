package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tally.aws.sqs.WorkItems;
import dev.tally.privacy.PrivacyWorker;
import dev.tally.runtime.CountMetrics;
import dev.tally.runtime.Invocations;

import java.util.Map;

/**
 * The work function, on the work queue: each message is a work item ({@link WorkItems}) — one request's work in one
 * target — carried out by {@link PrivacyWorker#work}: the receipt taken, the target's executor run, the outcome
 * recorded; a retry or a poll goes back on the queue with its delay, an item that failed for good to the dead-letter
 * queue. A record that throws (the store or the queue unreachable) is reported in {@code batchItemFailures} and comes
 * again; a redelivered item finds its receipt taken or ended and does nothing. A body that is not a work item is
 * parked in the dead-letter queue with error {@code malformed} and not retried. Publishes {@code WorkItems},
 * {@code WorkFailed} (records answered as failures), {@code ReceiptsDeadLettered} (receipts that ended
 * {@code FAILED} and were parked) and {@code MalformedMessages}.
 */
public final class WorkHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** The {@code Service} dimension of the worker functions' metrics (this one's and the start function's). */
    public static final String SERVICE = "privacy-worker";
    /** Receipts that ended {@code FAILED} and were parked in the dead-letter queue (the alarm's metric). */
    public static final String RECEIPTS_DEAD_LETTERED = "ReceiptsDeadLettered";
    /** How the work queue is named in logs and on a parked message's {@code source}. */
    static final String SOURCE = "work";

    private final PrivacyWorker worker;
    private final CountingWorkQueue queue;
    private final MalformedMessages malformed;
    private final CountMetrics metrics;

    public WorkHandler() {
        this(WorkerDependencies.get().worker(), WorkerDependencies.get().queue(), WorkerDependencies.get().malformed(),
                WorkerDependencies.get().metrics());
    }

    /** @param queue the queue {@code worker} was built with, for the count of dead letters */
    WorkHandler(PrivacyWorker worker, CountingWorkQueue queue, MalformedMessages malformed, CountMetrics metrics) {
        this.worker = worker;
        this.queue = queue;
        this.malformed = malformed;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Invocations.logged(context, () -> {
            long deadLetteredBefore = queue.deadLettered();
            SqsBatch.Result result = SqsBatch.run(event, SOURCE, WorkItems::parse, worker::work, malformed);
            metrics.publish(Map.of("WorkItems", (long) result.records(), "WorkFailed", (long) result.failed(),
                    RECEIPTS_DEAD_LETTERED, queue.deadLettered() - deadLetteredBefore,
                    "MalformedMessages", (long) result.malformed()));
            return result.response();
        });
    }
}
