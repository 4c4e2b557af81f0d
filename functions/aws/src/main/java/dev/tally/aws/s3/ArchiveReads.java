package dev.tally.aws.s3;

import dev.tally.delivery.ObjectStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Opens archive objects for reading: one {@code GetObject}, resumed by byte range from the same version (by
 * version id and ETag) if the connection breaks ({@link ResumingInputStream}). A read that finds the object
 * changed or gone says so ({@link ObjectStore.Changed}); other S3 failures become {@link ArchiveFailure}s.
 */
final class ArchiveReads {
    private static final int RESUME_ATTEMPTS = 4;

    /** An open object: its attributes as read, and its bytes. */
    record Opened(GetObjectResponse response, InputStream content) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    private final S3Client s3;
    private final String bucket;

    ArchiveReads(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * The object (the current version when {@code versionId} is null), or empty when it is not there (deleted
     * since the listing). With {@code ifMatch}, a changed object fails with {@link ObjectStore.Changed}.
     */
    Optional<Opened> open(String key, String versionId, String ifMatch) throws ObjectStore.Changed {
        ResponseInputStream<GetObjectResponse> first;
        try {
            first = get(key, versionId, ifMatch, 0);
        } catch (ObjectStore.NotFound e) {
            return Optional.empty();
        }
        GetObjectResponse response = first.response();
        String eTag = response.eTag();
        String pinnedVersion = response.versionId() == null || "null".equals(response.versionId()) ? null
                : response.versionId();
        long length = response.contentLength() == null ? -1 : response.contentLength();
        InputStream content = new ResumingInputStream(offset -> resume(key, pinnedVersion, eTag, offset), first, length,
                RESUME_ATTEMPTS);
        return Optional.of(new Opened(response, content));
    }

    /** A failure worth retrying becomes an IOException, which {@link ResumingInputStream} retries. */
    private InputStream resume(String key, String versionId, String eTag, long offset) throws IOException {
        try {
            return get(key, versionId, eTag, offset);
        } catch (ObjectStore.NotFound e) {
            throw new ObjectStore.Changed("object");
        } catch (ArchiveFailure e) {
            if (e.retryable()) {
                throw new IOException(e.getMessage());
            }
            throw e;
        }
    }

    private ResponseInputStream<GetObjectResponse> get(String key, String versionId, String ifMatch, long offset)
            throws ObjectStore.NotFound, ObjectStore.Changed {
        try {
            return s3.getObject(RangedGet.of(bucket, key, versionId, ifMatch, offset));
        } catch (NoSuchKeyException e) {
            throw new ObjectStore.NotFound("object");
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectStore.Changed("object");
            }
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                throw new ObjectStore.NotFound("object");
            }
            throw ArchiveFailure.of(e, "GetObject");
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "GetObject");
        }
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }
}
