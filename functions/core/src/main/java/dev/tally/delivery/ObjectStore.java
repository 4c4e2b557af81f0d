package dev.tally.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Objects in buckets, as the billing function needs them: bills and manifests read as streams (never
 * whole: a bill can be gigabytes), outputs written whole (they are aggregates), and listed by prefix (the
 * runs of past months, for the spend report). S3 in AWS, S3Mock
 * locally; one contract suite holds every adapter to the same behaviour.
 */
public interface ObjectStore {
    /**
     * What a store says of one object (version).
     *
     * @param versionId empty on an unversioned bucket
     */
    record StoredObject(String bucket, String key, String versionId, String eTag, Instant lastModified, long size) {
    }

    /** An object that is not there (or the version asked for). */
    final class NotFound extends IOException {
        private static final long serialVersionUID = 1L;

        public NotFound(String uri) {
            super(uri + ": no such object");
        }
    }

    /** An object that is no longer the one a notification named (its ETag changed since). */
    final class Changed extends IOException {
        private static final long serialVersionUID = 1L;

        public Changed(String uri) {
            super(uri + ": the object changed since the notification (a newer one follows)");
        }
    }

    /**
     * @param versionId a version to describe, or empty for the current one
     * @return the object's metadata, or empty if it is not there
     */
    Optional<StoredObject> head(String bucket, String key, String versionId) throws IOException;

    /**
     * Streams an object from its first byte. A store may resume a broken transfer from where it broke,
     * but only of the same object (same ETag).
     *
     * @param versionId a version to read, or empty for the current one
     * @param ifMatch   an ETag the object must still have, or empty
     * @throws NotFound if it is not there
     * @throws Changed  if its ETag is no longer {@code ifMatch}
     */
    InputStream get(String bucket, String key, String versionId, String ifMatch) throws IOException;

    /**
     * Reads {@code length} bytes of an object from {@code position} (a Parquet part's footer and column chunks).
     * This default streams from the start and skips; the S3 adapter asks for just the range.
     *
     * @throws NotFound if it is not there
     * @throws Changed  if its ETag is no longer {@code ifMatch}
     * @throws java.io.EOFException if the object ends first
     */
    default void readRange(String bucket, String key, String versionId, String ifMatch, long position, byte[] into,
                           int offset, int length) throws IOException {
        try (InputStream in = get(bucket, key, versionId, ifMatch)) {
            in.skipNBytes(position);
            if (in.readNBytes(into, offset, length) < length) {
                throw new java.io.EOFException("s3://" + bucket + "/" + key + ": ends before byte " + (position + length));
            }
        }
    }

    /** Writes an object whole; a reader sees the old object or the new one, never a mixture. */
    void put(String bucket, String key, byte[] content, String contentType) throws IOException;

    /**
     * Writes an object only if there is none at the key (S3's conditional write, {@code If-None-Match: *}): of two
     * writers racing for one key, exactly one succeeds.
     *
     * @return false, writing nothing, if an object was already there
     */
    boolean putIfAbsent(String bucket, String key, byte[] content, String contentType) throws IOException;

    /**
     * The keys of the objects under a prefix (all of them, however many pages a store lists them in), in the order
     * S3 lists them: ascending by their UTF-8 bytes.
     *
     * @param prefix the start every key has ({@code ""} for all)
     */
    List<String> list(String bucket, String prefix) throws IOException;
}
