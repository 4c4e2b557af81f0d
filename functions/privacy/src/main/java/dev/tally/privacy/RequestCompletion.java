package dev.tally.privacy;

import java.util.List;
import java.util.Optional;

/**
 * When a request is done, and how it ended: once every receipt is terminal, {@code FINISHED} if none failed,
 * {@code PARTIAL_SUCCESS} if some target succeeded and some failed, {@code FAILED} if targets failed and none
 * succeeded. A request whose targets all answered {@code NOT_SUPPORTED} (or that had none) is {@code FINISHED}.
 */
public final class RequestCompletion {
    private RequestCompletion() {
    }

    /** The status the request ends in, or empty while a receipt is still pending or in progress. */
    public static Optional<RequestStatus> of(List<Receipt> receipts) {
        if (receipts.stream().anyMatch(r -> !r.status().terminal())) {
            return Optional.empty();
        }
        boolean failed = receipts.stream().anyMatch(r -> r.status() == ReceiptStatus.FAILED);
        boolean succeeded = receipts.stream().anyMatch(r -> r.status() == ReceiptStatus.SUCCEEDED);
        if (!failed) {
            return Optional.of(RequestStatus.FINISHED);
        }
        return Optional.of(succeeded ? RequestStatus.PARTIAL_SUCCESS : RequestStatus.FAILED);
    }
}
