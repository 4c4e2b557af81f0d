package dev.tally.privacy.webhook;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a destination's answer into an error text without personal data: every subject id of the work is removed —
 * as given, JSON-escaped (also with {@code \\uXXXX} for non-ASCII and {@code \\/} for {@code /}) and URL-encoded,
 * compared without case — then whitespace is collapsed and the first {@value #MAX_CHARS} characters kept. The whole
 * answer is scrubbed before it is cut, so an id cannot survive half-cut at the edge.
 */
final class ErrorText {
    static final int MAX_CHARS = 200;
    static final String REDACTED = "[redacted]";

    /** Lower-cased forms of the ids, by length. */
    private final Map<Integer, Set<String>> formsByLength = new HashMap<>();
    private final int[] lengths;

    private ErrorText(Collection<String> ids) {
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                continue;
            }
            for (String form : forms(id)) {
                formsByLength.computeIfAbsent(form.length(), n -> new HashSet<>()).add(form.toLowerCase(Locale.ROOT));
            }
        }
        lengths = new TreeSet<>(formsByLength.keySet()).descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** A scrubber of these ids (raw and normalized forms may both be given). */
    static ErrorText of(Collection<String> ids) {
        return new ErrorText(ids);
    }

    /** {@code "<prefix>: <excerpt>"}, or just the prefix when nothing of the body is left. */
    String describe(String prefix, String body) {
        String excerpt = excerpt(body);
        return excerpt.isEmpty() ? prefix : prefix + ": " + excerpt;
    }

    /** The body scrubbed, on one line, at most {@value #MAX_CHARS} characters. */
    String excerpt(String body) {
        String line = scrub(body == null ? "" : body).replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        if (line.length() <= MAX_CHARS) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return line.substring(0, end);
    }

    /** The text with every form of every id replaced by {@value #REDACTED}, longest forms first. */
    String scrub(String text) {
        if (lengths.length == 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        next:
        while (at < text.length()) {
            for (int length : lengths) {
                if (at + length <= text.length()
                        && formsByLength.get(length).contains(text.substring(at, at + length).toLowerCase(Locale.ROOT))) {
                    out.append(REDACTED);
                    at += length;
                    continue next;
                }
            }
            out.append(text.charAt(at++));
        }
        return out.toString();
    }

    private static Set<String> forms(String id) {
        Set<String> forms = new HashSet<>();
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(id));
        String ascii = asciiJson(json);
        for (String form : new String[] {id, json, ascii}) {
            forms.add(form);
            forms.add(form.replace("/", "\\/"));
        }
        String url = URLEncoder.encode(id, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        return forms;
    }

    private static String asciiJson(String json) {
        StringBuilder out = new StringBuilder(json.length());
        json.chars().forEach(c -> {
            if (c < 0x80) {
                out.append((char) c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }
}
