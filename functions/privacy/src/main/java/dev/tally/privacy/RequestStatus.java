package dev.tally.privacy;

/**
 * A request's status: {@code AWAITING_CONFIRMATION → QUEUED → RUNNING → FINISHED | PARTIAL_SUCCESS | FAILED},
 * or {@code CANCELLED} (privacy.md, "Processing").
 */
public enum RequestStatus {
    AWAITING_CONFIRMATION,
    QUEUED,
    RUNNING,
    FINISHED,
    PARTIAL_SUCCESS,
    FAILED,
    CANCELLED;

    /** No further change: the subjects' raw ids are then replaced by keyed hashes. */
    public boolean terminal() {
        return this == FINISHED || this == PARTIAL_SUCCESS || this == FAILED || this == CANCELLED;
    }

    /** Before processing began: the request may still be cancelled. */
    public boolean cancellable() {
        return this == AWAITING_CONFIRMATION || this == QUEUED;
    }
}
