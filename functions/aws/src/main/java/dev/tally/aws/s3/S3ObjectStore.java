package dev.tally.aws.s3;

import dev.tally.delivery.ObjectStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link ObjectStore} on Amazon S3 (and S3Mock, LocalStack): objects streamed with {@code GetObject},
 * resumed by byte range from the same object version or ETag if the connection breaks; the notification's
 * size is never used, the object is never held whole.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final int RESUME_ATTEMPTS = 4;

    /** S3's own page size for listings. */
    private static final int LIST_PAGE = 1000;

    private final S3Client s3;
    private final int listPage;

    public S3ObjectStore(S3Client s3) {
        this(s3, LIST_PAGE);
    }

    /** @param listPage keys per listing page (small in tests, to list across pages) */
    S3ObjectStore(S3Client s3, int listPage) {
        this.s3 = s3;
        this.listPage = listPage;
    }

    @Override
    public Optional<StoredObject> head(String bucket, String key, String versionId) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> {
                b.bucket(bucket).key(key);
                if (!versionId.isEmpty()) {
                    b.versionId(versionId);
                }
            });
            return Optional.of(new StoredObject(bucket, key, head.versionId() == null ? "" : head.versionId(),
                    unquote(head.eTag()), head.lastModified(), head.contentLength() == null ? -1 : head.contentLength()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException(uri(bucket, key) + ": " + e.awsErrorDetails().errorMessage(), e);
        }
    }

    @Override
    public InputStream get(String bucket, String key, String versionId, String ifMatch) throws IOException {
        ResponseInputStream<GetObjectResponse> first = open(bucket, key, versionId, ifMatch, 0);
        String pinnedETag = unquote(first.response().eTag());
        String pinnedVersion = first.response().versionId() == null ? versionId : first.response().versionId();
        Long length = first.response().contentLength();
        return new ResumingInputStream(offset -> open(bucket, key, versionId.isEmpty() ? "" : pinnedVersion,
                versionId.isEmpty() ? pinnedETag : "", offset), first, length == null ? -1 : length, RESUME_ATTEMPTS);
    }

    private ResponseInputStream<GetObjectResponse> open(String bucket, String key, String versionId, String ifMatch,
                                                        long offset) throws IOException {
        return request(bucket, key, RangedGet.of(bucket, key, versionId, ifMatch, offset));
    }

    private ResponseInputStream<GetObjectResponse> request(String bucket, String key, GetObjectRequest request)
            throws IOException {
        try {
            return s3.getObject(request);
        } catch (NoSuchKeyException e) {
            throw new NotFound(uri(bucket, key));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new Changed(uri(bucket, key));
            }
            if (e.statusCode() == 404) {
                throw new NotFound(uri(bucket, key));
            }
            throw new IOException(uri(bucket, key) + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new IOException(uri(bucket, key) + ": " + e.getMessage(), e);
        }
    }

    /** One ranged GET (Parquet: the footer, then each row group's projected column chunks). */
    @Override
    public void readRange(String bucket, String key, String versionId, String ifMatch, long position, byte[] into,
                          int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        try (ResponseInputStream<GetObjectResponse> in = request(bucket, key,
                RangedGet.of(bucket, key, versionId, ifMatch, position, length))) {
            if (in.readNBytes(into, offset, length) < length) {
                throw new java.io.EOFException(uri(bucket, key) + ": ends before byte " + (position + length));
            }
        }
    }

    @Override
    public void put(String bucket, String key, byte[] content, String contentType) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
        } catch (S3Exception e) {
            throw new IOException(uri(bucket, key) + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new IOException(uri(bucket, key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean putIfAbsent(String bucket, String key, byte[] content, String contentType) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*"),
                    RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw new IOException(uri(bucket, key) + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new IOException(uri(bucket, key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String bucket, String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(listPage)).contents()
                    .forEach(object -> keys.add(object.key()));
            return keys;
        } catch (S3Exception e) {
            throw new IOException(uri(bucket, prefix) + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new IOException(uri(bucket, prefix) + ": " + e.getMessage(), e);
        }
    }

    private static String unquote(String eTag) {
        if (eTag == null) {
            return "";
        }
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"") ? eTag.substring(1, eTag.length() - 1)
                : eTag;
    }

    private static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }
}
