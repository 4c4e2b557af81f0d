package dev.tally.infra.config;

import java.util.List;

/** A config file that cannot be used: every problem found, each naming its key ({@code history.retentionDays: …}). */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
