package dev.tally.privacy.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.SubjectType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the subjects a JSON-lines record belongs to, from a target's {@code match} config: per subject type, the
 * dotted paths of object fields that hold the id ({@code "EMAIL": ["traits.email", "context.traits.email"]}).
 * The line is read with Jackson's streaming parser, no tree built; subtrees off every path are skipped.
 *
 * <p>Rules (docs/privacy-archive.md): a path names object fields only, from the record's top-level object; the
 * value there matches when it is a string, or a number by its JSON text ({@code 42} matches the id "42",
 * {@code 42.0} does not), or an array whose string or number elements include the id. Booleans, nulls and
 * objects never match. A field that appears twice is looked at both times. Values are normalized as the subject
 * type says (emails without case). A line that is not exactly one JSON value (a syntax error, invalid UTF-8,
 * trailing data, nesting deeper than Jackson's limit) is {@link Kind#UNPARSEABLE}: kept, never matched.
 */
public final class RecordMatcher {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** What a line came to. */
    public enum Kind { NO_MATCH, MATCHED, UNPARSEABLE, BLANK }

    /** The line's kind and, when {@link Kind#MATCHED}, the groups of the subjects it held. */
    public record LineMatch(Kind kind, Set<String> groups) {
        static final LineMatch NONE = new LineMatch(Kind.NO_MATCH, Set.of());
        static final LineMatch UNPARSEABLE = new LineMatch(Kind.UNPARSEABLE, Set.of());
        static final LineMatch BLANK = new LineMatch(Kind.BLANK, Set.of());

        public boolean matched() {
            return kind == Kind.MATCHED;
        }
    }

    /** One step of the paths: the fields below it, and the subject types whose id sits here. */
    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        final List<SubjectType> types = new ArrayList<>();
    }

    private final Map<SubjectType, List<String>> paths;

    private RecordMatcher(Map<SubjectType, List<String>> paths) {
        this.paths = paths;
    }

    public static RecordMatcher of(Map<SubjectType, List<String>> paths) {
        Map<SubjectType, List<String>> copy = new EnumMap<>(SubjectType.class);
        paths.forEach((type, list) -> {
            for (String path : list) {
                if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                    throw new IllegalArgumentException("match." + type + ": a path is dotted field names, e.g. traits.email");
                }
            }
            if (!list.isEmpty()) {
                copy.put(type, List.copyOf(list));
            }
        });
        return new RecordMatcher(copy);
    }

    /** From a target's {@code match} object; the message of a mistake names the field. */
    public static RecordMatcher fromConfig(JsonNode match, String field) {
        if (match == null || !match.isObject() || match.isEmpty()) {
            throw new IllegalArgumentException(field + " must be an object of subject type → JSON paths");
        }
        Map<SubjectType, List<String>> paths = new EnumMap<>(SubjectType.class);
        for (Map.Entry<String, JsonNode> entry : match.properties()) {
            SubjectType type;
            try {
                type = SubjectType.valueOf(entry.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "." + entry.getKey() + " is not a subject type");
            }
            if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
                throw new IllegalArgumentException(field + "." + entry.getKey() + " must be a non-empty array of paths");
            }
            List<String> list = new ArrayList<>();
            entry.getValue().forEach(p -> list.add(p.isTextual() ? p.asText() : null));
            try {
                paths.put(type, of(Map.of(type, list)).paths(type));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "." + entry.getKey() + ": " + e.getMessage().replaceFirst("^match\\.\\w+: ", ""));
            }
        }
        return new RecordMatcher(paths);
    }

    public boolean covers(SubjectType type) {
        return paths.containsKey(type);
    }

    public List<String> paths(SubjectType type) {
        return paths.getOrDefault(type, List.of());
    }

    /** A matcher of the subjects of {@code index}, for many lines (not thread-safe: one per thread or object). */
    public LineMatcher forSubjects(SubjectIndex index) {
        Node root = new Node();
        for (SubjectType type : index.types()) {
            for (String path : paths(type)) {
                Node node = root;
                for (String name : path.split("\\.")) {
                    node = node.children.computeIfAbsent(name, n -> new Node());
                }
                node.types.add(type);
            }
        }
        return new LineMatcher(root, index);
    }

    /** Matches lines against one {@link SubjectIndex}. */
    public static final class LineMatcher {
        private final Node root;
        private final SubjectIndex index;
        private Set<String> found;

        private LineMatcher(Node root, SubjectIndex index) {
            this.root = root;
            this.index = index;
        }

        /** The line's content, without its line terminator. */
        public LineMatch match(byte[] buffer, int offset, int length) {
            if (isBlank(buffer, offset, length)) {
                return LineMatch.BLANK;
            }
            found = null;
            try (JsonParser parser = JSON.createParser(buffer, offset, length)) {
                JsonToken first = parser.nextToken();
                if (first == JsonToken.START_OBJECT && !root.children.isEmpty()) {
                    object(parser, root);
                } else {
                    parser.skipChildren();
                }
                if (parser.nextToken() != null) {
                    return LineMatch.UNPARSEABLE;
                }
            } catch (JsonProcessingException e) {
                return LineMatch.UNPARSEABLE;
            } catch (IOException e) {
                throw new IllegalStateException("reading a byte array cannot fail", e);
            }
            return found == null ? LineMatch.NONE : new LineMatch(Kind.MATCHED, Set.copyOf(found));
        }

        private void object(JsonParser parser, Node node) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Node child = node.children.get(parser.currentName());
                JsonToken value = parser.nextToken();
                if (child == null) {
                    parser.skipChildren();
                } else if (value == JsonToken.START_OBJECT) {
                    if (child.children.isEmpty()) {
                        parser.skipChildren();
                    } else {
                        object(parser, child);
                    }
                } else if (value == JsonToken.START_ARRAY) {
                    array(parser, child);
                } else {
                    scalar(parser, value, child);
                }
            }
        }

        private void array(JsonParser parser, Node node) throws IOException {
            JsonToken element;
            while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (element == JsonToken.START_OBJECT || element == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else {
                    scalar(parser, element, node);
                }
            }
        }

        private void scalar(JsonParser parser, JsonToken token, Node node) throws IOException {
            if (node.types.isEmpty() || !(token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT
                    || token == JsonToken.VALUE_NUMBER_FLOAT)) {
                return;
            }
            String value = parser.getText();
            for (SubjectType type : node.types) {
                Set<String> groups = index.groupsOf(type, value);
                if (!groups.isEmpty()) {
                    if (found == null) {
                        found = new HashSet<>();
                    }
                    found.addAll(groups);
                }
            }
        }

        private static boolean isBlank(byte[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                byte b = buffer[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }
}
