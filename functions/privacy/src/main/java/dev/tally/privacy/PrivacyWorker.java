package dev.tally.privacy;

import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Carries confirmed requests out: a request handed to processing becomes {@code RUNNING} and one work item per
 * pending receipt; each work item takes its receipt ({@link PrivacyStore#claimReceipt}), runs the target's
 * executor, and records the outcome — done, not supported, failed for good, or retried later with exponential
 * backoff and full jitter, up to the configured attempts, then {@code FAILED} and dead-lettered. The last receipt
 * to end closes the request by one conditional transition, so two workers finishing at once cannot both close it,
 * nor can neither: each re-reads the receipts after its own write. A {@code FINISHED} request's subject ids are
 * replaced by their keyed hashes; one with a failed target keeps them sealed for a retry. Everything is at least once: a redelivered message finds its receipt taken or ended and does
 * nothing. Log lines name request ids, targets, statuses and counts only.
 */
public final class PrivacyWorker {
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyWorker.class);
    /** SQS's longest delivery delay. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final PrivacyStore store;
    private final RequestSubjects subjects;
    private final Map<TargetKind, TargetExecutor> executors;
    private final PrivacyConfig config;
    private final WorkQueue queue;
    private final Duration lease;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param lease how long a taken receipt belongs to its worker; after that a redelivered item may take it over
     *              (longer than the worker's timeout)
     */
    public PrivacyWorker(PrivacyStore store, RequestSubjects subjects, Map<TargetKind, TargetExecutor> executors,
                         PrivacyConfig config, WorkQueue queue, Duration lease, Clock clock, RandomGenerator random) {
        this.store = store;
        this.subjects = subjects;
        this.executors = Map.copyOf(executors);
        this.config = config;
        this.queue = queue;
        this.lease = lease;
        this.clock = clock;
        this.random = random;
    }

    /** A request from the processing queue: {@code RUNNING}, one work item per pending receipt. */
    public void start(String requestId) {
        Optional<PrivacyRequest> found = store.request(requestId);
        if (found.isEmpty()) {
            LOG.warn("privacy request {} handed to processing does not exist; dropped", requestId);
            return;
        }
        PrivacyRequest request = found.get();
        if (request.status() == RequestStatus.QUEUED) {
            request = store.transition(requestId, EnumSet.of(RequestStatus.QUEUED), RequestStatus.RUNNING, now(), null)
                    .orElseGet(() -> store.request(requestId).orElseThrow());
        }
        if (request.status() != RequestStatus.RUNNING) {
            LOG.info("privacy request {} is {}: nothing to start", requestId, request.status());
            return;
        }
        int items = 0;
        for (Receipt receipt : request.receipts()) {
            // A pending receipt with attempts is waiting out its backoff: its own item is on the way.
            if (receipt.status() == ReceiptStatus.PENDING && receipt.attempts() == 0) {
                queue.send(WorkItem.of(requestId, receipt.target()), receipt.kind() == TargetKind.S3_ARCHIVE
                        ? ArchiveBatching.delay(config.archiveBatch()) : Duration.ZERO);
                items++;
            }
        }
        LOG.info("privacy request {} running: {} of {} target(s) to do", requestId, items, request.receipts().size());
        finishIfDone(requestId);
    }

    /** One work item from the work queue. */
    public void work(WorkItem item) {
        Optional<PrivacyRequest> request = store.request(item.requestId());
        if (request.isEmpty() || request.get().status() != RequestStatus.RUNNING) {
            LOG.info("privacy request {}: work for {} skipped, the request is {}", item.requestId(), item.target(),
                    request.map(r -> r.status().name()).orElse("gone"));
            return;
        }
        Optional<Target> target = config.target(item.target());
        Optional<Receipt> taken = store.claimReceipt(item.requestId(), item.target(), now(), now().minus(lease));
        if (taken.isEmpty()) {
            boolean inProgress = request.get().receipts().stream().anyMatch(r -> r.target().equals(item.target())
                    && r.status() == ReceiptStatus.IN_PROGRESS);
            if (inProgress) {
                // Another worker holds it, or held it and died: the item comes back, and takes it once the lease ends.
                throw new ReceiptBusyException(item.requestId(), item.target());
            }
            LOG.info("privacy request {}: {} is done already", item.requestId(), item.target());
            return;
        }
        // A poll of a destination's job is not an attempt: what the receipt records next gives the count back.
        Receipt receipt = item.polling() ? withAttempts(taken.get(), Math.max(0, taken.get().attempts() - 1))
                : taken.get();
        List<ArchiveBatching.Claim> claims = new java.util.ArrayList<>();
        claims.add(new ArchiveBatching.Claim(request.get(), receipt, item));
        Optional<TargetOutcome> refused = refusal(target, item.target(), request.get().type());
        TargetOutcome outcome;
        if (refused.isPresent()) {
            outcome = refused.get();
        } else {
            // Each request's ids are opened once: for the batch's count, and then for the work.
            Map<String, List<String>> ids = new java.util.LinkedHashMap<>();
            ids.put(request.get().id(), subjects.open(request.get().id()));
            if (target.get().kind() == TargetKind.S3_ARCHIVE && !item.polling()) {
                claims.addAll(ArchiveBatching.mates(store, target.get(), request.get(), ids,
                        config.archiveBatch().maxSubjects(), subjects::open, now(), now().minus(lease)));
            }
            outcome = run(claims, ids, target.get(), item);
        }
        for (ArchiveBatching.Claim claim : claims) {
            record(claim.request(), claim.receipt(), claim.item(), outcome);
        }
    }

    /** Why the work cannot run at all (no such target, no executor of its kind, a type it does not do), if so. */
    private Optional<TargetOutcome> refusal(Optional<Target> target, String name, RequestType type) {
        if (target.isEmpty()) {
            return Optional.of(new TargetOutcome.Failed("target " + name + " is no longer configured"));
        }
        if (!executors.containsKey(target.get().kind())) {
            return Optional.of(new TargetOutcome.NotSupported("no worker for " + target.get().kind()));
        }
        if (!target.get().supports(type)) {
            return Optional.of(new TargetOutcome.NotSupported(name + " does not carry out " + type));
        }
        return Optional.empty();
    }

    /** Runs the work of the claims (one request, or the archive's batch) in one call of the target's executor. */
    private TargetOutcome run(List<ArchiveBatching.Claim> claims, Map<String, List<String>> ids, Target target,
                              WorkItem item) {
        PrivacyRequest first = claims.get(0).request();
        TargetExecutor executor = executors.get(target.kind());
        TargetWork work = new TargetWork(target, first.type(), first.subjectType(), ids,
                claims.get(0).receipt().attempts());
        if (claims.size() > 1) {
            LOG.info("privacy request {}: {} in one pass with {} other request(s)", first.id(), target.name(),
                    claims.size() - 1);
        }
        try {
            return item.polling() ? executor.poll(work, item.pollState()) : executor.execute(work);
        } catch (RuntimeException e) {
            LOG.warn("privacy request {}: {} failed with {}", first.id(), target.name(), e.getClass().getName());
            return new TargetOutcome.Retry(e.getClass().getSimpleName(), Optional.empty());
        }
    }

    private void record(PrivacyRequest request, Receipt taken, WorkItem item, TargetOutcome outcome) {
        Instant now = now();
        Set<ReceiptStatus> inProgress = EnumSet.of(ReceiptStatus.IN_PROGRESS);
        if (outcome instanceof TargetOutcome.Done done) {
            end(request, taken, ReceiptStatus.SUCCEEDED, null,
                    done.evidenceByRequest().getOrDefault(request.id(), Map.of()), now);
        } else if (outcome instanceof TargetOutcome.NotSupported not) {
            end(request, taken, ReceiptStatus.NOT_SUPPORTED, not.reason(), taken.evidence(), now);
        } else if (outcome instanceof TargetOutcome.Failed failed) {
            // Dead-lettered first: if ending the receipt then fails, the item comes again and ends it.
            queue.deadLetter(item, failed.error());
            end(request, taken, ReceiptStatus.FAILED, failed.error(), taken.evidence(), now);
        } else if (outcome instanceof TargetOutcome.Retry retry) {
            if (taken.attempts() >= config.retry().maxAttempts()) {
                queue.deadLetter(item, retry.error());
                end(request, taken, ReceiptStatus.FAILED, retry.error(), taken.evidence(), now);
                return;
            }
            Receipt again = new Receipt(taken.target(), taken.kind(), ReceiptStatus.PENDING, taken.attempts(),
                    retry.error(), taken.startedAt(), null, taken.evidence());
            if (store.updateReceipt(request.id(), again, inProgress).isPresent()) {
                Duration delay = backoff(taken.attempts(), retry.after());
                queue.send(new WorkItem(request.id(), taken.target(), item.pollState()), delay);
                LOG.info("privacy request {}: {} attempt {} failed ({}); again in {} s", request.id(),
                        taken.target(), taken.attempts(), retry.error(), delay.toSeconds());
            }
        } else if (outcome instanceof TargetOutcome.Pending pending) {
            // Waiting on the destination's job: released for the poll, which is not counted as an attempt.
            Receipt waiting = new Receipt(taken.target(), taken.kind(), ReceiptStatus.PENDING,
                    taken.attempts(), null, taken.startedAt(), null,
                    pending.evidenceByRequest().getOrDefault(request.id(), taken.evidence()));
            if (store.updateReceipt(request.id(), waiting, inProgress).isPresent()) {
                queue.send(new WorkItem(request.id(), taken.target(), pending.state()),
                        min(pending.pollAfter(), MAX_DELAY));
            }
        }
    }

    private void end(PrivacyRequest request, Receipt taken, ReceiptStatus status, String error,
                     Map<String, Object> evidence, Instant now) {
        Receipt ended = new Receipt(taken.target(), taken.kind(), status, taken.attempts(), error, taken.startedAt(),
                now, evidence);
        if (store.updateReceipt(request.id(), ended, EnumSet.of(ReceiptStatus.IN_PROGRESS)).isPresent()) {
            LOG.info("privacy request {}: {} {} after {} attempt(s)", request.id(), taken.target(), status,
                    taken.attempts());
            finishIfDone(request.id());
        }
    }

    private static Receipt withAttempts(Receipt receipt, int attempts) {
        return new Receipt(receipt.target(), receipt.kind(), receipt.status(), attempts, receipt.lastError(),
                receipt.startedAt(), receipt.finishedAt(), receipt.evidence());
    }

    /** Closes the request when every receipt has ended (idempotent; one of racing closers wins). */
    public void finishIfDone(String requestId) {
        PrivacyRequest request = store.request(requestId).orElseThrow();
        if (request.status() != RequestStatus.RUNNING) {
            return;
        }
        Optional<RequestStatus> ending = RequestCompletion.of(request.receipts());
        if (ending.isPresent() && store.transition(requestId, EnumSet.of(RequestStatus.RUNNING), ending.get(), now(),
                ending.get() == RequestStatus.FAILED ? "TARGETS_FAILED" : null).isPresent()) {
            // Done everywhere: the ids go. A target that failed still holds the subject's data, so the sealed ids
            // stay for a retry (POST /privacy-requests/{id}/retry) until it succeeds.
            if (ending.get() == RequestStatus.FINISHED) {
                subjects.forget(requestId);
            }
            LOG.info("privacy request {} {}", requestId, ending.get());
        }
    }

    /** Exponential, from the configured base, with full jitter; at least what the target asked; at most 15 min. */
    Duration backoff(int attempt, Optional<Duration> asked) {
        long base = config.retry().baseDelay().toMillis();
        long ceiling = Math.min(MAX_DELAY.toMillis(), base << Math.min(attempt - 1, 20));
        Duration jittered = Duration.ofMillis(random.nextLong(ceiling / 2, ceiling + 1));
        return min(asked.filter(a -> a.compareTo(jittered) > 0).orElse(jittered), MAX_DELAY);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A work item whose receipt is in progress under another worker's lease: the item must come again (an SQS
     * batch failure), not be dropped, so that it takes the receipt over if that worker died.
     */
    public static final class ReceiptBusyException extends RuntimeException {
        public ReceiptBusyException(String requestId, String target) {
            super("privacy request " + requestId + ": " + target + " is in progress under another worker's lease",
                    null, false, false);
        }
    }

    /** The executors by kind, from a list. */
    public static Map<TargetKind, TargetExecutor> byKind(List<TargetExecutor> executors) {
        Map<TargetKind, TargetExecutor> map = new java.util.EnumMap<>(TargetKind.class);
        executors.forEach(e -> map.put(e.kind(), e));
        return map;
    }
}
