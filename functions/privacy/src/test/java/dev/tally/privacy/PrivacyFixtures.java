package dev.tally.privacy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test doubles of the privacy ports (a recording code sender and queue, a settable clock) and callers, shared
 * with the API module's tests through the test-jar. Adapters are tested against the local endpoints instead.
 */
public final class PrivacyFixtures {
    public static final String KEY_SECRET = "test-only privacy key secret, at least 32 characters";
    public static final Caller ADMIN = new Caller(Caller.Role.ADMIN, Caller.Authentication.IAM,
            "arn:aws:iam::123456789012:role/privacy-operator", Optional.empty());

    private PrivacyFixtures() {
    }

    public static Caller endUser(String sub, String email) {
        return new Caller(Caller.Role.END_USER, Caller.Authentication.JWT, sub, Optional.ofNullable(email));
    }

    public static PrivacyKeys keys() {
        return PrivacyKeys.fromSecret(KEY_SECRET, new SecureRandom());
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A code as sent. */
    public record SentCode(String requestId, String recipient, String code, Instant expiresAt) {
    }

    /** Keeps every code it is asked to send; fails while {@link #down} is set. */
    public static final class RecordingCodeSender implements CodeSender {
        public final List<SentCode> sent = new CopyOnWriteArrayList<>();
        public final AtomicBoolean down = new AtomicBoolean();

        @Override
        public void send(String requestId, String recipient, String code, Instant expiresAt) {
            if (down.get()) {
                throw new CodeNotSentException("mail is down", null);
            }
            sent.add(new SentCode(requestId, recipient, code, expiresAt));
        }

        public String codeOf(String requestId) {
            List<SentCode> codes = new ArrayList<>(sent);
            for (int i = codes.size() - 1; i >= 0; i--) {
                if (codes.get(i).requestId().equals(requestId)) {
                    return codes.get(i).code();
                }
            }
            throw new AssertionError("no code was sent for " + requestId);
        }
    }

    /** Keeps every request id handed over; fails while {@link #down} is set. */
    public static final class RecordingQueue implements ProcessingQueue {
        public final List<String> enqueued = new CopyOnWriteArrayList<>();
        public final AtomicBoolean down = new AtomicBoolean();

        @Override
        public void enqueue(String requestId) {
            if (down.get()) {
                throw new IllegalStateException("queue is down");
            }
            enqueued.add(requestId);
        }
    }

    /** A work item as sent, with its delay. */
    public record Sent(WorkItem item, java.time.Duration delay) {
    }

    /**
     * Keeps what is sent and dead-lettered; refuses items of the requests in {@link #downFor}, and dead letters
     * while {@link #parkingDown} is set.
     */
    public static final class RecordingWorkQueue implements WorkQueue {
        public final List<Sent> sent = new CopyOnWriteArrayList<>();
        public final List<String> deadLetters = new CopyOnWriteArrayList<>();
        public final java.util.Set<String> downFor = java.util.concurrent.ConcurrentHashMap.newKeySet();
        public volatile boolean parkingDown;

        @Override
        public void send(WorkItem item, java.time.Duration delay) {
            if (downFor.contains(item.requestId())) {
                throw new IllegalStateException("the work queue is down");
            }
            sent.add(new Sent(item, delay));
        }

        @Override
        public void deadLetter(WorkItem item, String error) {
            if (parkingDown) {
                throw new IllegalStateException("the dead-letter queue is down");
            }
            deadLetters.add(item.target() + ": " + error);
        }

        public List<WorkItem> items() {
            return sent.stream().map(Sent::item).toList();
        }
    }

    /** An executor of one kind that answers what its script says, and keeps the work it was given. */
    public static final class ScriptedExecutor implements dev.tally.privacy.target.TargetExecutor {
        private final TargetKind kind;
        public final List<dev.tally.privacy.target.TargetWork> seen = new CopyOnWriteArrayList<>();
        public volatile java.util.function.Function<dev.tally.privacy.target.TargetWork,
                dev.tally.privacy.target.TargetOutcome> script =
                work -> new dev.tally.privacy.target.TargetOutcome.Failed("no script");
        public volatile java.util.function.BiFunction<dev.tally.privacy.target.TargetWork, java.util.Map<String, String>,
                dev.tally.privacy.target.TargetOutcome> poll =
                (work, state) -> new dev.tally.privacy.target.TargetOutcome.Failed("no poll");

        public ScriptedExecutor(TargetKind kind) {
            this.kind = kind;
        }

        @Override
        public TargetKind kind() {
            return kind;
        }

        @Override
        public dev.tally.privacy.target.TargetOutcome execute(dev.tally.privacy.target.TargetWork work) {
            seen.add(work);
            return script.apply(work);
        }

        @Override
        public dev.tally.privacy.target.TargetOutcome poll(dev.tally.privacy.target.TargetWork work,
                                                            java.util.Map<String, String> state) {
            return poll.apply(work, state);
        }
    }
}
