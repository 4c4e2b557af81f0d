package dev.tally.infra.config;

import java.util.Set;

/**
 * {@code monitoring}: the thresholds of the alarms that are not a plain "more than none" (every key may be left out).
 *
 * @param minCoveragePercent {@code minCoveragePercent}: the share of a bill's cost a rollup must allocate to a product
 *                           area (its coverage) below which the coverage alarm goes off (90)
 * @param billRunWithinHours {@code billRunWithinHours}: the alarm on a missing bill goes off when no delivery has
 *                           been rolled up for this many hours (36: AWS delivers bills at least daily); from 24 to
 *                           168, as CloudWatch evaluates an alarm over at most 7 days
 */
public record MonitoringSection(int minCoveragePercent, int billRunWithinHours) {
    static final Set<String> KEYS = Set.of("minCoveragePercent", "billRunWithinHours");
    public static final int DEFAULT_MIN_COVERAGE_PERCENT = 90;
    public static final int DEFAULT_BILL_RUN_WITHIN_HOURS = 36;
    static final int MIN_BILL_RUN_WITHIN_HOURS = 24;
    static final int MAX_BILL_RUN_WITHIN_HOURS = 7 * 24;

    /** The defaults, as an absent section reads. */
    public static MonitoringSection defaults() {
        return new MonitoringSection(DEFAULT_MIN_COVERAGE_PERCENT, DEFAULT_BILL_RUN_WITHIN_HOURS);
    }

    static MonitoringSection read(ConfigReader in) {
        in.only(KEYS);
        int coverage = in.positiveInt("minCoveragePercent", DEFAULT_MIN_COVERAGE_PERCENT);
        if (coverage > 100) {
            in.problem("minCoveragePercent", "must be a percentage from 1 to 100, was " + coverage);
        }
        int hours = in.positiveInt("billRunWithinHours", DEFAULT_BILL_RUN_WITHIN_HOURS);
        if (hours < MIN_BILL_RUN_WITHIN_HOURS || hours > MAX_BILL_RUN_WITHIN_HOURS) {
            in.problem("billRunWithinHours", "must be from " + MIN_BILL_RUN_WITHIN_HOURS + " to "
                    + MAX_BILL_RUN_WITHIN_HOURS + " hours (CloudWatch evaluates an alarm over at most 7 days), was "
                    + hours);
        }
        return new MonitoringSection(coverage, hours);
    }
}
