package dev.tally.aws.s3;

import dev.tally.privacy.archive.ArchiveSlice;
import dev.tally.privacy.archive.ArchiveTarget;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.function.Consumer;

/**
 * The objects of one slice of an archive, in S3's key order, page by page (never the whole listing at once):
 * current objects with {@code ListObjectsV2}, older versions with {@code ListObjectVersions}.
 */
final class ArchiveListing {
    /** A bucket's versioning: whether a rewrite leaves the version it replaced behind. */
    enum Versioning {
        /** Never enabled: a put replaces the object; there are no older versions. */
        NONE,
        /** Enabled: every put adds a version; the one replaced stays, as a non-current version. */
        ENABLED,
        /** Suspended: a put replaces the {@code null} version; versions from before stay. */
        SUSPENDED
    }

    /** An older version to look at. */
    record OlderVersion(String key, String versionId, long size) {
    }

    private final S3Client s3;
    private final ArchiveTarget target;

    ArchiveListing(S3Client s3, ArchiveTarget target) {
        this.s3 = s3;
        this.target = target;
    }

    Versioning versioning() {
        try {
            BucketVersioningStatus status = s3.getBucketVersioning(b -> b.bucket(target.bucket())).status();
            return status == BucketVersioningStatus.ENABLED ? Versioning.ENABLED
                    : status == BucketVersioningStatus.SUSPENDED ? Versioning.SUSPENDED : Versioning.NONE;
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "GetBucketVersioning");
        }
    }

    /** Every current object's key in the slice. */
    void currentObjects(ArchiveSlice slice, Consumer<String> key) {
        if (slice instanceof ArchiveSlice.Keys keys) {
            keys.keys().forEach(key);
        } else if (slice instanceof ArchiveSlice.Range range) {
            list(range.prefix(), range.startAfter().orElse(null), range, key);
        } else {
            target.prefixes().forEach(p -> list(p, null, null, key));
        }
    }

    /** Every older version (not delete markers, not the current version) of the slice's objects. */
    void olderVersions(ArchiveSlice slice, Consumer<OlderVersion> version) {
        if (slice instanceof ArchiveSlice.Keys keys) {
            keys.keys().forEach(k -> versions(k, null, k::equals, null, version));
        } else if (slice instanceof ArchiveSlice.Range range) {
            versions(range.prefix(), range.startAfter().orElse(null), range::contains, range, version);
        } else {
            target.prefixes().forEach(p -> versions(p, null, v -> true, null, version));
        }
    }

    private void list(String prefix, String startAfter, ArchiveSlice.Range range, Consumer<String> key) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(target.bucket()).prefix(prefix);
        if (startAfter != null) {
            request.startAfter(startAfter);
        }
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request.build())) {
                for (S3Object object : page.contents()) {
                    if (range != null && range.isPast(object.key())) {
                        return;
                    }
                    key.accept(object.key());
                }
            }
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "ListObjectsV2");
        }
    }

    private void versions(String prefix, String keyMarker, java.util.function.Predicate<String> wanted,
                          ArchiveSlice.Range range, Consumer<OlderVersion> version) {
        ListObjectVersionsRequest.Builder request = ListObjectVersionsRequest.builder().bucket(target.bucket())
                .prefix(prefix);
        if (keyMarker != null) {
            request.keyMarker(keyMarker);
        }
        try {
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(request.build())) {
                for (ObjectVersion v : page.versions()) {
                    if (range != null && range.isPast(v.key())) {
                        return;
                    }
                    if (!Boolean.TRUE.equals(v.isLatest()) && wanted.test(v.key())) {
                        version.accept(new OlderVersion(v.key(), v.versionId(), v.size() == null ? 0 : v.size()));
                    }
                }
            }
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "ListObjectVersions");
        }
    }
}
