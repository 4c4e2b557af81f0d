package dev.tally.functions.privacy.worker;

import dev.tally.privacy.WorkItem;
import dev.tally.privacy.WorkQueue;

import java.time.Duration;

/**
 * The work queue, counting the items {@link dev.tally.privacy.PrivacyWorker} dead-letters — each one a receipt that
 * ended {@code FAILED} — for the work function's {@code ReceiptsDeadLettered} metric. Counted per thread: a handler
 * works its records on its own thread, so what it reads before and after a batch is that batch's, even when a
 * local run invokes handlers side by side.
 */
final class CountingWorkQueue implements WorkQueue {
    private final WorkQueue queue;
    private final ThreadLocal<long[]> deadLettered = ThreadLocal.withInitial(() -> new long[1]);

    CountingWorkQueue(WorkQueue queue) {
        this.queue = queue;
    }

    @Override
    public void send(WorkItem item, Duration delay) {
        queue.send(item, delay);
    }

    /** Counted once the queue took it. */
    @Override
    public void deadLetter(WorkItem item, String error) {
        queue.deadLetter(item, error);
        deadLettered.get()[0]++;
    }

    /** Items dead-lettered on this thread so far. */
    long deadLettered() {
        return deadLettered.get()[0];
    }
}
