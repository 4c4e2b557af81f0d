package dev.tally.privacy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The privacy requests engine behind the HTTP API (and OpenDSR): create, read, confirm, cancel, and check a
 * suppression — with the authorization rules of privacy.md applied to a {@link Caller} the gateway
 * authenticated. Every decision two concurrent calls could both take is one conditional write in the
 * {@link PrivacyStore}. Log lines name request ids, types and counts, never a subject id, an email or a code.
 */
public final class PrivacyRequests {
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyRequests.class);
    /** A key whose request has not appeared after this long is taken to be abandoned by a creator that died. */
    static final Duration KEY_TAKEOVER_AFTER = Duration.ofSeconds(30);
    /** How long a concurrent retry waits for the first call to finish creating the request. */
    static final Duration RETRY_WAIT = Duration.ofSeconds(10);
    public static final String CONFIRMATION_FAILED = "CONFIRMATION_FAILED";

    private final PrivacyStore store;
    private final CodeSender codes;
    private final ProcessingQueue queue;
    private final PrivacyKeys keys;
    private final RequestSubjects subjects;
    private final PrivacyConfig config;
    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param codePolicy      how long codes live and how many guesses they allow
     * @param recordRetention how long idempotency keys (and so OpenDSR lookups by {@code subject_request_id}) are
     *                        kept, as long as the records themselves
     */
    public record Settings(ConfirmationCode.Policy codePolicy, Duration recordRetention) {
        public static final Settings DEFAULT = new Settings(ConfirmationCode.Policy.DEFAULT, Duration.ofDays(760));
    }

    /** A request as answered to a create: {@code created} false when an idempotent retry found it. */
    public record Created(PrivacyRequest request, boolean created) {
    }

    /** What a sweep did, for the scheduled function's metrics. */
    public record Sweep(int open, int overdue, int handedOver, int confirmationsExpired) {
    }

    public PrivacyRequests(PrivacyStore store, CodeSender codes, ProcessingQueue queue, PrivacyKeys keys,
                           PrivacyConfig config, Settings settings, Clock clock, SecureRandom random) {
        this.store = store;
        this.codes = codes;
        this.queue = queue;
        this.keys = keys;
        this.subjects = new RequestSubjects(store, keys);
        this.config = config;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Creates a request, or finds the one an idempotency key already names.
     *
     * @param idempotencyKey the {@code Idempotency-Key} header, else the body's {@code client_request_id}
     * @throws PrivacyException FORBIDDEN when an end user names someone else, INVALID_FIELD for an unknown
     *                          target, CONFLICT when the key names a different request, UNAVAILABLE when a code
     *                          could not be sent
     */
    public Created create(Caller caller, NewRequest asked, Optional<String> idempotencyKey) {
        authorizeSubjects(caller, asked);
        List<Target> targets = targets(asked.targets());
        String fingerprint = keys.hash("request:" + caller.identity(), asked.canonical());
        Optional<String> key = idempotencyKey.or(asked::clientRequestId);
        Instant now = now();
        String id = UUID.randomUUID().toString();
        IdempotencyRecord held = null;
        if (key.isPresent()) {
            IdempotencyRecord candidate = new IdempotencyRecord(keyHash(caller, key.get()), id, fingerprint, now,
                    now.plus(settings.recordRetention()));
            held = store.takeIdempotencyKey(candidate);
            if (!held.equals(candidate)) {
                Optional<Created> existing = existing(held, candidate, fingerprint);
                if (existing.isPresent()) {
                    return existing.get();
                }
                held = candidate;
            }
        }
        PrivacyRequest request = newRequest(caller, asked, targets, id, fingerprint, now);
        Optional<ConfirmationCode> code = Optional.empty();
        if (!caller.admin()) {
            String digits = ConfirmationCode.newCode(random);
            code = Optional.of(ConfirmationCode.issued(keys, id, digits, now, settings.codePolicy()));
            try {
                codes.send(id, caller.email().orElseThrow(), digits, code.get().expiresAt());
            } catch (CodeSender.CodeNotSentException e) {
                LOG.warn("confirmation code for request {} not sent: {}", id, e.getMessage());
                if (held != null) {
                    // Nothing was created: mark the key abandoned so a retry under it starts afresh at once.
                    store.replaceIdempotencyKey(held, new IdempotencyRecord(held.keyHash(), held.requestId(),
                            held.fingerprint(), Instant.EPOCH, held.expiresAt()));
                }
                throw new PrivacyException(PrivacyError.UNAVAILABLE, null,
                        "the confirmation code could not be sent; try again");
            }
        }
        if (!store.create(request, subjects.seal(id, asked.subjectIds()), code)) {
            // Only a taken-over key can meet its request created meanwhile by the first creator.
            return new Created(store.request(id).orElseThrow(), false);
        }
        LOG.info("privacy request {} created: {} of {} {} subject(s) under {}, status {}, by {}", id, asked.type(),
                asked.subjectIds().size(), asked.subjectType(), asked.regulation(), request.status(),
                caller.admin() ? caller.authentication() + " admin" : "end user");
        if (caller.admin()) {
            applySuppressions(request, asked.subjectIds());
            return new Created(handOver(request), true);
        }
        return new Created(request, true);
    }

    /** The request, if the caller may see it. */
    public PrivacyRequest get(Caller caller, String id) {
        return visible(caller, id);
    }

    /** The request an idempotency key of this caller names (OpenDSR reads requests by its own id). */
    public PrivacyRequest getByKey(Caller caller, String idempotencyKey) {
        IdempotencyRecord held = store.idempotencyKey(keyHash(caller, idempotencyKey))
                .orElseThrow(PrivacyException::notFound);
        return visible(caller, held.requestId());
    }

    /** Cancels by the caller's idempotency key (OpenDSR). */
    public PrivacyRequest cancelByKey(Caller caller, String idempotencyKey) {
        return cancel(caller, getByKey(caller, idempotencyKey).id());
    }

    /**
     * Confirms an end user's request with its code: {@code QUEUED} and handed to processing when right; a wrong
     * code is INVALID_FIELD (field {@code code}) until the last allowed guess, which — like an expired code —
     * fails the request ({@code CONFIRMATION_FAILED}) and answers LOCKED.
     */
    public PrivacyRequest confirm(Caller caller, String id, String code) {
        PrivacyRequest request = visible(caller, id);
        int maxAttempts = settings.codePolicy().maxAttempts();
        if (request.status() != RequestStatus.AWAITING_CONFIRMATION) {
            return confirmedAlready(request, code);
        }
        ConfirmationCode stored = store.code(id).orElseThrow(() -> new PrivacyException(PrivacyError.CONFLICT,
                null, "this request needs no confirmation"));
        if (stored.expired(now())) {
            fail(id, "expired code");
            throw locked("the confirmation code has expired");
        }
        Optional<ConfirmationCode> counted = store.countAttempt(id, maxAttempts);
        if (counted.isEmpty()) {
            PrivacyRequest current = store.request(id).orElseThrow();
            if (current.status() != RequestStatus.AWAITING_CONFIRMATION) {
                return confirmedAlready(current, code);
            }
            fail(id, "no guesses left");
            throw locked("too many wrong codes");
        }
        if (!counted.get().matches(keys, code)) {
            LOG.info("privacy request {}: wrong confirmation code, guess {} of {}", id, counted.get().attempts(),
                    maxAttempts);
            if (counted.get().attempts() >= maxAttempts) {
                fail(id, "too many wrong codes");
                throw locked("too many wrong codes");
            }
            throw PrivacyException.invalid("code", "the code is not right");
        }
        if (!store.useCode(id)) {
            return confirmedAlready(store.request(id).orElseThrow(), code);
        }
        Optional<PrivacyRequest> queued = store.transition(id, EnumSet.of(RequestStatus.AWAITING_CONFIRMATION),
                RequestStatus.QUEUED, now(), null);
        if (queued.isEmpty()) {
            PrivacyRequest current = store.request(id).orElseThrow();
            throw new PrivacyException(PrivacyError.CONFLICT, null, "the request is " + current.status());
        }
        LOG.info("privacy request {} confirmed", id);
        applySuppressions(queued.get(), subjects.open(id));
        return handOver(queued.get());
    }

    /** Cancels a request before processing began; CONFLICT after. */
    public PrivacyRequest cancel(Caller caller, String id) {
        PrivacyRequest request = visible(caller, id);
        if (request.status() == RequestStatus.CANCELLED) {
            return request;
        }
        PrivacyRequest cancelled = store.transition(id, EnumSet.of(RequestStatus.AWAITING_CONFIRMATION,
                        RequestStatus.QUEUED), RequestStatus.CANCELLED, now(), null)
                .orElseThrow(() -> new PrivacyException(PrivacyError.CONFLICT, null,
                        "processing has begun; the request can no longer be cancelled"));
        LOG.info("privacy request {} cancelled", id);
        subjects.forget(id);
        return cancelled;
    }

    /**
     * Runs the failed targets of a request again (admins): its {@code FAILED} receipts back to {@code PENDING}
     * with their attempts reset, the request {@code RUNNING} again and handed to processing; the targets that
     * succeeded are not run again. CONFLICT unless the request ended {@code PARTIAL_SUCCESS} or {@code FAILED} in
     * its targets (a request that failed confirmation has nothing to retry).
     */
    public PrivacyRequest retryFailed(Caller caller, String id) {
        if (!caller.admin()) {
            throw new PrivacyException(PrivacyError.FORBIDDEN, null, "retrying a request needs the admin role");
        }
        PrivacyRequest request = visible(caller, id);
        boolean retryable = request.status() == RequestStatus.PARTIAL_SUCCESS
                || request.status() == RequestStatus.FAILED && !CONFIRMATION_FAILED.equals(request.failureReason());
        if (!retryable || store.subjects(id).map(s -> s.form() != StoredSubjects.Form.SEALED).orElse(true)) {
            throw new PrivacyException(PrivacyError.CONFLICT, null, "the request is " + request.status()
                    + "; only requests whose targets failed can be retried");
        }
        PrivacyRequest running = store.transition(id, EnumSet.of(RequestStatus.PARTIAL_SUCCESS, RequestStatus.FAILED),
                RequestStatus.RUNNING, now(), null).orElseThrow(() -> new PrivacyException(PrivacyError.CONFLICT,
                null, "the request changed meanwhile; read it and try again"));
        int reset = 0;
        for (Receipt receipt : running.receipts()) {
            if (receipt.status() == ReceiptStatus.FAILED && store.updateReceipt(id, new Receipt(receipt.target(),
                    receipt.kind(), ReceiptStatus.PENDING, 0, receipt.lastError(), null, null, receipt.evidence()),
                    EnumSet.of(ReceiptStatus.FAILED)).isPresent()) {
                reset++;
            }
        }
        LOG.info("privacy request {}: {} failed target(s) to run again", id, reset);
        handOver(running);
        return store.request(id).orElseThrow();
    }

    /** Since when a subject is suppressed, if it is (admins only). */
    public Optional<Instant> suppressedSince(Caller caller, SubjectType type, String subjectId) {
        if (!caller.admin()) {
            throw new PrivacyException(PrivacyError.FORBIDDEN, null, "checking suppressions needs the admin role");
        }
        return store.suppressedSince(type, keys.subjectHash(type, subjectId));
    }

    /**
     * The scheduled sweep: requests whose confirmation lapsed are failed, confirmed ones that were not handed to
     * processing (the queue was down) are handed over again, and open requests past their due date are counted.
     */
    public Sweep sweep() {
        Instant now = now();
        int open = 0;
        int overdue = 0;
        int handedOver = 0;
        int expired = 0;
        for (PrivacyRequest request : store.openRequests()) {
            open++;
            if (request.overdue(now)) {
                overdue++;
            }
            if (request.status() == RequestStatus.AWAITING_CONFIRMATION
                    && store.code(request.id()).map(c -> c.expired(now)).orElse(true)) {
                if (store.transition(request.id(), EnumSet.of(RequestStatus.AWAITING_CONFIRMATION),
                        RequestStatus.FAILED, now, CONFIRMATION_FAILED).isPresent()) {
                    subjects.forget(request.id());
                    expired++;
                }
            } else if (request.status() == RequestStatus.QUEUED && !request.handedOver()
                    && request.updatedAt().isBefore(now.minus(Duration.ofMinutes(1)))) {
                if (handOver(request).handedOver()) {
                    handedOver++;
                }
            }
        }
        LOG.info("privacy sweep: {} open, {} overdue, {} handed over again, {} confirmations lapsed", open, overdue,
                handedOver, expired);
        return new Sweep(open, overdue, handedOver, expired);
    }

    /** The request's subject ids, opened and forgotten for the API and the workers alike. */
    public RequestSubjects subjects() {
        return subjects;
    }

    private Optional<Created> existing(IdempotencyRecord held, IdempotencyRecord candidate, String fingerprint) {
        if (!PrivacyKeys.sameHash(held.fingerprint(), fingerprint)) {
            throw new PrivacyException(PrivacyError.CONFLICT, null,
                    "this idempotency key was used for a different request");
        }
        Instant deadline = now().plus(RETRY_WAIT);
        while (true) {
            Optional<PrivacyRequest> request = store.request(held.requestId());
            if (request.isPresent()) {
                return Optional.of(new Created(request.get(), false));
            }
            if (held.createdAt().isBefore(now().minus(KEY_TAKEOVER_AFTER))) {
                if (store.replaceIdempotencyKey(held, candidate)) {
                    return Optional.empty();
                }
                held = store.idempotencyKey(held.keyHash()).orElseThrow();
                continue;
            }
            if (now().isAfter(deadline)) {
                throw new PrivacyException(PrivacyError.CONFLICT, null,
                        "a request with this idempotency key is being created; retry shortly");
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PrivacyException(PrivacyError.UNAVAILABLE, null, "interrupted");
            }
        }
    }

    private PrivacyRequest newRequest(Caller caller, NewRequest asked, List<Target> targets, String id,
                                      String fingerprint, Instant now) {
        RequestStatus status = caller.admin() ? RequestStatus.QUEUED : RequestStatus.AWAITING_CONFIRMATION;
        Instant due = now.plus(config.dueDays(asked.regulation()), ChronoUnit.DAYS);
        List<Receipt> receipts = targets.stream().map(t -> Receipt.initial(t, asked.type())).toList();
        return new PrivacyRequest(id, status, asked.type(), asked.subjectType(), asked.subjectIds().size(),
                asked.regulation(), now, due, null, caller.admin() ? caller.principal() : PrivacyRequest.END_USER,
                ownerHash(caller), fingerprint, null, false, now, receipts);
    }

    private void authorizeSubjects(Caller caller, NewRequest asked) {
        if (caller.admin()) {
            return;
        }
        if (caller.email().isEmpty()) {
            throw new PrivacyException(PrivacyError.FORBIDDEN, null,
                    "an end user's request needs a verified email claim to send the confirmation code to");
        }
        Optional<String> own = caller.ownId(asked.subjectType());
        boolean self = own.isPresent() && asked.subjectIds().size() == 1 && asked.subjectType()
                .normalize(asked.subjectIds().get(0)).equals(asked.subjectType().normalize(own.get()));
        if (!self) {
            throw new PrivacyException(PrivacyError.FORBIDDEN, "subject_ids",
                    "an end user may name only themselves");
        }
    }

    private List<Target> targets(Optional<List<String>> named) {
        if (named.isEmpty()) {
            return config.targets();
        }
        Set<String> seen = new HashSet<>();
        return named.get().stream().map(name -> {
            if (!seen.add(name)) {
                throw PrivacyException.invalid("targets", "a target is named twice");
            }
            return config.target(name).orElseThrow(() -> PrivacyException.invalid("targets",
                    "'" + name + "' is not a configured target"));
        }).toList();
    }

    private PrivacyRequest visible(Caller caller, String id) {
        PrivacyRequest request = store.request(id).orElseThrow(PrivacyException::notFound);
        if (!caller.admin() && !PrivacyKeys.sameHash(request.owner(), ownerHash(caller))) {
            throw PrivacyException.notFound();
        }
        return request;
    }

    private PrivacyRequest confirmedAlready(PrivacyRequest request, String code) {
        if (request.status() == RequestStatus.FAILED && CONFIRMATION_FAILED.equals(request.failureReason())) {
            throw new PrivacyException(PrivacyError.LOCKED, "code", "the request failed confirmation");
        }
        Optional<ConfirmationCode> stored = store.code(request.id());
        if (request.status() != RequestStatus.AWAITING_CONFIRMATION && stored.isPresent() && stored.get().used()
                && stored.get().matches(keys, code)) {
            return request;
        }
        throw new PrivacyException(PrivacyError.CONFLICT, null, "the request is " + request.status()
                + " and cannot be confirmed");
    }

    private void fail(String id, String why) {
        Optional<PrivacyRequest> failed = store.transition(id, EnumSet.of(RequestStatus.AWAITING_CONFIRMATION),
                RequestStatus.FAILED, now(), CONFIRMATION_FAILED);
        failed.ifPresent(r -> {
            LOG.info("privacy request {} failed confirmation: {}", id, why);
            subjects.forget(id);
        });
    }

    private static PrivacyException locked(String message) {
        return new PrivacyException(PrivacyError.LOCKED, "code", message);
    }

    private void applySuppressions(PrivacyRequest request, List<String> subjectIds) {
        if (!request.type().suppresses() && request.type() != RequestType.UNSUPPRESS) {
            return;
        }
        List<String> hashes = subjectIds.stream().map(id -> keys.subjectHash(request.subjectType(), id))
                .distinct().toList();
        if (request.type() == RequestType.UNSUPPRESS) {
            store.unsuppress(request.subjectType(), hashes);
        } else {
            store.suppress(request.subjectType(), hashes, request.updatedAt(), request.id());
        }
        LOG.info("privacy request {}: {} subject(s) {}", request.id(), hashes.size(),
                request.type() == RequestType.UNSUPPRESS ? "unsuppressed" : "suppressed");
    }

    private PrivacyRequest handOver(PrivacyRequest request) {
        try {
            queue.enqueue(request.id());
        } catch (RuntimeException e) {
            LOG.warn("privacy request {} not handed to processing yet ({}); the sweep will retry", request.id(),
                    e.getClass().getSimpleName());
            return request;
        }
        store.markHandedOver(request.id(), now());
        return request.withHandedOver(true);
    }

    private String keyHash(Caller caller, String key) {
        return keys.hash("idempotency:" + caller.identity(), key);
    }

    private String ownerHash(Caller caller) {
        return keys.hash("owner", caller.identity());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
