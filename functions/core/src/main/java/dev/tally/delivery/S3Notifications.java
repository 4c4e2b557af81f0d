package dev.tally.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the billing function is invoked with — an S3 event notification, an SQS batch whose
 * bodies are S3 notifications, or an EventBridge {@code Object Created} event — into notices, one per
 * record: every record of a batch, in order. A record that says nothing usable becomes an
 * {@link Notice.Unusable} (reported, never thrown), S3's {@code s3:TestEvent} an {@link Notice.Test}.
 */
public final class S3Notifications {
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Notifications() {
    }

    /** What one record of an invocation is. */
    public sealed interface Notice {
        /** The SQS message the record came in, or empty. */
        String message();

        /** An object was created. */
        record Created(ObjectCreated object) implements Notice {
            @Override
            public String message() {
                return object.message();
            }
        }

        /** S3's test notification when notifications are configured on a bucket. */
        record Test(String bucket, String message) implements Notice {
        }

        /** A record that is not an object-created notification, or that lacks its bucket or key. */
        record Unusable(String reason, String message) implements Notice {
        }
    }

    /** Whether the invocation came through SQS (then failed records are reported by message id). */
    public static boolean isSqsBatch(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    /** The notices of one invocation, in order. */
    public static List<Notice> parse(JsonNode event) {
        List<Notice> notices = new ArrayList<>();
        if (event.has("detail-type") || event.has("detail")) {
            notices.add(eventBridge(event, ""));
        } else if (isSqsBatch(event)) {
            for (JsonNode message : event.path("Records")) {
                String id = message.path("messageId").asText("");
                notices.addAll(body(message.path("body").asText(""), id));
            }
        } else {
            notices.addAll(s3(event, ""));
        }
        return notices;
    }

    /** An SQS body: an S3 notification (or an EventBridge event sent on to SQS). */
    private static List<Notice> body(String body, String message) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return List.of(new Notice.Unusable("message body is not JSON", message));
        }
        if (event == null || !event.isObject()) {
            return List.of(new Notice.Unusable("message body is not a JSON object", message));
        }
        if (event.has("detail-type")) {
            return List.of(eventBridge(event, message));
        }
        List<Notice> notices = s3(event, message);
        return notices.isEmpty() ? List.of(new Notice.Unusable("message body holds no S3 records", message)) : notices;
    }

    private static List<Notice> s3(JsonNode event, String message) {
        List<Notice> notices = new ArrayList<>();
        if ("s3:TestEvent".equals(event.path("Event").asText())) {
            notices.add(new Notice.Test(event.path("Bucket").asText(""), message));
            return notices;
        }
        JsonNode records = event.path("Records");
        if (!records.isArray()) {
            notices.add(new Notice.Unusable("not an S3 notification (no Records)", message));
            return notices;
        }
        for (JsonNode record : records) {
            String name = record.path("eventName").asText("");
            if (!name.startsWith("ObjectCreated:")) {
                notices.add(new Notice.Unusable("not an object-created event (" + name + ")", message));
                continue;
            }
            JsonNode s3 = record.path("s3");
            String bucket = s3.path("bucket").path("name").asText("");
            JsonNode object = s3.path("object");
            String rawKey = object.path("key").asText("");
            notices.add(created(bucket, rawKey, object.path("versionId").asText(""), object.path("eTag").asText(""),
                    object.path("sequencer").asText(""), object.path("size"), record.path("eventTime").asText(""),
                    message));
        }
        return notices;
    }

    private static Notice eventBridge(JsonNode event, String message) {
        if (!"aws.s3".equals(event.path("source").asText()) || !"Object Created".equals(event.path("detail-type").asText())) {
            return new Notice.Unusable("not an S3 Object Created event (" + event.path("detail-type").asText("") + ")",
                    message);
        }
        JsonNode detail = event.path("detail");
        JsonNode object = detail.path("object");
        return created(detail.path("bucket").path("name").asText(""), object.path("key").asText(""),
                object.path("version-id").asText(""), object.path("etag").asText(""),
                object.path("sequencer").asText(""), object.path("size"), event.path("time").asText(""), message);
    }

    private static Notice created(String bucket, String rawKey, String versionId, String eTag, String sequencer,
                                  JsonNode size, String time, String message) {
        if (bucket.isEmpty() || rawKey.isEmpty()) {
            return new Notice.Unusable("notification without a bucket or key", message);
        }
        return new Notice.Created(new ObjectCreated(bucket, decode(rawKey), rawKey, versionId, stripQuotes(eTag),
                sequencer, size.canConvertToLong() ? size.asLong() : -1, instant(time), message));
    }

    /** S3 notifications URL-encode keys ({@code +} for a space); a key that does not decode is kept as is. */
    static String decode(String key) {
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }

    private static String stripQuotes(String eTag) {
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"") ? eTag.substring(1, eTag.length() - 1)
                : eTag;
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
