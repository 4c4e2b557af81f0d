package dev.tally.privacy.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The simple JSON paths a destination's answers are read with: {@code $}, then member names and array indexes —
 * {@code $.job.id}, {@code $.jobs[0].id}, {@code $['odd name'].state}. No wildcards, filters or recursion.
 */
public final class JsonPath {
    private final String text;
    /** {@code String} member names and {@code Integer} indexes. */
    private final List<Object> steps;

    private JsonPath(String text, List<Object> steps) {
        this.text = text;
        this.steps = List.copyOf(steps);
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static JsonPath parse(String text) {
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("a JSON path starts with '$'");
        }
        List<Object> steps = new ArrayList<>();
        int at = 1;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '.') {
                int end = at + 1;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                if (end == at + 1) {
                    throw new IllegalArgumentException("an empty member name at " + at);
                }
                steps.add(text.substring(at + 1, end));
                at = end;
            } else if (c == '[') {
                int close = text.indexOf(']', at);
                if (close < 0) {
                    throw new IllegalArgumentException("a '[' without ']' at " + at);
                }
                steps.add(bracket(text.substring(at + 1, close), at));
                at = close + 1;
            } else {
                throw new IllegalArgumentException("expected '.' or '[' at " + at);
            }
        }
        return new JsonPath(text, steps);
    }

    private static Object bracket(String inside, int at) {
        if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
                && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
            return inside.substring(1, inside.length() - 1);
        }
        if (!inside.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("expected an index or a quoted name in [] at " + at);
        }
        return Integer.parseInt(inside);
    }

    /** The node at the path; empty when it is missing or JSON {@code null}. */
    public Optional<JsonNode> read(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            if (node == null) {
                return Optional.empty();
            }
            node = step instanceof Integer index ? (node.isArray() ? node.get(index) : null)
                    : (node.isObject() ? node.get((String) step) : null);
        }
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    /** The scalar (string, number, boolean) at the path as text; empty when missing, null, an object or an array. */
    public Optional<String> readText(JsonNode root) {
        return read(root).filter(JsonNode::isValueNode).map(JsonNode::asText);
    }

    @Override
    public String toString() {
        return text;
    }
}
