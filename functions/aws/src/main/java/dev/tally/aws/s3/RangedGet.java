package dev.tally.aws.s3;

import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * The GetObject of a read that may resume: pinned to a version or to an ETag ({@code If-Match}), from a byte
 * offset on. Absent values are null or empty.
 */
final class RangedGet {
    private RangedGet() {
    }

    static GetObjectRequest of(String bucket, String key, String versionId, String ifMatch, long offset) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (versionId != null && !versionId.isEmpty()) {
            request.versionId(versionId);
        }
        if (ifMatch != null && !ifMatch.isEmpty()) {
            request.ifMatch(ifMatch);
        }
        if (offset > 0) {
            request.range("bytes=" + offset + "-");
        }
        return request.build();
    }

    /** Bytes {@code [position, position + length)} only (length > 0). */
    static GetObjectRequest of(String bucket, String key, String versionId, String ifMatch, long position,
                               long length) {
        return of(bucket, key, versionId, ifMatch, 0).toBuilder()
                .range("bytes=" + position + "-" + (position + length - 1)).build();
    }
}
