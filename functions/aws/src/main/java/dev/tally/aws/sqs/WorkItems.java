package dev.tally.aws.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.privacy.WorkItem;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The body of a work-queue message, both ways: {@code {"request_id": "…", "target": "…", "poll_state": {…}}}.
 * It names the request and the target, and for a poll the destination's job state (job ids, never subject ids):
 * no personal data travels on the queue. {@code poll_state} is always written (empty when not polling) and may be
 * absent or null when read; fields a later version adds are ignored when read, so a message sent by a newer
 * deployment is not lost to an older one.
 */
public final class WorkItems {
    public static final String REQUEST_ID = "request_id";
    public static final String TARGET = "target";
    public static final String POLL_STATE = "poll_state";
    /** A target's name as the config document allows it. */
    static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String WHAT = "work message";

    private WorkItems() {
    }

    /** The message body of an item. */
    public static String body(WorkItem item) {
        ObjectNode root = MessageBodies.JSON.createObjectNode();
        root.put(REQUEST_ID, item.requestId());
        root.put(TARGET, item.target());
        ObjectNode state = root.putObject(POLL_STATE);
        new TreeMap<>(item.pollState()).forEach(state::put);
        try {
            return MessageBodies.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings always serializes
        }
    }

    /**
     * The item a body holds.
     *
     * @throws MalformedMessageException when it is not a work message; the message names the field, never the body
     */
    public static WorkItem parse(String body) {
        ObjectNode root = MessageBodies.object(body, WHAT);
        String requestId = MessageBodies.id(root, REQUEST_ID, MessageBodies.REQUEST_ID, WHAT);
        String target = MessageBodies.id(root, TARGET, TARGET_NAME, WHAT);
        JsonNode state = root.get(POLL_STATE);
        Map<String, String> pollState = new TreeMap<>();
        if (state != null && !state.isNull()) {
            if (!state.isObject()) {
                throw new MalformedMessageException(WHAT + ": " + POLL_STATE + " is not an object");
            }
            for (Map.Entry<String, JsonNode> entry : state.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new MalformedMessageException(WHAT + ": " + POLL_STATE + " holds a value that is not a string");
                }
                pollState.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new WorkItem(requestId, target, pollState);
    }
}
