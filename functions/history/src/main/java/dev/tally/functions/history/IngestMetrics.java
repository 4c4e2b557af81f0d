package dev.tally.functions.history;

import dev.tally.runtime.CountMetrics;

/** The names of the counts of what a batch did, published once per invocation. */
public interface IngestMetrics extends CountMetrics {
    String RECORDED = "EventsRecorded";
    String IGNORED = "EventsIgnored";
    String NOT_SUBSCRIBED = "EventsNotSubscribed";
    String INVALID = "EventsInvalid";
    String FAILED = "EventsFailed";
}
