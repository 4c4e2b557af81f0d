package dev.tally.delivery;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One object-created notification from S3, whichever way it came (direct, as an SQS message body, or
 * as an EventBridge {@code Object Created} event).
 *
 * @param bucket    the bucket
 * @param key       the object key, URL-decoded ({@code +} is a space, {@code %3D} is {@code =})
 * @param rawKey    the key as the notification wrote it (used if the decoded key does not exist)
 * @param versionId the object version, or empty on an unversioned bucket
 * @param eTag      the object's ETag, or empty
 * @param sequencer S3's sequencer for the key, or empty: orders events on one key
 * @param size      the size the notification states, or -1; never trusted (it may exceed 2^31)
 * @param eventTime when S3 says the event happened, or null
 * @param message   the SQS message that carried it (for a partial batch failure), or empty
 */
public record ObjectCreated(String bucket, String key, String rawKey, String versionId, String eTag,
                            String sequencer, long size, Instant eventTime, String message) {

    /** The sequencer as a number (S3 compares sequencers of one key as hexadecimal values); 0 if absent. */
    public BigInteger sequencerValue() {
        try {
            return sequencer.isEmpty() ? BigInteger.ZERO : new BigInteger(sequencer, 16);
        } catch (NumberFormatException e) {
            return BigInteger.ZERO;
        }
    }

    /** {@code s3://bucket/key}. */
    public String uri() {
        return "s3://" + bucket + "/" + key;
    }
}
