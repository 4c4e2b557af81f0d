package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tally.aws.sqs.SqsProcessingQueue;
import dev.tally.privacy.PrivacyWorker;
import dev.tally.runtime.CountMetrics;
import dev.tally.runtime.Invocations;

import java.util.Map;

/**
 * The start function, on the processing queue: each message {@code {"request_id": "…"}} names a confirmed request,
 * which becomes {@code RUNNING} and one work item per pending target on the work queue
 * ({@link PrivacyWorker#start}). A record that fails (the store or the work queue unreachable) is reported in
 * {@code batchItemFailures} and comes again; starting twice does nothing twice. A body that is not such a message is
 * parked in the work dead-letter queue with error {@code malformed} and not retried: it can never work, and parked it
 * is not lost. Publishes {@code StartRequests}, {@code StartFailed} and {@code MalformedMessages}.
 */
public final class StartRequestsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** How the processing queue is named in logs and on a parked message's {@code source}. */
    static final String SOURCE = "processing";

    private final PrivacyWorker worker;
    private final MalformedMessages malformed;
    private final CountMetrics metrics;

    public StartRequestsHandler() {
        this(WorkerDependencies.get().worker(), WorkerDependencies.get().malformed(),
                WorkerDependencies.get().metrics());
    }

    StartRequestsHandler(PrivacyWorker worker, MalformedMessages malformed, CountMetrics metrics) {
        this.worker = worker;
        this.malformed = malformed;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Invocations.logged(context, () -> {
            SqsBatch.Result result = SqsBatch.run(event, SOURCE, SqsProcessingQueue::requestId, worker::start,
                    malformed);
            metrics.publish(Map.of("StartRequests", (long) result.records(), "StartFailed", (long) result.failed(),
                    "MalformedMessages", (long) result.malformed()));
            return result.response();
        });
    }
}
