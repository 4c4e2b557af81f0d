package dev.tally.aws;

import java.util.Map;

/**
 * Reading a function's settings from its environment: each failure is an {@link IllegalStateException}
 * naming the variable, so a wrong value fails the cold start with a message an operator can act on.
 */
public final class Environment {
    private Environment() {
    }

    /** A variable that must be set and not blank, trimmed. */
    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value.trim();
    }

    /** A positive whole number, or {@code defaultValue} when the variable is unset or blank. */
    public static long positive(Map<String, String> env, String name, long defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a positive whole number, was '" + value + "'");
        }
    }
}
