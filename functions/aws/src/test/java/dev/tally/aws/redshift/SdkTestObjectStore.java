package dev.tally.aws.redshift;

import dev.tally.delivery.ObjectStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Just enough of an {@link ObjectStore} over the SDK's {@link S3Client} for the warehouse tests to write a run's
 * tables to the S3 emulator and for {@link JdbcWarehouse} to read them (no S3 adapter in main to lean on here).
 */
final class SdkTestObjectStore implements ObjectStore {
    private final S3Client s3;

    SdkTestObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<StoredObject> head(String bucket, String key, String versionId) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new StoredObject(bucket, key, "", head.eTag(), head.lastModified(),
                    head.contentLength()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException(e);
        }
    }

    @Override
    public InputStream get(String bucket, String key, String versionId, String ifMatch) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NotFound("s3://" + bucket + "/" + key);
        } catch (S3Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public void put(String bucket, String key, byte[] content, String contentType) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
        } catch (S3Exception e) {
            throw new IOException(e);
        }
    }
}
