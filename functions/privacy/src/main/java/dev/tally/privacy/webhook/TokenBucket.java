package dev.tally.privacy.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A destination's rate limit: {@code ratePerSecond} tokens a second, at most one second's worth (and at least one)
 * saved up. Each call takes a token; without one it reserves the next and sleeps until then, so callers on several
 * threads are spaced out too. Thread-safe.
 */
final class TokenBucket {
    private final double ratePerSecond;
    private final double capacity;
    private final Clock clock;
    private final Sleeper sleeper;
    private double tokens;
    private Instant last;

    TokenBucket(double ratePerSecond, Clock clock, Sleeper sleeper) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("a rate must be positive: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = Math.max(1, ratePerSecond);
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = capacity;
        this.last = clock.instant();
    }

    /** Takes a token, waiting for it if need be. */
    void acquire() throws InterruptedException {
        Duration wait;
        synchronized (this) {
            Instant now = clock.instant();
            if (now.isAfter(last)) {
                double seconds = Duration.between(last, now).toNanos() / 1e9;
                tokens = Math.min(capacity, tokens + seconds * ratePerSecond);
                last = now;
            }
            tokens -= 1;
            wait = tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / ratePerSecond * 1e9));
        }
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }
}
