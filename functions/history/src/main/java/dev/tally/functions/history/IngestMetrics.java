package dev.tally.functions.history;

import java.util.Map;

/** Counts of what a batch did, published once per invocation. */
public interface IngestMetrics {
    String RECORDED = "EventsRecorded";
    String IGNORED = "EventsIgnored";
    String NOT_SUBSCRIBED = "EventsNotSubscribed";
    String INVALID = "EventsInvalid";
    String FAILED = "EventsFailed";

    /** Publishes the counts of one invocation (zero counts included, so alarms see a steady series). */
    void publish(Map<String, Long> counts);
}
