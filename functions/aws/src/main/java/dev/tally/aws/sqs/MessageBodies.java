package dev.tally.aws.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.regex.Pattern;

/**
 * Reading the bodies of the privacy queues' messages strictly (one JSON object, no repeated key, nothing after
 * it), with failures that name the field and never echo a value.
 */
final class MessageBodies {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** A request id as {@code PrivacyRequests} makes them (a UUID), with room to spare; nothing a log should not hold. */
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private MessageBodies() {
    }

    static ObjectNode object(String body, String what) {
        if (body == null || body.isBlank()) {
            throw new MalformedMessageException(what + " has an empty body");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input: only our words
            throw new MalformedMessageException(what + " is not one JSON object");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException(what + " is not one JSON object");
        }
        return (ObjectNode) root;
    }

    /** A required string field of a shape (an id that may go into a log line). */
    static String id(ObjectNode root, String field, Pattern shape, String what) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedMessageException(what + " has no " + field);
        }
        if (!value.isTextual() || !shape.matcher(value.asText()).matches()) {
            throw new MalformedMessageException(what + ": " + field + " is not an id of the form " + shape.pattern());
        }
        return value.asText();
    }
}
