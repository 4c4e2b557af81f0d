package dev.tally.privacy;

/** The status of a request in one target: {@code PENDING → IN_PROGRESS → SUCCEEDED | FAILED | NOT_SUPPORTED}. */
public enum ReceiptStatus {
    PENDING,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED,
    NOT_SUPPORTED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == NOT_SUPPORTED;
    }
}
