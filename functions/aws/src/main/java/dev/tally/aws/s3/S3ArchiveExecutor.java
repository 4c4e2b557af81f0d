package dev.tally.aws.s3;

import dev.tally.privacy.TargetKind;
import dev.tally.privacy.archive.ArchiveEvidence;
import dev.tally.privacy.archive.ArchiveScrubber;
import dev.tally.privacy.archive.ArchiveSlice;
import dev.tally.privacy.archive.ArchiveTarget;
import dev.tally.privacy.archive.SubjectIndex;
import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Deletes subjects' records from a JSON-lines event archive in S3 ({@code S3_ARCHIVE}; docs/privacy-archive.md):
 * one pass over the objects of a slice for every subject of the work (all its requests), objects in parallel
 * on a bounded pool. Current objects first — each read, and rewritten with a conditional put only if it held a
 * subject — then, on a versioned bucket, every older version, deleted if it held one. Idempotent: a second
 * pass finds nothing, rewrites nothing and reports zero removals. Logs counts only, never keys or ids.
 */
public final class S3ArchiveExecutor implements TargetExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(S3ArchiveExecutor.class);

    /**
     * @param parallelism       objects worked on at once
     * @param conflictAttempts  reads of an object whose conditional put keeps failing, before the pass is retried
     * @param prefixBufferBytes kept lines held in memory per object until its first removal (uncompressed);
     *                          an object whose first removal comes later is read a second time
     * @param maxLineBytes      the longest line; an object with a longer one is not rewritten (the pass fails)
     * @param spoolDirectory    where rewritten objects are spooled before the put (Lambda: {@code /tmp}, whose
     *                          ephemeral storage must exceed {@code parallelism} times the largest object)
     */
    public record Options(int parallelism, int conflictAttempts, long prefixBufferBytes, int maxLineBytes,
                          Path spoolDirectory) {
        public Options {
            if (parallelism < 1 || conflictAttempts < 1 || prefixBufferBytes < 0 || maxLineBytes < 1) {
                throw new IllegalArgumentException("parallelism, conflictAttempts and maxLineBytes must be positive");
            }
        }

        /** 4 objects at once, 5 attempts, 8 MiB held, 64 MiB lines, {@code java.io.tmpdir}. */
        public static Options defaults() {
            return new Options(4, 5, 8L << 20, ArchiveScrubber.DEFAULT_MAX_LINE_BYTES,
                    Path.of(System.getProperty("java.io.tmpdir")));
        }

        public Options withParallelism(int threads) {
            return new Options(threads, conflictAttempts, prefixBufferBytes, maxLineBytes, spoolDirectory);
        }
    }

    private final S3Client s3;
    private final Options options;

    public S3ArchiveExecutor(S3Client s3) {
        this(s3, Options.defaults());
    }

    public S3ArchiveExecutor(S3Client s3, Options options) {
        this.s3 = s3;
        this.options = options;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.S3_ARCHIVE;
    }

    /** The whole archive: every object under the target's prefixes. */
    @Override
    public TargetOutcome execute(TargetWork work) {
        return execute(work, ArchiveSlice.everything());
    }

    /**
     * One slice of the archive (a Distributed Map item): its evidence adds up with the other slices' by
     * {@link ArchiveEvidence#add}.
     */
    public TargetOutcome execute(TargetWork work, ArchiveSlice slice) {
        Optional<TargetOutcome> refused = ArchiveTarget.refusal(work);
        if (refused.isPresent()) {
            return refused.get();
        }
        ArchiveTarget target = ArchiveTarget.from(work.target());
        String outside = outsideTarget(target, slice);
        if (outside != null) {
            return new TargetOutcome.Failed(outside);
        }
        SubjectIndex subjects = SubjectIndex.of(work.subjectType(), work.subjectsByRequest());
        long started = System.nanoTime();
        try {
            ArchivePassTally tally = pass(target, subjects, slice);
            ArchiveEvidence total = tally.total();
            LOG.info("archive pass over target {}: {} objects and {} older versions scanned ({} bytes), {} rewritten, "
                            + "{} records removed, {} versions deleted, {} unparseable lines, {} unreadable objects, {} ms",
                    target.name(), total.objectsScanned(), total.versionsScanned(), total.bytesScanned(),
                    total.objectsRewritten(), total.recordsRemoved(), total.versionsDeleted(), total.unparseableLines(),
                    tally.unreadableObjects(), (System.nanoTime() - started) / 1_000_000);
            if (tally.unreadableObjects() > 0) {
                return new TargetOutcome.Failed(tally.unreadableObjects() + " objects could not be read as JSON lines "
                        + "(corrupt gzip, or a line over " + options.maxLineBytes() + " bytes) and were left as they are: "
                        + String.join(", ", tally.unreadableRefs()));
            }
            return new TargetOutcome.Done(tally.evidence(work.subjectsByRequest().keySet()));
        } catch (ArchiveFailure e) {
            LOG.warn("archive pass over target {} stopped: {}", target.name(), e.getMessage());
            return e.outcome();
        } catch (SdkException e) {
            return ArchiveFailure.of(e, "call").outcome();
        }
    }

    private ArchivePassTally pass(ArchiveTarget target, SubjectIndex subjects, ArchiveSlice slice) {
        ArchivePassTally tally = new ArchivePassTally();
        if (subjects.isEmpty()) {
            return tally;
        }
        ArchiveListing listing = new ArchiveListing(s3, target);
        ArchiveListing.Versioning versioning = listing.versioning();
        ArchiveObjectRewriter rewriter = new ArchiveObjectRewriter(s3, target.bucket(), target.matcher(), subjects,
                versioning, options);
        try (BoundedPool pool = new BoundedPool(options.parallelism())) {
            listing.currentObjects(slice, key -> pool.submit(() -> rewriter.rewrite(key), r -> tally.object(key, r)));
            pool.awaitAll();
            if (versioning != ArchiveListing.Versioning.NONE) {
                // after the rewrites: the versions they replaced are gone already, the new ones are current
                ArchiveVersionSweeper sweeper = new ArchiveVersionSweeper(s3, target.bucket(), target.matcher(),
                        subjects, options.maxLineBytes());
                listing.olderVersions(slice, v -> pool.submit(() -> sweeper.sweep(v), r -> tally.version(v.key(), r)));
                pool.awaitAll();
            }
        }
        return tally;
    }

    /** Why the slice reaches outside the target's prefixes, or null: a slice never widens a target. */
    private static String outsideTarget(ArchiveTarget target, ArchiveSlice slice) {
        if (slice instanceof ArchiveSlice.Keys keys) {
            long outside = keys.keys().stream().filter(k -> !target.covers(k)).count();
            return outside == 0 ? null : "the slice names " + outside + " keys outside the prefixes of target "
                    + target.name();
        }
        if (slice instanceof ArchiveSlice.Range range && !target.covers(range.prefix())) {
            return "the slice's prefix is outside the prefixes of target " + target.name();
        }
        return null;
    }
}
