package dev.tally.privacy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A privacy request as recorded: the legal evidence of what was asked, by whom, when, by when it is due, and what
 * happened in each target. It holds no subject id: those are sealed apart ({@link StoredSubjects}) and replaced
 * by keyed hashes once the request is finished.
 *
 * @param requestedBy   the operator's IAM principal or JWT {@code sub}, or {@code end_user}
 * @param owner         the keyed hash of the caller who made it, so an end user sees only their own requests
 * @param fingerprint   the keyed hash of the request as asked, to tell a retry from a different request under
 *                      the same idempotency key
 * @param failureReason why it {@code FAILED} ({@code CONFIRMATION_FAILED}, ...), else null
 * @param handedOver    whether the request was given to processing (the queue) after it became {@code QUEUED};
 *                      the sweep hands over those that were not
 */
public record PrivacyRequest(String id, RequestStatus status, RequestType type, SubjectType subjectType,
                             int subjectCount, Regulation regulation, Instant receivedAt, Instant dueAt,
                             Instant finishedAt, String requestedBy, String owner, String fingerprint,
                             String failureReason, boolean handedOver, Instant updatedAt, List<Receipt> receipts) {
    /** {@code requested_by} of a subject's own request. */
    public static final String END_USER = "end_user";

    public PrivacyRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(regulation, "regulation");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(updatedAt, "updatedAt");
        receipts = List.copyOf(receipts);
    }

    /**
     * The same request in another status, as of {@code at}: a terminal status sets {@code finishedAt}, another
     * (a retry running it again) clears it.
     */
    public PrivacyRequest withStatus(RequestStatus next, Instant at, String reason) {
        return new PrivacyRequest(id, next, type, subjectType, subjectCount, regulation, receivedAt, dueAt,
                next.terminal() ? at : null, requestedBy, owner, fingerprint, reason, handedOver, at, receipts);
    }

    public PrivacyRequest withHandedOver(boolean value) {
        return new PrivacyRequest(id, status, type, subjectType, subjectCount, regulation, receivedAt, dueAt,
                finishedAt, requestedBy, owner, fingerprint, failureReason, value, updatedAt, receipts);
    }

    public PrivacyRequest withReceipts(List<Receipt> value) {
        return new PrivacyRequest(id, status, type, subjectType, subjectCount, regulation, receivedAt, dueAt,
                finishedAt, requestedBy, owner, fingerprint, failureReason, handedOver, updatedAt, value);
    }

    /** Open past its legal deadline. */
    public boolean overdue(Instant now) {
        return !status.terminal() && now.isAfter(dueAt);
    }
}
