package dev.tally.functions.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.privacy.PrivacyError;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.Receipt;

import java.time.Instant;

/** Requests, receipts and errors as the wire format has them (snake_case, RFC 3339 UTC, nulls written). */
final class RequestJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private RequestJson() {
    }

    static ObjectNode request(PrivacyRequest request) {
        ObjectNode node = JSON.createObjectNode()
                .put("id", request.id())
                .put("status", request.status().name())
                .put("request_type", request.type().name())
                .put("subject_type", request.subjectType().name())
                .put("subject_count", request.subjectCount())
                .put("regulation", request.regulation().name())
                .put("received_at", time(request.receivedAt()))
                .put("due_at", time(request.dueAt()))
                .put("finished_at", time(request.finishedAt()))
                .put("requested_by", request.requestedBy())
                .put("failure_reason", request.failureReason());
        request.receipts().forEach(receipt -> node.withArray("receipts").add(receipt(receipt)));
        if (request.receipts().isEmpty()) {
            node.putArray("receipts");
        }
        return node;
    }

    static ObjectNode receipt(Receipt receipt) {
        ObjectNode node = JSON.createObjectNode()
                .put("target", receipt.target())
                .put("kind", receipt.kind().name())
                .put("status", receipt.status().name())
                .put("attempts", receipt.attempts())
                .put("last_error", receipt.lastError())
                .put("started_at", time(receipt.startedAt()))
                .put("finished_at", time(receipt.finishedAt()));
        node.set("evidence", JSON.valueToTree(receipt.evidence()));
        return node;
    }

    /** {@code {"error": {"code", "field", "message"}}}. */
    static ObjectNode error(PrivacyError code, String field, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("error").put("code", code.name()).put("field", field).put("message", message);
        return node;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
