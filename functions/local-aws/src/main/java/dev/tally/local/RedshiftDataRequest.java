package dev.tally.local;

import static dev.tally.local.RedshiftDataApiError.serialization;
import static dev.tally.local.RedshiftDataApiError.validation;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON object of one Data API request, read member by member as the real service does: a member of the wrong
 * JSON type is a {@code SerializationException}, a missing or out-of-range one a {@code ValidationException} (with
 * AWS's wording where a client might match on it). Members the operations take in common (statement ids, wait times,
 * parameters) are read here so that every operation checks them alike.
 */
final class RedshiftDataRequest {
    /** The longest {@code WaitTimeSeconds}: an HTTP thread is held that long. */
    static final int MAX_WAIT_SECONDS = 30;
    /** A statement id ({@code UUID}), or one of a batch's sub-statements ({@code <UUID>:<n>}). */
    private static final Pattern ID = Pattern.compile("[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\\d{1,2})?");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[0-9a-zA-Z_]+");

    private final Map<String, Object> members;

    private RedshiftDataRequest(Map<String, Object> members) {
        this.members = members;
    }

    /** The request body, which must be a JSON object; an empty body is taken as an empty object. */
    @SuppressWarnings("unchecked")
    static RedshiftDataRequest parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new RedshiftDataRequest(Map.of());
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw serialization("the request body is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw serialization("the request body is not a JSON object");
        }
        return new RedshiftDataRequest((Map<String, Object>) parsed);
    }

    /** The member as parsed ({@link Json}'s types), null when absent or JSON null. */
    Object get(String name) {
        return members.get(name);
    }

    String string(String name) {
        Object value = members.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw serialization(name + " must be a string");
    }

    String required(String name) {
        String value = string(name);
        if (value == null) {
            throw validation("1 validation error detected: Value null at '" + lowerFirst(name)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    /** AWS names a member in its messages as the JSON model does: {@code Sql} is {@code 'sql'}. */
    private static String lowerFirst(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private Integer integer(String name) {
        Object value = members.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw serialization(name + " must be an integer");
    }

    boolean bool(String name) {
        Object value = members.get(name);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        throw serialization(name + " must be a boolean");
    }

    /** {@code WaitTimeSeconds}: how long to hold the answer until the statement ends (0, the default: not at all). */
    int waitSeconds() {
        Integer wait = integer("WaitTimeSeconds");
        if (wait == null) {
            return 0;
        }
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw validation("WaitTimeSeconds must be between 0 and " + MAX_WAIT_SECONDS + ", not " + wait);
        }
        return wait;
    }

    /** {@code Id}: a statement's, or a sub-statement's ({@code <Id>:<n>}). */
    String id() {
        String id = required("Id");
        if (!ID.matcher(id).matches()) {
            throw validation("1 validation error detected: Value '" + id + "' at 'id' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: " + ID.pattern());
        }
        return id;
    }

    /** {@code Parameters}, name to value in the order given; empty when absent. */
    Map<String, String> parameters() {
        Object value = members.get("Parameters");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof List<?> list)) {
            throw serialization("Parameters must be a list of {name, value}");
        }
        if (list.isEmpty()) {
            throw validation("Parameters must have at least 1 member when given");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> parameter)) {
                throw serialization("Parameters must be a list of {name, value}");
            }
            Object name = parameter.get("name");
            Object text = parameter.get("value");
            if (!(name instanceof String n) || !(text instanceof String v)) {
                throw validation("each parameter needs a string name and a string value");
            }
            if (!PARAMETER_NAME.matcher(n).matches()) {
                throw validation("parameter name '" + n + "' must match [0-9a-zA-Z_]+");
            }
            if (parameters.put(n, v) != null) {
                throw validation("parameter '" + n + "' is given twice");
            }
        }
        return parameters;
    }
}
