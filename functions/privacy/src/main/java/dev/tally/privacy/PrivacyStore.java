package dev.tally.privacy;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where privacy requests, their receipts, sealed subjects, confirmation codes, idempotency keys and suppressions
 * are kept: DynamoDB in AWS and locally (dynalite), in memory for unit tests; every implementation passes
 * {@code PrivacyStoreContract}. Every decision that two concurrent invocations could both take is one conditional
 * write, so exactly one of them wins: taking an idempotency key, creating a request, changing its status,
 * counting a guess, using a code. No method logs or echoes a subject id.
 */
public interface PrivacyStore {

    /**
     * Takes an idempotency key for a request that is about to be created.
     *
     * @return the record now stored under the key: {@code candidate} when the key was free, else the one that
     *         holds it (a retry, or another request under the same key)
     */
    IdempotencyRecord takeIdempotencyKey(IdempotencyRecord candidate);

    /**
     * Takes over a key whose request never appeared, only if it is still held as {@code stale} (same request
     * id and creation time): of two callers taking over the same stale key, one wins.
     *
     * @return whether this caller now holds the key as {@code replacement}
     */
    boolean replaceIdempotencyKey(IdempotencyRecord stale, IdempotencyRecord replacement);

    Optional<IdempotencyRecord> idempotencyKey(String keyHash);

    /**
     * Stores a new request with its receipts, its sealed subjects and (for an end user) its confirmation code.
     * The request becomes visible only once everything is written, and only if no request with its id exists.
     *
     * @return false when a request with this id already exists (nothing of this call is visible then)
     */
    boolean create(PrivacyRequest request, StoredSubjects subjects, Optional<ConfirmationCode> code);

    /** The request with its receipts, if it exists. */
    Optional<PrivacyRequest> request(String id);

    /**
     * Changes the request's status if it is in one of {@code from}; a terminal status sets {@code finished_at}.
     *
     * @return the request as changed, or empty when it was not in one of {@code from} (someone else moved it)
     */
    Optional<PrivacyRequest> transition(String id, Set<RequestStatus> from, RequestStatus to, Instant at,
                                        String reason);

    /**
     * Takes one receipt for a worker: if it is {@code PENDING}, or {@code IN_PROGRESS} since before
     * {@code staleBefore} (its worker died; the queue brought the work again), it becomes {@code IN_PROGRESS}
     * with {@code startedAt = at} and one more attempt. Of two workers taking the same receipt at once, one wins.
     *
     * @return the receipt as taken, or empty when it is not there to take (in progress elsewhere, or terminal)
     */
    Optional<Receipt> claimReceipt(String requestId, String target, Instant at, Instant staleBefore);

    /**
     * Replaces one receipt (matched by {@code next.target()}) if its status is one of {@code from}: the worker's
     * outcome, or a retry putting a {@code FAILED} receipt back to {@code PENDING}.
     *
     * @return the receipt as stored now, or empty when it was not in one of {@code from}
     */
    Optional<Receipt> updateReceipt(String requestId, Receipt next, Set<ReceiptStatus> from);

    /** Records that the request was given to processing. */
    void markHandedOver(String id, Instant at);

    Optional<StoredSubjects> subjects(String id);

    /** Replaces the request's subjects, e.g. sealed ids by their keyed hashes once it is finished. */
    void replaceSubjects(String id, StoredSubjects subjects);

    Optional<ConfirmationCode> code(String requestId);

    /**
     * Counts one guess at the request's code, only if it is unused and fewer than {@code maxAttempts} guesses
     * were made.
     *
     * @return the code with the guess counted, or empty when no further guess is allowed (or no code exists)
     */
    Optional<ConfirmationCode> countAttempt(String requestId, int maxAttempts);

    /** Marks the code used, only if it was not: of two right guesses at once, one wins. */
    boolean useCode(String requestId);

    /** Records the subjects (keyed hashes) as suppressed since {@code since}; an existing suppression keeps its date. */
    void suppress(SubjectType type, Collection<String> subjectHashes, Instant since, String requestId);

    /** Lifts the suppressions of these subjects (keyed hashes); absent ones are ignored. */
    void unsuppress(SubjectType type, Collection<String> subjectHashes);

    /** Since when the subject (keyed hash) is suppressed, if it is. */
    Optional<Instant> suppressedSince(SubjectType type, String subjectHash);

    /** Every request not yet in a terminal status, earliest due first: for the sweep and the overdue metric. */
    List<PrivacyRequest> openRequests();
}
