package dev.tally.privacy;

/**
 * Hands a confirmed request to processing (part 2's workers): SQS in AWS and locally. The message names
 * the request id only — workers read the rest from the store — so no personal data travels on the queue.
 * Delivery is at least once; a request handed over twice is processed once by the workers.
 */
public interface ProcessingQueue {

    /**
     * @throws RuntimeException when the message could not be sent; the request stays {@code QUEUED} and not
     *                          yet handed over, and the scheduled sweep hands it over again
     */
    void enqueue(String requestId);
}
