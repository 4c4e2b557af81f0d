package dev.tally.aws.s3;

import dev.tally.delivery.ObjectStore;
import dev.tally.privacy.archive.ArchiveFormatException;
import dev.tally.privacy.archive.ArchiveScrubber;
import dev.tally.privacy.archive.RecordMatcher;
import dev.tally.privacy.archive.ScrubResult;
import dev.tally.privacy.archive.SubjectIndex;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Scrubs one current object: reads it, and if it held a subject's records writes the kept lines back with a
 * conditional put ({@code If-Match} on the ETag read), so that a writer who replaced the object meanwhile is
 * not overwritten — on a conflict the object is read again and scrubbed from its new content, a few times,
 * then the pass is retried later. The scrubbed bytes are spooled to a temporary file (the put needs the
 * length): the spool directory must hold the largest rewritten objects of the threads at once. On a versioned
 * bucket the version the rewrite replaced is deleted after the put: it holds the subject.
 */
final class ArchiveObjectRewriter {
    /** What one object came to. */
    record Result(boolean found, long bytes, long unparseableLines, Map<String, Long> removedByGroup,
                  boolean replacedVersionDeleted, boolean unreadable) {
        static final Result MISSING = new Result(false, 0, 0, Map.of(), false, false);

        boolean rewritten() {
            return !removedByGroup.isEmpty();
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final ArchiveReads reads;
    private final RecordMatcher matcher;
    private final SubjectIndex subjects;
    private final ArchiveListing.Versioning versioning;
    private final S3ArchiveExecutor.Options options;

    ArchiveObjectRewriter(S3Client s3, String bucket, RecordMatcher matcher, SubjectIndex subjects,
                          ArchiveListing.Versioning versioning, S3ArchiveExecutor.Options options) {
        this.s3 = s3;
        this.bucket = bucket;
        this.reads = new ArchiveReads(s3, bucket);
        this.matcher = matcher;
        this.subjects = subjects;
        this.versioning = versioning;
        this.options = options;
    }

    Result rewrite(String key) throws IOException {
        for (int attempt = 1; attempt <= options.conflictAttempts(); attempt++) {
            Optional<Result> result = attempt(key);
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw ArchiveFailure.retry("an object kept changing while it was rewritten (" + options.conflictAttempts()
                + " attempts, " + ArchiveFailure.ref(key) + ")");
    }

    /** One read-scrub-put; empty when the object changed under it (then it is done again). */
    private Optional<Result> attempt(String key) throws IOException {
        Path spool = null;
        try {
            Optional<ArchiveReads.Opened> opened = reads.open(key, null, null);
            if (opened.isEmpty()) {
                return Optional.of(Result.MISSING);
            }
            GetObjectResponse read = opened.get().response();
            long size = read.contentLength() == null ? 0 : read.contentLength();
            spool = Files.createTempFile(options.spoolDirectory(), "tally-archive-", ".part");
            Path file = spool;
            ScrubResult scrub;
            try (ArchiveReads.Opened in = opened.get()) {
                scrub = scrubber().scrubIfChanged(in.content(), () -> Files.newOutputStream(file),
                        options.prefixBufferBytes());
            }
            if (!scrub.changed()) {
                return Optional.of(new Result(true, size, scrub.unparseableLines(), Map.of(), false, false));
            }
            if (scrub.rewriteNeeded()) {
                Optional<ArchiveReads.Opened> again = reads.open(key, null, read.eTag());
                if (again.isEmpty()) {
                    return Optional.empty();
                }
                try (ArchiveReads.Opened in = again.get(); OutputStream out = Files.newOutputStream(file)) {
                    scrub = scrubber().scrub(in.content(), out);
                }
            }
            if (!putIfUnchanged(key, read, file)) {
                return Optional.empty();
            }
            boolean deleted = deleteReplacedVersion(key, read.versionId());
            return Optional.of(new Result(true, size, scrub.unparseableLines(), scrub.removedByGroup(), deleted, false));
        } catch (ObjectStore.Changed e) {
            return Optional.empty();
        } catch (ArchiveFormatException e) {
            return Optional.of(new Result(true, 0, 0, Map.of(), false, true));
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        }
    }

    private ArchiveScrubber scrubber() {
        return new ArchiveScrubber(matcher, subjects, options.maxLineBytes());
    }

    /** The conditional put, keeping the object's attributes; false on a conflict (412, or 409 from AWS). */
    private boolean putIfUnchanged(String key, GetObjectResponse read, Path content) {
        try {
            s3.putObject(ObjectAttributes.putRequest(s3, bucket, key, read), RequestBody.fromFile(content));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw ArchiveFailure.of(e, "PutObject");
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "PutObject");
        }
    }

    /**
     * Deletes the version the put replaced, where the put left it behind: always on an enabled bucket (also the
     * {@code null} version of an object older than versioning), on a suspended one unless it was the
     * {@code null} version (which the put overwrote).
     */
    private boolean deleteReplacedVersion(String key, String versionId) {
        boolean nullVersion = versionId == null || "null".equals(versionId);
        boolean leftBehind = versioning == ArchiveListing.Versioning.ENABLED
                || versioning == ArchiveListing.Versioning.SUSPENDED && !nullVersion;
        if (!leftBehind || versionId == null) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
            return true;
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "DeleteObject (version)");
        }
    }
}
