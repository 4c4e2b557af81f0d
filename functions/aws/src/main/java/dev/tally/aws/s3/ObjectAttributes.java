package dev.tally.aws.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tag;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The put that replaces an object with its scrubbed bytes as the object it replaces was: content type and
 * encoding, disposition, language, cache control, expiry, user metadata, storage class, website redirect, the
 * KMS key it was encrypted with, its tags — and {@code If-Match} on the ETag read. Not carried over: ACLs
 * (buckets with object ownership enforced have none), object lock retention and legal holds, SSE-C (such
 * objects cannot be read without their key anyway).
 */
final class ObjectAttributes {
    private ObjectAttributes() {
    }

    @SuppressWarnings("deprecation") // expires(): the put takes an Instant; the string form has no counterpart
    static PutObjectRequest putRequest(S3Client s3, String bucket, String key, GetObjectResponse read) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).ifMatch(read.eTag())
                .contentType(read.contentType()).contentEncoding(contentEncoding(read.contentEncoding()))
                .contentDisposition(read.contentDisposition()).contentLanguage(read.contentLanguage())
                .cacheControl(read.cacheControl()).websiteRedirectLocation(read.websiteRedirectLocation());
        if (read.hasMetadata()) {
            put.metadata(read.metadata());
        }
        if (read.expiresString() != null) {
            put.expires(read.expires());
        }
        if (read.storageClass() != null && read.storageClass() != StorageClass.UNKNOWN_TO_SDK_VERSION) {
            put.storageClass(read.storageClass());
        }
        if (read.serverSideEncryption() == ServerSideEncryption.AWS_KMS
                || read.serverSideEncryption() == ServerSideEncryption.AWS_KMS_DSSE) {
            put.serverSideEncryption(read.serverSideEncryption()).ssekmsKeyId(read.ssekmsKeyId())
                    .bucketKeyEnabled(read.bucketKeyEnabled());
        }
        // AWS sends x-amz-tagging-count only for tagged objects; S3Mock 4.12.4 never sends it: without the count
        // the tags are asked for (one call per rewritten object), with a count of 0 they are known to be none
        if (read.tagCount() == null || read.tagCount() > 0) {
            String tagging = tagging(s3, bucket, key, read.versionId());
            if (!tagging.isEmpty()) {
                put.tagging(tagging);
            }
        }
        return put.build();
    }

    /**
     * The stored content coding without {@code aws-chunked}, the SDK's transfer coding of a checksummed upload:
     * S3 drops it from what it stores, S3Mock 4.12.4 keeps it ({@code "gzip,aws-chunked"}), and carrying it over
     * would add one more with every rewrite.
     */
    static String contentEncoding(String stored) {
        if (stored == null) {
            return null;
        }
        String kept = java.util.Arrays.stream(stored.split(",")).map(String::trim)
                .filter(c -> !c.isEmpty() && !c.equalsIgnoreCase("aws-chunked")).collect(Collectors.joining(","));
        return kept.isEmpty() ? null : kept;
    }

    private static String tagging(S3Client s3, String bucket, String key, String versionId) {
        List<Tag> tags;
        try {
            tags = s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId)).tagSet();
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "GetObjectTagging");
        }
        return tags.stream().map(t -> encode(t.key()) + "=" + encode(t.value())).collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
