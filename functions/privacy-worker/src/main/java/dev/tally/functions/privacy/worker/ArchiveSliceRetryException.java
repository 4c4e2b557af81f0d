package dev.tally.functions.privacy.worker;

/**
 * A slice of a distributed archive pass that may work when tried again (a conflict that kept coming back, S3
 * throttling): the state machine retries the slice on this error name. The message is the outcome's error: counts
 * and object keys, never a subject id.
 */
public final class ArchiveSliceRetryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ArchiveSliceRetryException(String message) {
        super(message);
    }
}
