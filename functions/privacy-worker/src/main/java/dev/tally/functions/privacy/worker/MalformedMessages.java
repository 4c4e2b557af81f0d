package dev.tally.functions.privacy.worker;

/**
 * Where a message goes whose body is not ours and never will be: retrying it cannot help, dropping it would lose
 * it. In AWS the work dead-letter queue ({@code SqsWorkQueue#deadLetterMalformed}), body as it came.
 */
@FunctionalInterface
interface MalformedMessages {

    /**
     * @param source    the queue it was read from ({@code processing} or {@code work})
     * @param reason    what is wrong with it, by field name, never a value
     * @throws RuntimeException when it could not be parked; the record then fails and comes again
     */
    void park(String source, String messageId, String body, String reason);
}
