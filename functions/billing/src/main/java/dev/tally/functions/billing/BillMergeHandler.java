package dev.tally.functions.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.delivery.DeliveryProcessor;
import dev.tally.delivery.DistributedRollups;
import dev.tally.delivery.DistributedRun;
import dev.tally.runtime.Invocations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The merge function of a distributed rollup, after the Distributed Map: the execution's input in, the parts' reads
 * merged and the run completed as the billing function completes one (outputs, ledger, finalized tables, warehouse),
 * its counts published as the billing function's ({@link BillingMetrics}: the rollup alarms see it), and the
 * billing function's answer out. A merge that failed fails the invocation ({@link BillingFailedException}), so the
 * state machine retries it; a retry finishes what is left. Shares the billing function's jar and bootstrap.
 */
public final class BillMergeHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DistributedRollups rollups;
    private final BillingMetrics metrics;
    private final SpendReportStep reports;

    public BillMergeHandler() {
        this(BillingDependencies.get().rollups(), BillingDependencies.get().metrics(),
                BillingDependencies.get().reports());
    }

    BillMergeHandler(DistributedRollups rollups, BillingMetrics metrics, SpendReportStep reports) {
        this.rollups = rollups;
        this.metrics = metrics;
        this.reports = reports;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        DistributedRun run = DistributedRun.fromJson(JSON.readTree(input));
        JsonNode response = Invocations.logged(context, () -> {
            long start = System.nanoTime();
            List<DeliveryProcessor.Outcome> outcomes = List.of(rollups.merge(run));
            metrics.publish(outcomes, (System.nanoTime() - start) / 1_000_000);
            reports.after(outcomes);
            BillingResponse answer = BillingResponse.of(outcomes, false);
            if (answer.failures() > 0) {
                throw new BillingFailedException(answer);
            }
            return answer.json();
        });
        JSON.writeValue(output, response);
    }
}
