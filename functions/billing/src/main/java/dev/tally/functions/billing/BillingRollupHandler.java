package dev.tally.functions.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.delivery.DeliveryProcessor;
import dev.tally.delivery.S3Notifications;
import dev.tally.runtime.Invocations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The billing function: an S3 object-created notification in — direct, through SQS, or from EventBridge —
 * each record rolled up (or found to be a duplicate, superseded, or no bill), the outcome of every record
 * out, and the spend report of each month a run was written for ({@link SpendReportStep}). Through SQS, failed records are reported by message id ({@link SQSBatchResponse}) so only they come
 * again; invoked directly, a failed record fails the invocation so Lambda retries it (the others are then
 * duplicates and change nothing).
 */
public final class BillingRollupHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeliveryProcessor processor;
    private final BillingMetrics metrics;
    private final SpendReportStep reports;

    public BillingRollupHandler() {
        this(BillingDependencies.get().processor(), BillingDependencies.get().metrics(),
                BillingDependencies.get().reports());
    }

    BillingRollupHandler(DeliveryProcessor processor, BillingMetrics metrics, SpendReportStep reports) {
        this.processor = processor;
        this.metrics = metrics;
        this.reports = reports;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        JsonNode response = Invocations.logged(context, () -> handle(event));
        JSON.writeValue(output, response);
    }

    private JsonNode handle(JsonNode event) {
        long start = System.nanoTime();
        boolean sqs = S3Notifications.isSqsBatch(event);
        List<DeliveryProcessor.Outcome> outcomes = processor.process(S3Notifications.parse(event));
        metrics.publish(outcomes, (System.nanoTime() - start) / 1_000_000);
        reports.after(outcomes);
        BillingResponse response = BillingResponse.of(outcomes, sqs);
        if (!sqs && response.failures() > 0) {
            throw new BillingFailedException(response);
        }
        return response.json();
    }
}
