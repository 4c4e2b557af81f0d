package dev.tally.privacy.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.PrivacyConfig.InvalidConfigException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the fields of one JSON object of a target's entry, naming them {@code <prefix>.<field>} in errors. */
record ConfigFields(JsonNode node, String prefix) {
    String name(String field) {
        return prefix + "." + field;
    }

    InvalidConfigException invalid(String field, String problem) {
        return new InvalidConfigException("privacy config: " + name(field) + " " + problem);
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    void onlyKnown(Set<String> known) {
        for (String field : names()) {
            if (!known.contains(field)) {
                throw new InvalidConfigException("privacy config: " + prefix + ": unknown field '" + field + "'");
            }
        }
    }

    String requiredText(String field) {
        return optionalText(field).orElseThrow(() -> invalid(field, "is required (a non-empty string)"));
    }

    Optional<String> optionalText(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(field, "must be a non-empty string");
        }
        return Optional.of(value.asText());
    }

    ConfigFields object(String field) {
        if (!node.get(field).isObject()) {
            throw invalid(field, "must be an object");
        }
        return new ConfigFields(node.get(field), name(field));
    }

    double positiveNumber(String field, double defaultValue, boolean whole) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode value = node.get(field);
        if (!value.isNumber() || value.asDouble() <= 0 || (whole && !value.isIntegralNumber())
                || value.asDouble() > 1_000_000) {
            throw invalid(field, whole ? "must be a positive whole number" : "must be a positive number");
        }
        return value.asDouble();
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type, E defaultValue) {
        Optional<String> text = optionalText(field);
        if (text.isEmpty()) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.get())) {
                return constant;
            }
        }
        throw invalid(field, "'" + text.get() + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    JsonPath path(String field) {
        String text = optionalText(field).orElseThrow(() -> invalid(field, "is required for mode ASYNC_JOB"));
        try {
            return JsonPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "is not a JSON path like $.job.id: " + e.getMessage());
        }
    }

    Set<String> texts(String field, boolean required) {
        JsonNode value = node.path(field);
        if (!value.isArray() || (required && value.isEmpty())) {
            throw invalid(field, required ? "is required for mode ASYNC_JOB (a non-empty array of strings)"
                    : "must be an array of strings");
        }
        Set<String> texts = new LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull() || item.asText().isEmpty()) {
                throw invalid(field, "must hold non-empty strings (or numbers)");
            }
            texts.add(item.asText());
        }
        return texts;
    }
}
