package dev.tally.functions.privacy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.NewRequest;
import dev.tally.privacy.PrivacyError;
import dev.tally.privacy.PrivacyException;
import dev.tally.privacy.Regulation;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The wire format of request bodies (privacy.md, "Wire format"), checked field by field: a body that is not
 * JSON is {@code INVALID_JSON}; a missing, mistyped or unknown field is {@code INVALID_FIELD} naming it. Messages
 * say which rule failed and at which position, never the value (it may be a subject id).
 */
final class RequestBodies {
    static final int MAX_SUBJECT_IDS = 5000;
    static final int MAX_ID_LENGTH = 512;
    static final int MAX_CLIENT_REQUEST_ID = 128;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> CREATE_FIELDS = Set.of("request_type", "subject_type", "subject_ids",
            "client_request_id", "regulation", "targets");

    private RequestBodies() {
    }

    /** The JSON object of a body. */
    static JsonNode object(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PrivacyException(PrivacyError.INVALID_JSON, null, "the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new PrivacyException(PrivacyError.INVALID_JSON, null, "the body must be a JSON object");
        }
        return node;
    }

    static NewRequest create(String body) {
        JsonNode root = object(body);
        onlyFields(root, CREATE_FIELDS);
        RequestType type = enumField(root, "request_type", RequestType.class, true).orElseThrow();
        SubjectType subjectType = enumField(root, "subject_type", SubjectType.class, true).orElseThrow();
        List<String> ids = subjectIds(root.get("subject_ids"), "subject_ids", subjectType);
        Optional<String> clientRequestId = optionalText(root, "client_request_id", MAX_CLIENT_REQUEST_ID);
        Regulation regulation = enumField(root, "regulation", Regulation.class, false).orElse(Regulation.GDPR);
        Optional<List<String>> targets = Optional.empty();
        JsonNode listed = root.get("targets");
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray() || listed.isEmpty()) {
                throw PrivacyException.invalid("targets", "must be a non-empty array of target names");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode name : listed) {
                if (!name.isTextual() || name.asText().isBlank()) {
                    throw PrivacyException.invalid("targets", "every target must be a non-empty string");
                }
                names.add(name.asText());
            }
            targets = Optional.of(names);
        }
        return new NewRequest(type, subjectType, ids, clientRequestId, regulation, targets);
    }

    /** The code of a confirm body: six digits. */
    static String confirmCode(String body) {
        JsonNode root = object(body);
        onlyFields(root, Set.of("code"));
        JsonNode code = root.get("code");
        if (code == null || code.isNull()) {
            throw PrivacyException.invalid("code", "is required");
        }
        if (!code.isTextual() || !code.asText().matches("[0-9]{6}")) {
            throw PrivacyException.invalid("code", "must be a string of six digits");
        }
        return code.asText();
    }

    /** Subject ids: 1..5000 distinct non-empty strings of at most 512 characters, emails of an email's shape. */
    static List<String> subjectIds(JsonNode node, String field, SubjectType type) {
        if (node == null || node.isNull()) {
            throw PrivacyException.invalid(field, "is required");
        }
        if (!node.isArray()) {
            throw PrivacyException.invalid(field, "must be an array of strings");
        }
        if (node.isEmpty() || node.size() > MAX_SUBJECT_IDS) {
            throw PrivacyException.invalid(field, "must hold 1 to " + MAX_SUBJECT_IDS + " ids, held " + node.size());
        }
        List<String> ids = new ArrayList<>(node.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode id = node.get(i);
            String at = field + "[" + i + "]";
            if (!id.isTextual()) {
                throw PrivacyException.invalid(field, at + " must be a string");
            }
            String value = id.asText();
            if (value.isBlank()) {
                throw PrivacyException.invalid(field, at + " is empty");
            }
            if (value.length() > MAX_ID_LENGTH) {
                throw PrivacyException.invalid(field, at + " is longer than " + MAX_ID_LENGTH + " characters");
            }
            if (type == SubjectType.EMAIL && !EMAIL.matcher(value.trim()).matches()) {
                throw PrivacyException.invalid(field, at + " is not an email address");
            }
            if (!seen.add(type.normalize(value))) {
                throw PrivacyException.invalid(field, at + " repeats an earlier id");
            }
            ids.add(value);
        }
        return ids;
    }

    static void onlyFields(JsonNode root, Set<String> allowed) {
        root.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw PrivacyException.invalid(name, "is not a known field");
            }
        });
    }

    static <E extends Enum<E>> Optional<E> enumField(JsonNode root, String field, Class<E> type, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw PrivacyException.invalid(field, "is required");
            }
            return Optional.empty();
        }
        if (node.isTextual()) {
            for (E value : type.getEnumConstants()) {
                if (value.name().equals(node.asText().toUpperCase(Locale.ROOT))) {
                    return Optional.of(value);
                }
            }
        }
        throw PrivacyException.invalid(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    static Optional<String> optionalText(JsonNode root, String field, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > maxLength) {
            throw PrivacyException.invalid(field, "must be a string of 1 to " + maxLength + " characters");
        }
        return Optional.of(node.asText());
    }
}
