package dev.tally.testkit;

import java.util.Objects;
import java.util.function.Function;

/**
 * One option of the generator, as {@code tally generate} and {@code tally bench} show it: its name (the key of
 * {@link MonthSpec#fromOptions}, {@code --name} on a command line), the label of its value ({@code null} for a
 * flag), what it does, and its default (read from {@link MonthSpec#builder()}, or null when there is none).
 * The list of them is {@link GeneratorOptions#ALL}.
 */
public record GeneratorOption(String name, String paramLabel, String description,
                              Function<MonthSpec, String> defaultOf) {
    public GeneratorOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    /** @return whether the option takes no value ({@code --messy}; {@code --messy=false} still works) */
    public boolean flag() {
        return paramLabel == null;
    }

    /** @return {@code --name} */
    public String flagName() {
        return "--" + name;
    }

    /** @return the generator's default for this option, as {@link MonthSpec#fromOptions} reads it, or null */
    public String defaultValue() {
        return defaultOf == null ? null : defaultOf.apply(MonthSpec.builder().build());
    }
}
