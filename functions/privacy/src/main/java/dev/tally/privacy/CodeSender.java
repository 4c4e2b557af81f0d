package dev.tally.privacy;

import java.time.Instant;

/**
 * Sends a one-time confirmation code to the person who asked, out of band: by SES email in AWS, and locally
 * through the same SES adapter to the local SES endpoint, which writes each message to the outbox.
 *
 * <p>The message carries personal data (the address and the code); an implementation never logs it and
 * never puts it in an exception message.
 */
public interface CodeSender {

    /**
     * @param requestId  the request the code confirms (no personal data; the local outbox names files by it)
     * @param recipient  the email address to send to
     * @param code       the six digits
     * @param expiresAt  when the code stops working, for the message text
     * @throws CodeNotSentException when the message could not be handed over; the request then stays
     *                              unconfirmable and the caller is told to try again
     */
    void send(String requestId, String recipient, String code, Instant expiresAt);

    /** A code that could not be sent; the message names no address and no code. */
    final class CodeNotSentException extends RuntimeException {
        public CodeNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
