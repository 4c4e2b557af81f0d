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
}
