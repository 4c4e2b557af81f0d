package dev.tally.infra.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one JSON object of the config file by key, remembering where it is ({@code billing.warehouse}), so each
 * problem names its full key. Problems are collected, not thrown: {@link TallyConfig#parse} reports them all at once.
 * A value that is missing or wrong reads as empty (or the default), so reading goes on.
 */
public final class ConfigReader {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;

    ConfigReader(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The full key of a field of this object. */
    public String key(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** A problem with a field, reported under its full key. */
    public void problem(String field, String message) {
        problems.add(key(field) + ": " + message);
    }

    /** Reports every field that is none of {@code known} (a misspelt key would otherwise be silently ignored). */
    public void only(Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(name, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A field's JSON as it is (a document the config carries for a function, say); empty when absent. */
    public Optional<JsonNode> json(String field) {
        return has(field) ? Optional.of(node.get(field)) : Optional.empty();
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** A nested object; a missing one reads as empty (so its required fields are reported under their keys). */
    public ConfigReader section(String field) {
        JsonNode value = node.path(field);
        if (!value.isMissingNode() && !value.isNull() && !value.isObject()) {
            problem(field, "must be an object");
            value = MissingNode.getInstance();
        }
        return new ConfigReader(value.isObject() ? value : JsonNodeFactory.instance.objectNode(), key(field), problems);
    }

    public String string(String field) {
        return optionalString(field).orElseGet(() -> {
            if (!has(field)) {
                problem(field, "is required");
            }
            return "";
        });
    }

    /** A string that, when given, must not be blank. */
    public Optional<String> optionalString(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            problem(field, "must be a string");
            return Optional.empty();
        }
        if (value.asText().isBlank()) {
            problem(field, "must not be empty");
            return Optional.empty();
        }
        return Optional.of(value.asText().trim());
    }

    /** A string that may be empty (a key prefix, say), {@code defaultValue} when missing. */
    public String text(String field, String defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        if (!node.get(field).isTextual()) {
            problem(field, "must be a string");
            return defaultValue;
        }
        return node.get(field).asText().trim();
    }

    public String matching(String field, Pattern pattern, String what) {
        String value = string(field);
        if (!value.isEmpty() && !pattern.matcher(value).matches()) {
            problem(field, "must be " + what + ", was '" + value + "'");
            return "";
        }
        return value;
    }

    public int positiveInt(String field, int defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() <= 0) {
            problem(field, "must be a positive integer");
            return defaultValue;
        }
        return value.asInt();
    }

    public boolean bool(String field, boolean defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        if (!node.get(field).isBoolean()) {
            problem(field, "must be true or false");
            return defaultValue;
        }
        return node.get(field).asBoolean();
    }

    /** A list of strings, each matching {@code pattern} and none blank; missing reads as {@code defaultValue}. */
    public List<String> strings(String field, Pattern pattern, String what, List<String> defaultValue) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            problem(field, "must be a list of strings");
            return defaultValue;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isBlank() || !pattern.matcher(item.asText().trim()).matches()) {
                problems.add(key(field) + "[" + i + "]: must be " + what + ", was " + item);
            } else {
                values.add(item.asText().trim());
            }
        }
        return List.copyOf(values);
    }
}
