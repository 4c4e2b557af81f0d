package dev.tally.aws.s3;

import dev.tally.delivery.ObjectStore;
import dev.tally.privacy.archive.ArchiveFormatException;
import dev.tally.privacy.archive.ArchiveScrubber;
import dev.tally.privacy.archive.RecordMatcher;
import dev.tally.privacy.archive.ScrubResult;
import dev.tally.privacy.archive.SubjectIndex;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at one older (non-current) version of an archive object and deletes it if it holds a subject's record.
 * A version cannot be rewritten, so the whole version goes, other users' records in it too: that history is
 * what a version is, and keeping it would keep the subject's data.
 */
final class ArchiveVersionSweeper {
    /** What one version came to: its size, and the groups whose subjects it held if it was deleted. */
    record Result(boolean found, long bytes, Set<String> deletedForGroups, boolean unreadable) {
        static final Result MISSING = new Result(false, 0, Set.of(), false);

        boolean deleted() {
            return !deletedForGroups.isEmpty();
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final ArchiveReads reads;
    private final RecordMatcher matcher;
    private final SubjectIndex subjects;
    private final int maxLineBytes;

    ArchiveVersionSweeper(S3Client s3, String bucket, RecordMatcher matcher, SubjectIndex subjects, int maxLineBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.reads = new ArchiveReads(s3, bucket);
        this.matcher = matcher;
        this.subjects = subjects;
        this.maxLineBytes = maxLineBytes;
    }

    Result sweep(ArchiveListing.OlderVersion version) throws IOException {
        ScrubResult scan;
        try {
            Optional<ArchiveReads.Opened> opened = reads.open(version.key(), version.versionId(), null);
            if (opened.isEmpty()) {
                return Result.MISSING;
            }
            try (ArchiveReads.Opened in = opened.get()) {
                scan = new ArchiveScrubber(matcher, subjects, maxLineBytes).scan(in.content());
            }
        } catch (ObjectStore.Changed e) {
            return Result.MISSING; // a version never changes: it was deleted while it was read
        } catch (ArchiveFormatException e) {
            return new Result(true, version.size(), Set.of(), true);
        }
        if (!scan.changed()) {
            return new Result(true, scan.bytesRead(), Set.of(), false);
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(version.key()).versionId(version.versionId()));
        } catch (SdkException e) {
            throw ArchiveFailure.of(e, "DeleteObject (version)");
        }
        return new Result(true, scan.bytesRead(), scan.removedByGroup().keySet(), false);
    }
}
