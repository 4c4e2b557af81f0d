package dev.tally.functions.billing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.delivery.DeliveryProcessor;
import dev.tally.rollup.RollupWriter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the function answers: {@code records}, one per record of the event and, for a bill delivery, per configured
 * cost basis, each with its {@code status} ({@code rolled_up}, {@code distributed}, {@code ignored}, {@code duplicate},
 * {@code superseded}, {@code failed}), the {@code source} object, the {@code cost_basis} of a delivery's run, a
 * {@code reason} when not rolled up, and when rolled up the {@code summary} (the fields of {@code summary.json}) and
 * the {@code outputs}; through SQS also {@code batchItemFailures} (a message once, whichever of its bases failed).
 */
record BillingResponse(JsonNode json, int records, int failures, String failureSummary) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static BillingResponse of(List<DeliveryProcessor.Outcome> outcomes, boolean sqs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("records");
        Set<String> failedMessages = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        for (DeliveryProcessor.Outcome o : outcomes) {
            ObjectNode record = records.addObject();
            record.put("status", o.status().name().toLowerCase(Locale.ROOT));
            record.put("source", o.source());
            o.costBasis().ifPresent(basis -> record.put("cost_basis", basis.id()));
            if (!o.reason().isEmpty()) {
                record.put("reason", o.reason());
            }
            if (o.summary() != null) {
                record.set("summary", RollupWriter.summaryJson(o.summary()));
            }
            if (o.run() != null) {
                ObjectNode outputs = record.putObject("outputs");
                outputs.put("bucket", o.run().bucket());
                outputs.put("finalized", o.run().finalized());
                ObjectNode tables = outputs.putObject("tables");
                o.run().tables().forEach((table, key) -> tables.put(table.id(), key));
            }
            if (o.status() == DeliveryProcessor.Status.FAILED) {
                failures.add(o.source() + ": " + o.reason());
                if (!o.message().isEmpty()) {
                    failedMessages.add(o.message());
                }
            }
        }
        if (sqs) {
            SQSBatchResponse batch = new SQSBatchResponse(failedMessages.stream()
                    .map(SQSBatchResponse.BatchItemFailure::new).toList());
            ArrayNode items = root.putArray("batchItemFailures");
            batch.getBatchItemFailures().forEach(f -> items.addObject().put("itemIdentifier", f.getItemIdentifier()));
        }
        return new BillingResponse(root, outcomes.size(), failures.size(), String.join("; ", failures));
    }
}
