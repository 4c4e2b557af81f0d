package dev.tally.privacy;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The privacy store in memory, for unit tests and for reasoning: every method is synchronized, which gives the
 * same one-winner outcome as the conditional writes of the DynamoDB store. Passes {@code PrivacyStoreContract}.
 */
public final class InMemoryPrivacyStore implements PrivacyStore {
    private final Map<String, IdempotencyRecord> keys = new HashMap<>();
    private final Map<String, PrivacyRequest> requests = new HashMap<>();
    private final Map<String, StoredSubjects> subjects = new HashMap<>();
    private final Map<String, ConfirmationCode> codes = new HashMap<>();
    private final Map<String, Instant> suppressions = new HashMap<>();

    @Override
    public synchronized IdempotencyRecord takeIdempotencyKey(IdempotencyRecord candidate) {
        return keys.computeIfAbsent(candidate.keyHash(), k -> candidate);
    }

    @Override
    public synchronized boolean replaceIdempotencyKey(IdempotencyRecord stale, IdempotencyRecord replacement) {
        IdempotencyRecord held = keys.get(stale.keyHash());
        if (held == null || !held.requestId().equals(stale.requestId()) || !held.createdAt().equals(stale.createdAt())) {
            return false;
        }
        keys.put(stale.keyHash(), replacement);
        return true;
    }

    @Override
    public synchronized Optional<IdempotencyRecord> idempotencyKey(String keyHash) {
        return Optional.ofNullable(keys.get(keyHash));
    }

    @Override
    public synchronized boolean create(PrivacyRequest request, StoredSubjects stored, Optional<ConfirmationCode> code) {
        if (requests.containsKey(request.id())) {
            return false;
        }
        subjects.put(request.id(), stored);
        code.ifPresent(c -> codes.put(request.id(), c));
        requests.put(request.id(), request);
        return true;
    }

    @Override
    public synchronized Optional<PrivacyRequest> request(String id) {
        return Optional.ofNullable(requests.get(id));
    }

    @Override
    public synchronized Optional<PrivacyRequest> transition(String id, Set<RequestStatus> from, RequestStatus to,
                                                            Instant at, String reason) {
        PrivacyRequest current = requests.get(id);
        if (current == null || !from.contains(current.status())) {
            return Optional.empty();
        }
        PrivacyRequest next = current.withStatus(to, at, reason);
        requests.put(id, next);
        return Optional.of(next);
    }

    @Override
    public synchronized Optional<Receipt> claimReceipt(String requestId, String target, Instant at,
                                                       Instant staleBefore) {
        PrivacyRequest request = requests.get(requestId);
        Receipt current = request == null ? null : receipt(request, target);
        if (current == null || !(current.status() == ReceiptStatus.PENDING
                || current.status() == ReceiptStatus.IN_PROGRESS && current.startedAt() != null
                && current.startedAt().isBefore(staleBefore))) {
            return Optional.empty();
        }
        Receipt taken = new Receipt(current.target(), current.kind(), ReceiptStatus.IN_PROGRESS,
                current.attempts() + 1, current.lastError(), at, null, current.evidence());
        requests.put(requestId, replaced(request, taken));
        return Optional.of(taken);
    }

    @Override
    public synchronized Optional<Receipt> updateReceipt(String requestId, Receipt next, Set<ReceiptStatus> from) {
        PrivacyRequest request = requests.get(requestId);
        Receipt current = request == null ? null : receipt(request, next.target());
        if (current == null || !from.contains(current.status())) {
            return Optional.empty();
        }
        requests.put(requestId, replaced(request, next));
        return Optional.of(next);
    }

    private static Receipt receipt(PrivacyRequest request, String target) {
        return request.receipts().stream().filter(r -> r.target().equals(target)).findFirst().orElse(null);
    }

    private static PrivacyRequest replaced(PrivacyRequest request, Receipt receipt) {
        return request.withReceipts(request.receipts().stream()
                .map(r -> r.target().equals(receipt.target()) ? receipt : r).toList());
    }

    @Override
    public synchronized void markHandedOver(String id, Instant at) {
        requests.computeIfPresent(id, (k, r) -> r.withHandedOver(true));
    }

    @Override
    public synchronized Optional<StoredSubjects> subjects(String id) {
        return Optional.ofNullable(subjects.get(id));
    }

    @Override
    public synchronized void replaceSubjects(String id, StoredSubjects stored) {
        subjects.put(id, stored);
    }

    @Override
    public synchronized Optional<ConfirmationCode> code(String requestId) {
        return Optional.ofNullable(codes.get(requestId));
    }

    @Override
    public synchronized Optional<ConfirmationCode> countAttempt(String requestId, int maxAttempts) {
        ConfirmationCode code = codes.get(requestId);
        if (code == null || code.used() || code.attempts() >= maxAttempts) {
            return Optional.empty();
        }
        ConfirmationCode counted = new ConfirmationCode(code.requestId(), code.codeHash(), code.expiresAt(),
                code.attempts() + 1, false);
        codes.put(requestId, counted);
        return Optional.of(counted);
    }

    @Override
    public synchronized boolean useCode(String requestId) {
        ConfirmationCode code = codes.get(requestId);
        if (code == null || code.used()) {
            return false;
        }
        codes.put(requestId, new ConfirmationCode(code.requestId(), code.codeHash(), code.expiresAt(),
                code.attempts(), true));
        return true;
    }

    @Override
    public synchronized void suppress(SubjectType type, Collection<String> subjectHashes, Instant since,
                                      String requestId) {
        subjectHashes.forEach(hash -> suppressions.putIfAbsent(type + "#" + hash, since));
    }

    @Override
    public synchronized void unsuppress(SubjectType type, Collection<String> subjectHashes) {
        subjectHashes.forEach(hash -> suppressions.remove(type + "#" + hash));
    }

    @Override
    public synchronized Optional<Instant> suppressedSince(SubjectType type, String subjectHash) {
        return Optional.ofNullable(suppressions.get(type + "#" + subjectHash));
    }

    @Override
    public synchronized List<PrivacyRequest> openRequests() {
        return requests.values().stream().filter(r -> !r.status().terminal())
                .sorted(Comparator.comparing(PrivacyRequest::dueAt).thenComparing(PrivacyRequest::id)).toList();
    }
}
