package dev.tally.functions.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What a history function was invoked with: an SQS batch whose message bodies are EventBridge
 * events, or one EventBridge event delivered directly.
 */
record EventBatch(boolean fromSqs, List<Entry> entries) {

    /** One event: its id for {@code batchItemFailures} (message id, or the event id) and raw body. */
    record Entry(String id, String body, JsonNode parsed) {
    }

    /**
     * @throws IllegalArgumentException if the input is neither an SQS batch nor an EventBridge event
     */
    static EventBatch of(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new IllegalArgumentException("input is not a JSON object");
        }
        JsonNode records = input.get("Records");
        if (records != null && records.isArray()) {
            List<Entry> entries = new ArrayList<>();
            for (JsonNode record : records) {
                if (!"aws:sqs".equals(record.path("eventSource").asText())) {
                    throw new IllegalArgumentException("record is not from SQS (eventSource "
                            + record.path("eventSource").asText("missing") + ")");
                }
                entries.add(new Entry(record.path("messageId").asText(), record.path("body").asText(), null));
            }
            return new EventBatch(true, entries);
        }
        if (input.has("detail-type")) {
            return new EventBatch(false, List.of(new Entry(input.path("id").asText("event"), null, input)));
        }
        throw new IllegalArgumentException("input is neither an SQS batch nor an EventBridge event");
    }
}
