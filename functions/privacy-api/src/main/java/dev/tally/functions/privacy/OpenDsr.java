package dev.tally.functions.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.privacy.NewRequest;
import dev.tally.privacy.PrivacyException;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.Regulation;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OpenDSR 2.0 over the same engine and records: an {@code erasure} is a {@code DELETE} request, identity
 * {@code controller_customer_id} is a {@code USER_ID} and {@code email} an {@code EMAIL} (raw format only: a
 * hashed identity could not be found in the targets), {@code subject_request_id} is the idempotency key, and
 * statuses map to {@code pending}, {@code in_progress}, {@code completed}, {@code cancelled}.
 *
 * <p>Two departures, on purpose: responses carry no {@code encoded_request} (it would echo the subject's identity,
 * which no response of this service does) and are not signed (the gateway's TLS and authorizers authenticate
 * both sides); {@code status_callback_urls} are accepted and not called. A request Tally failed is reported as
 * {@code completed} with {@code "status": "FAILED"} beside it: OpenDSR has no failed status.
 */
final class OpenDsr {
    static final String API_VERSION = "2.0";
    /** Idempotency keys of OpenDSR requests live apart from {@code client_request_id}s of the native API. */
    static final String KEY_PREFIX = "opendsr:";
    private static final Set<String> FIELDS = Set.of("regulation", "subject_request_id", "subject_request_type",
            "submitted_time", "subject_identities", "api_version", "status_callback_urls", "extensions",
            "property_id");

    private OpenDsr() {
    }

    static ObjectNode discovery() {
        ObjectNode node = RequestJson.JSON.createObjectNode().put("api_version", API_VERSION);
        node.putArray("supported_identities")
                .add(RequestJson.JSON.createObjectNode().put("identity_type", "controller_customer_id")
                        .put("identity_format", "raw"))
                .add(RequestJson.JSON.createObjectNode().put("identity_type", "email").put("identity_format", "raw"));
        node.putArray("supported_subject_request_types").add("erasure");
        node.putArray("supported_regulations").add("gdpr").add("ccpa");
        return node;
    }

    /** The request an OpenDSR body asks for, and its {@code subject_request_id}. */
    record Asked(NewRequest request, String subjectRequestId) {
    }

    static Asked parse(String body) {
        JsonNode root = RequestBodies.object(body);
        RequestBodies.onlyFields(root, FIELDS);
        JsonNode id = root.get("subject_request_id");
        if (id == null || !id.isTextual() || !id.asText().matches(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw PrivacyException.invalid("subject_request_id", "must be a UUID");
        }
        JsonNode type = root.get("subject_request_type");
        if (type == null || !"erasure".equals(type.asText())) {
            throw PrivacyException.invalid("subject_request_type", "only erasure is supported");
        }
        JsonNode submitted = root.get("submitted_time");
        if (submitted != null && !submitted.isNull()) {
            try {
                Instant.parse(submitted.asText());
            } catch (DateTimeParseException e) {
                throw PrivacyException.invalid("submitted_time", "must be an RFC 3339 time");
            }
        }
        Regulation regulation = RequestBodies.enumField(root, "regulation", Regulation.class, false)
                .orElse(Regulation.GDPR);
        JsonNode identities = root.get("subject_identities");
        if (identities == null || !identities.isArray() || identities.isEmpty()) {
            throw PrivacyException.invalid("subject_identities", "must be a non-empty array of identities");
        }
        SubjectType subjectType = null;
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode identity : identities) {
            SubjectType this_ = identityType(identity);
            if (subjectType != null && subjectType != this_) {
                throw PrivacyException.invalid("subject_identities", "all identities of a request must be of one type");
            }
            subjectType = this_;
            values.add(identity.get("identity_value"));
        }
        List<String> ids = RequestBodies.subjectIds(RequestJson.JSON.valueToTree(values), "subject_identities",
                subjectType);
        return new Asked(new NewRequest(RequestType.DELETE, subjectType, ids, Optional.empty(), regulation,
                Optional.empty()), id.asText().toLowerCase(java.util.Locale.ROOT));
    }

    private static SubjectType identityType(JsonNode identity) {
        if (!identity.isObject()) {
            throw PrivacyException.invalid("subject_identities", "every identity must be an object");
        }
        RequestBodies.onlyFields(identity, Set.of("identity_type", "identity_value", "identity_format"));
        String format = identity.path("identity_format").asText("raw");
        if (!"raw".equals(format)) {
            throw PrivacyException.invalid("subject_identities", "only the raw identity_format is supported");
        }
        return switch (identity.path("identity_type").asText()) {
            case "controller_customer_id" -> SubjectType.USER_ID;
            case "email" -> SubjectType.EMAIL;
            default -> throw PrivacyException.invalid("subject_identities",
                    "identity_type must be controller_customer_id or email");
        };
    }

    static ObjectNode created(PrivacyRequest request, String subjectRequestId, String controllerId) {
        return RequestJson.JSON.createObjectNode().put("controller_id", controllerId)
                .put("expected_completion_time", RequestJson.time(request.dueAt()))
                .put("received_time", RequestJson.time(request.receivedAt()))
                .put("subject_request_id", subjectRequestId)
                .put("request_id", request.id());
    }

    static ObjectNode status(PrivacyRequest request, String subjectRequestId, String controllerId) {
        return RequestJson.JSON.createObjectNode().put("controller_id", controllerId)
                .put("expected_completion_time", RequestJson.time(request.dueAt()))
                .put("subject_request_id", subjectRequestId)
                .put("request_status", status(request))
                .put("api_version", API_VERSION)
                .put("request_id", request.id())
                .put("status", request.status().name());
    }

    static ObjectNode cancelled(PrivacyRequest request, String subjectRequestId, String controllerId) {
        return RequestJson.JSON.createObjectNode().put("controller_id", controllerId)
                .put("subject_request_id", subjectRequestId)
                .put("received_time", RequestJson.time(request.updatedAt()))
                .put("api_version", API_VERSION);
    }

    static String status(PrivacyRequest request) {
        return switch (request.status()) {
            case AWAITING_CONFIRMATION, QUEUED -> "pending";
            case RUNNING -> "in_progress";
            case FINISHED, PARTIAL_SUCCESS, FAILED -> "completed";
            case CANCELLED -> "cancelled";
        };
    }
}
