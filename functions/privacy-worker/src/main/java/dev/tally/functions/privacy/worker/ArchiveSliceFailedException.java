package dev.tally.functions.privacy.worker;

/**
 * A slice of a distributed archive pass that no retry helps (an unreadable object, a slice outside the target):
 * the state machine does not retry it, the run fails, and the worker starts the pass again or fails the receipt.
 */
public final class ArchiveSliceFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ArchiveSliceFailedException(String message) {
        super(message);
    }
}
