package dev.tally.privacy;

import java.time.Duration;

/**
 * Where the workers' messages go: the work queue (SQS in AWS, with delays up to 15 minutes), and its dead-letter
 * queue for work that kept failing. Delivery is at least once; the worker does nothing twice.
 */
public interface WorkQueue {

    /** Sends the item, to be delivered after {@code delay} (zero: at once). */
    void send(WorkItem item, Duration delay);

    /** Parks an item whose receipt failed for good after its retries, for an operator (and the alarm). */
    void deadLetter(WorkItem item, String error);
}
