package dev.tally.functions.history;

/**
 * Where events that can never be used go, so they are neither retried forever nor lost: the raw
 * body and the reason, for a person to look at.
 */
public interface DeadLetters {
    /**
     * @param source   where the event came from (message id, file and line), never its content
     * @param reason   why it cannot be used
     * @param body     the raw event as received
     */
    void send(String source, String reason, String body);
}
