package dev.tally.billing;

import java.util.Locale;

/**
 * How rule 1 splits an ECS host instance's cost among the services that ran on it (allocation contract §9): by the
 * CPU-seconds the recorded task events give, or by AWS's own split cost allocation data in the bill.
 */
public enum EcsSplit {
    /** §3 rule 1 as written: CPU-seconds of the tasks in the history. */
    EVENTS("events"),
    /** AWS's split line items where the bill has them for the instance and window, CPU-seconds where it has not. */
    AWS("aws");

    private final String id;

    EcsSplit(String id) {
        this.id = id;
    }

    /** The name in {@code summary.json}, on the command line and in configuration. */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static EcsSplit parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (EcsSplit split : values()) {
            if (split.id.equals(wanted)) {
                return split;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an ECS split (events or aws)");
    }
}
