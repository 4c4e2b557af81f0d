package dev.tally.privacy;

import java.time.Instant;

/**
 * An idempotency key taken by a request: {@code Idempotency-Key}, {@code client_request_id} or OpenDSR's
 * {@code subject_request_id}, stored as a keyed hash scoped to the caller (two callers' keys never collide, and
 * a key says nothing about who sent it).
 *
 * @param createdAt when the key was taken; a key whose request never appeared may be taken over after a while
 *                  (its creator died between taking the key and storing the request)
 */
public record IdempotencyRecord(String keyHash, String requestId, String fingerprint, Instant createdAt,
                                Instant expiresAt) {
}
