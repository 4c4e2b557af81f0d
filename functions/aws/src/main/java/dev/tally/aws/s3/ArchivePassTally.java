package dev.tally.aws.s3;

import dev.tally.privacy.archive.ArchiveEvidence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Adds up what the objects of one pass came to, from many threads, into each request's {@link ArchiveEvidence}:
 * what the pass read is every request's; what was rewritten, removed and deleted is counted for the requests
 * whose subjects it held.
 */
final class ArchivePassTally {
    private static final int UNREADABLE_REFS_KEPT = 5;

    private final LongAdder objectsScanned = new LongAdder();
    private final LongAdder bytesScanned = new LongAdder();
    private final LongAdder versionsScanned = new LongAdder();
    private final LongAdder unparseableLines = new LongAdder();
    private final LongAdder objectsRewritten = new LongAdder();
    private final LongAdder recordsRemoved = new LongAdder();
    private final LongAdder versionsDeleted = new LongAdder();
    private final Map<String, LongAdder> rewrittenByGroup = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> recordsByGroup = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> versionsByGroup = new ConcurrentHashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private final LongAdder unreadableCount = new LongAdder();

    void object(String key, ArchiveObjectRewriter.Result result) {
        if (!result.found()) {
            return;
        }
        if (result.unreadable()) {
            unreadable(key);
            return;
        }
        objectsScanned.increment();
        bytesScanned.add(result.bytes());
        unparseableLines.add(result.unparseableLines());
        if (result.rewritten()) {
            objectsRewritten.increment();
            if (result.replacedVersionDeleted()) {
                versionsDeleted.increment();
            }
        }
        result.removedByGroup().forEach((group, records) -> {
            recordsRemoved.add(records);
            add(recordsByGroup, group, records);
            add(rewrittenByGroup, group, 1);
            if (result.replacedVersionDeleted()) {
                add(versionsByGroup, group, 1);
            }
        });
    }

    void version(String key, ArchiveVersionSweeper.Result result) {
        if (!result.found()) {
            return;
        }
        if (result.unreadable()) {
            unreadable(key);
            return;
        }
        versionsScanned.increment();
        bytesScanned.add(result.bytes());
        if (result.deleted()) {
            versionsDeleted.increment();
        }
        result.deletedForGroups().forEach(group -> add(versionsByGroup, group, 1));
    }

    private synchronized void unreadable(String key) {
        unreadableCount.increment();
        if (unreadable.size() < UNREADABLE_REFS_KEPT) {
            unreadable.add(ArchiveFailure.ref(key));
        }
    }

    long unreadableObjects() {
        return unreadableCount.sum();
    }

    synchronized List<String> unreadableRefs() {
        return List.copyOf(unreadable);
    }

    /** The pass as a whole (every request's records together), for the log. */
    ArchiveEvidence total() {
        return new ArchiveEvidence(objectsScanned.sum(), bytesScanned.sum(), versionsScanned.sum(),
                objectsRewritten.sum(), recordsRemoved.sum(), versionsDeleted.sum(), unparseableLines.sum());
    }

    /** Each request's evidence (records_removed counts records of several requests' subjects for each). */
    Map<String, Map<String, Object>> evidence(Collection<String> requests) {
        Map<String, Map<String, Object>> byRequest = new LinkedHashMap<>();
        for (String request : requests.stream().sorted().toList()) {
            byRequest.put(request, new ArchiveEvidence(objectsScanned.sum(), bytesScanned.sum(), versionsScanned.sum(),
                    sum(rewrittenByGroup, request), sum(recordsByGroup, request), sum(versionsByGroup, request),
                    unparseableLines.sum()).toMap());
        }
        return byRequest;
    }

    private static void add(Map<String, LongAdder> counts, String group, long n) {
        counts.computeIfAbsent(group, g -> new LongAdder()).add(n);
    }

    private static long sum(Map<String, LongAdder> counts, String group) {
        LongAdder n = counts.get(group);
        return n == null ? 0 : n.sum();
    }
}
