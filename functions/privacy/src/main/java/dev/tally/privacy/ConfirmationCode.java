package dev.tally.privacy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * The one-time code an end user confirms a request with, as stored: only its keyed hash (bound to the request,
 * so a code of one request never confirms another), when it expires, how many guesses were made, and whether it
 * was used. Codes are six digits from a secure random source.
 */
public record ConfirmationCode(String requestId, String codeHash, Instant expiresAt, int attempts, boolean used) {

    /** How codes behave: the spec's 15 minutes and 5 attempts unless configured. */
    public record Policy(Duration ttl, int maxAttempts) {
        public static final Policy DEFAULT = new Policy(Duration.ofMinutes(15), 5);

        public Policy {
            if (ttl.isNegative() || ttl.isZero() || maxAttempts < 1) {
                throw new IllegalArgumentException("code ttl and attempts must be positive");
            }
        }
    }

    /** Six digits, leading zeros kept. */
    public static String newCode(SecureRandom random) {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    public static String hash(PrivacyKeys keys, String requestId, String code) {
        return keys.hash("code:" + requestId, code);
    }

    public static ConfirmationCode issued(PrivacyKeys keys, String requestId, String code, Instant now, Policy policy) {
        return new ConfirmationCode(requestId, hash(keys, requestId, code), now.plus(policy.ttl()), 0, false);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean matches(PrivacyKeys keys, String code) {
        return PrivacyKeys.sameHash(codeHash, hash(keys, requestId, code));
    }
}
