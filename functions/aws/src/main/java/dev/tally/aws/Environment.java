package dev.tally.aws;

import java.util.Map;
import java.util.Optional;

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

    /** A Step Functions state machine's ARN, or empty when the variable is unset or blank. */
    public static Optional<String> stateMachineArn(Map<String, String> env, String name) {
        Optional<String> arn = Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
        arn.filter(value -> !value.startsWith("arn:") || !value.contains(":states:")).ifPresent(value -> {
            throw new IllegalStateException(name + " must be a Step Functions state machine ARN, was '" + value + "'");
        });
        return arn;
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
