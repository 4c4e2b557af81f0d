package dev.tally.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon SES v2's {@code SendEmail}, in this JVM, over REST-JSON ({@code POST /v2/email/outbound-emails}), on a free
 * loopback port: each accepted message is written to the {@link #outbox()} (see {@link SesOutbox}) instead of being
 * delivered, and answered {@code 200 {"MessageId": "..."}}. {@code Content.Simple} (subject, text and/or HTML body)
 * and {@code Content.Raw} (a MIME message, base64, whose headers give what {@code Destination} and
 * {@code FromEmailAddress} leave out) are accepted; {@code Content.Template} is not. Checked as SES does, answering
 * 400 with {@code x-amzn-ErrorType: BadRequestException} and {@code {"message": ...}}: a missing destination or
 * content, a missing sender or subject or body, more than 50 recipients, an address without {@code @}, an invalid
 * tag. Identities are not checked (any sender is accepted, as if verified and out of the sandbox). Any other path or
 * method answers 404. Nothing of a message is logged. Thread-safe.
 */
public final class SesEmulator implements Emulator {
    static final String SEND_EMAIL_PATH = "/v2/email/outbound-emails";
    static final String CONTENT_TYPE = "application/json";
    static final int MAX_RECIPIENTS = 50;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile(".*<([^<>]*)>\\s*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final Path outbox;
    private final boolean ownsOutbox;
    private final JsonEndpoint endpoint;

    private SesEmulator(Path outbox, boolean ownsOutbox) {
        this.outbox = outbox;
        this.ownsOutbox = ownsOutbox;
        this.endpoint = JsonEndpoint.start("the SES v2 emulator", "tally-ses-http-", CONTENT_TYPE, this::handle);
    }

    /**
     * Starts the endpoint writing to {@code outbox} (created if absent, kept on {@link #close()}); with {@code null}, to
     * a new temporary directory, deleted on close.
     */
    public static SesEmulator start(Path outbox) {
        try {
            if (outbox == null) {
                return new SesEmulator(Files.createTempDirectory("tally-ses-outbox-"), true);
            }
            return new SesEmulator(Files.createDirectories(outbox), false);
        } catch (IOException e) {
            throw new LocalAwsException("the SES v2 emulator cannot create its outbox "
                    + (outbox == null ? "(a temporary directory)" : outbox.toString()) + ": " + e.getMessage(), e);
        }
    }

    /** The directory the messages are written to. */
    public Path outbox() {
        return outbox;
    }

    /** The messages so far, in arrival order: {@link SesOutbox#read} of {@link #outbox()}. */
    public List<SesOutbox.Message> messages() {
        return SesOutbox.read(outbox);
    }

    @Override
    public URI endpoint() {
        return endpoint.endpoint();
    }

    @Override
    public void close() {
        endpoint.close();
        if (ownsOutbox) {
            Processes.deleteTree(outbox);
        }
    }

    @Override
    public String toString() {
        return "SesEmulator[" + endpoint() + ", outbox " + outbox + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private static JsonEndpoint.Failure badRequest(String message) {
        return new JsonEndpoint.Failure(400, "BadRequestException", message, false);
    }

    private Map<String, Object> handle(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getPath();
        if (!"POST".equals(exchange.getRequestMethod()) || !SEND_EMAIL_PATH.equals(path)) {
            throw new JsonEndpoint.Failure(404, "UnknownOperationException", "the local SES v2 endpoint has only"
                    + " SendEmail (POST " + SEND_EMAIL_PATH + "), not " + exchange.getRequestMethod() + " " + path, false);
        }
        Map<String, Object> request = JsonEndpoint.object(body, SesEmulator::badRequest);
        Map<String, Object> record = sendEmail(request);
        SesOutbox.Arrival arrival = SesOutbox.arrive();
        String messageId = String.format("0100%012x-%s-000000", arrival.millis(), UUID.randomUUID());
        try {
            SesOutbox.write(outbox, messageId, arrival, record);
        } catch (UncheckedIOException e) {
            throw new JsonEndpoint.Failure(500, "InternalFailure", "the local SES v2 endpoint cannot write to its"
                    + " outbox: " + e.getCause().getMessage(), false);
        }
        return Map.of("MessageId", messageId);
    }

    /** The outbox record of a valid request, or the 400 SES would answer. */
    private static Map<String, Object> sendEmail(Map<String, Object> request) {
        Map<String, Object> content = object(request, "Content");
        if (content == null) {
            throw badRequest("Missing required parameter 'Content'.");
        }
        Map<String, Object> simple = object(content, "Simple");
        Map<String, Object> raw = object(content, "Raw");
        if (content.get("Template") != null) {
            throw badRequest("Content.Template is not emulated by the local SES v2 endpoint: send Simple or Raw");
        }
        if ((simple == null) == (raw == null)) {
            throw badRequest("Content must have exactly one of Simple, Raw or Template.");
        }
        Map<String, Object> destination = object(request, "Destination");
        List<String> to = addresses(destination, "ToAddresses");
        List<String> cc = addresses(destination, "CcAddresses");
        List<String> bcc = addresses(destination, "BccAddresses");
        String from = string(request, "FromEmailAddress");
        String subject;
        String text;
        String html;
        if (simple != null) {
            if (destination == null) {
                throw badRequest("Missing required parameter 'Destination'.");
            }
            Map<String, Object> subjectContent = object(simple, "Subject");
            subject = subjectContent == null ? null : string(subjectContent, "Data");
            Map<String, Object> bodyContent = object(simple, "Body");
            text = data(bodyContent, "Text");
            html = data(bodyContent, "Html");
            if (subject == null) {
                throw badRequest("Missing required parameter 'Content.Simple.Subject.Data'.");
            }
            if (text == null && html == null) {
                throw badRequest("Missing required parameter 'Content.Simple.Body': give Text or Html.");
            }
        } else {
            RawEmail message = RawEmail.parse(blob(raw));
            if (destination == null) { // the recipients come from the message's headers, as in SES
                to = message.to();
                cc = message.cc();
            }
            from = from != null ? from : message.from();
            subject = message.subject();
            text = message.text();
            html = message.html();
        }
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw badRequest("Missing required parameter 'Destination': the message has no recipients.");
        }
        if (to.size() + cc.size() + bcc.size() > MAX_RECIPIENTS) {
            throw badRequest("Recipient count exceeds " + MAX_RECIPIENTS + ".");
        }
        if (from == null || from.isBlank()) {
            throw badRequest("Missing required parameter 'FromEmailAddress'.");
        }
        for (String address : concat(List.of(from), to, cc, bcc)) {
            check(address);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("from", from);
        record.put("to", to);
        record.put("cc", cc.isEmpty() ? null : cc);
        record.put("bcc", bcc.isEmpty() ? null : bcc);
        record.put("subject", subject);
        record.put("text", text);
        record.put("html", html);
        record.put("configuration_set", string(request, "ConfigurationSetName"));
        Map<String, String> tags = tags(request);
        record.put("tags", tags.isEmpty() ? null : tags);
        // Tally's code sender tags each message with the request it confirms: the outbox names it at the top.
        record.put("request_id", tags.get("request_id"));
        return record;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** SES refuses an address it cannot parse; the message does not repeat it (it is personal data). */
    private static void check(String address) {
        Matcher angle = ANGLE_ADDRESS.matcher(address);
        String bare = (angle.matches() ? angle.group(1) : address).strip();
        int at = bare.lastIndexOf('@');
        if (at <= 0 || at == bare.length() - 1 || bare.chars().anyMatch(Character::isWhitespace)) {
            throw badRequest("Illegal address");
        }
    }

    private static Map<String, String> tags(Map<String, Object> request) {
        Map<String, String> tags = new LinkedHashMap<>();
        Object given = request.get("EmailTags");
        if (given == null) {
            return tags;
        }
        if (!(given instanceof List<?> list)) {
            throw badRequest("EmailTags must be a list");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> tag) || !(tag.get("Name") instanceof String name)
                    || !(tag.get("Value") instanceof String value)) {
                throw badRequest("Each of EmailTags needs a Name and a Value");
            }
            if (!TAG.matcher(name).matches() || !TAG.matcher(value).matches()) {
                throw badRequest("Invalid tag: names and values may only contain ASCII letters, numbers,"
                        + " underscores and dashes, at most 256 characters.");
            }
            tags.put(name, value);
        }
        return tags;
    }

    private static String data(Map<String, Object> body, String name) {
        Map<String, Object> content = body == null ? null : object(body, name);
        return content == null ? null : string(content, "Data");
    }

    private static byte[] blob(Map<String, Object> raw) {
        String data = string(raw, "Data");
        if (data == null) {
            throw badRequest("Missing required parameter 'Content.Raw.Data'.");
        }
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw badRequest("Content.Raw.Data is not base64");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String name) {
        Object value = parent.get(name);
        if (value == null || value instanceof Map) {
            return (Map<String, Object>) value;
        }
        throw badRequest(name + " must be an object");
    }

    private static String string(Map<String, Object> parent, String name) {
        Object value = parent.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw badRequest(name + " must be a string");
    }

    private static List<String> addresses(Map<String, Object> destination, String name) {
        Object value = destination == null ? null : destination.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw badRequest("Destination." + name + " must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
