package dev.tally.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SES emulator's outbox: a directory with one JSON file per accepted message, named
 * {@code <millis>-<MessageId>.json} and holding {@code message_id}, {@code from}, {@code to} (a list), {@code subject},
 * {@code text}, {@code html}, {@code received_at} (RFC 3339, UTC) and, when the message had them, {@code cc},
 * {@code bcc}, {@code configuration_set} and {@code tags} (the {@code EmailTags}, name → value); {@code text} or
 * {@code html} is left out when the message has no such body. Files are written to a hidden temporary name and
 * renamed into place, so a reader polling the directory sees whole files only. The {@code <millis>} of the names
 * increase strictly in the order messages arrived (a message within the same millisecond as the one before takes the
 * next), so the names sort in arrival order (messages arriving at once may be written in another order).
 */
public final class SesOutbox {
    private static final Pattern NAME = Pattern.compile("(\\d+)-(.+)\\.json");
    /** The last {@code <millis>} given to a file by any emulator of this JVM. */
    private static long lastMillis; // guarded by SesOutbox.class

    private SesOutbox() {
    }

    /** One message in the outbox, as its file says. Lists and maps are empty, strings null, when absent. */
    public record Message(Path file, String messageId, String from, List<String> to, List<String> cc,
                          List<String> bcc, String subject, String text, String html, String configurationSet,
                          Map<String, String> tags, Instant receivedAt) {
    }

    /**
     * The messages in {@code outbox}, in arrival order (by the {@code <millis>} of their names); files of other
     * names (the temporary ones among them) are skipped. Empty when the directory does not exist.
     *
     * @throws UncheckedIOException when the directory or a file cannot be read
     * @throws IllegalStateException when a message file is not what the emulator writes
     */
    public static List<Message> read(Path outbox) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(outbox, "*.json")) {
            for (Path entry : entries) {
                if (NAME.matcher(entry.getFileName().toString()).matches()) {
                    files.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outbox " + outbox, e);
        }
        files.sort(Comparator.comparingLong(SesOutbox::millis).thenComparing(file -> file.getFileName().toString()));
        List<Message> messages = new ArrayList<>();
        for (Path file : files) {
            messages.add(message(file));
        }
        return messages;
    }

    private static long millis(Path file) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalArgumentException(file.toString());
        }
        try {
            return Long.parseLong(name.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    @SuppressWarnings("unchecked")
    private static Message message(Path file) {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outbox file " + file, e);
        } catch (Json.ParseException e) {
            throw new IllegalStateException("the outbox file " + file + " is not JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalStateException("the outbox file " + file + " is not a JSON object");
        }
        Map<String, Object> json = (Map<String, Object>) map;
        String receivedAt = text(json, "received_at", file);
        Map<String, String> tags = new LinkedHashMap<>();
        if (json.get("tags") instanceof Map<?, ?> given) {
            given.forEach((name, value) -> tags.put(String.valueOf(name), String.valueOf(value)));
        }
        return new Message(file, text(json, "message_id", file), text(json, "from", file), list(json, "to"),
                list(json, "cc"), list(json, "bcc"), text(json, "subject", file), text(json, "text", file),
                text(json, "html", file), text(json, "configuration_set", file), Map.copyOf(tags),
                receivedAt == null ? null : Instant.parse(receivedAt));
    }

    private static String text(Map<String, Object> json, String name, Path file) {
        Object value = json.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalStateException("the outbox file " + file + ": " + name + " is not a string");
        }
        return (String) value;
    }

    private static List<String> list(Map<String, Object> json, String name) {
        return json.get(name) instanceof List<?> values ? values.stream().map(String::valueOf).toList() : List.of();
    }

    /** When a message arrived, and the {@code <millis>} its file name takes (strictly increasing in this JVM). */
    record Arrival(Instant receivedAt, long millis) {
    }

    /** The arrival of a message now: times and name order agree, as both are taken under one lock. */
    static synchronized Arrival arrive() {
        Instant now = Instant.now();
        lastMillis = Math.max(lastMillis + 1, now.toEpochMilli());
        return new Arrival(now, lastMillis);
    }

    /** Writes one message file (entries with null values are left out); returns its path. */
    static Path write(Path outbox, String messageId, Arrival arrival, Map<String, Object> content) {
        String name = arrival.millis() + "-" + messageId + ".json";
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message_id", messageId);
        json.putAll(content);
        json.put("received_at", arrival.receivedAt().toString());
        Path target = outbox.resolve(name);
        Path temporary = outbox.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(outbox);
            Files.writeString(temporary, Json.write(json) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the write failed already; that is what is reported
            }
            throw new UncheckedIOException("cannot write to the outbox " + outbox, e);
        }
    }
}
