package dev.tally.infra.config;

import java.util.Set;

/**
 * {@code history}: the ECS/EC2 history.
 *
 * @param retentionDays       how long history items live after the last instant they record (400, so last year's
 *                            months can be rolled up again)
 * @param reconcileEveryHours how often the reconciler compares the history with what ECS and EC2 report (6)
 */
public record HistorySection(int retentionDays, int reconcileEveryHours) {
    static HistorySection read(ConfigReader in) {
        in.only(Set.of("retentionDays", "reconcileEveryHours"));
        int every = in.positiveInt("reconcileEveryHours", 6);
        if (every > 24) {
            in.problem("reconcileEveryHours", "must be at most 24, was " + every);
        }
        return new HistorySection(in.positiveInt("retentionDays", 400), every);
    }
}
