package dev.tally.privacy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The archive is read once for many subjects (privacy.md, "S3 archive"): a request's archive work waits out the
 * batching window ({@code archive_batch.window_seconds}, at most SQS's 15 minutes) before it runs, and when it
 * runs it takes along every other running request whose receipt for the same archive is pending — same subject
 * type, a deleting request type — up to {@code archive_batch.max_subjects} subjects, earliest due first. Their
 * own work items, when they come, find their receipts done and do nothing.
 */
final class ArchiveBatching {
    private ArchiveBatching() {
    }

    /** A receipt a worker holds, with its request and the item it was (or would have been) taken for. */
    record Claim(PrivacyRequest request, Receipt receipt, WorkItem item) {
    }

    static Duration delay(PrivacyConfig.ArchiveBatch batch) {
        return batch.window().compareTo(PrivacyWorker.MAX_DELAY) > 0 ? PrivacyWorker.MAX_DELAY : batch.window();
    }

    /**
     * Takes the receipts of other requests into the pass of {@code own}'s.
     *
     * @param subjects the subjects already in the pass, by request; the mates' are added
     */
    static List<Claim> mates(PrivacyStore store, Target target, PrivacyRequest own, Map<String, List<String>> subjects,
                             int maxSubjects, Function<String, List<String>> open, Instant at, Instant staleBefore) {
        int count = subjects.values().stream().mapToInt(List::size).sum();
        List<Claim> mates = new ArrayList<>();
        for (PrivacyRequest other : store.openRequests()) {
            if (count >= maxSubjects) {
                break;
            }
            boolean joins = !other.id().equals(own.id()) && other.status() == RequestStatus.RUNNING
                    && other.subjectType() == own.subjectType() && other.type().deletes() && target.supports(other.type())
                    && count + other.subjectCount() <= maxSubjects
                    && other.receipts().stream().anyMatch(r -> r.target().equals(target.name())
                    && r.status() == ReceiptStatus.PENDING);
            if (!joins) {
                continue;
            }
            var taken = store.claimReceipt(other.id(), target.name(), at, staleBefore);
            if (taken.isPresent()) {
                List<String> ids = open.apply(other.id());
                subjects.put(other.id(), ids);
                count += ids.size();
                mates.add(new Claim(other, taken.get(), WorkItem.of(other.id(), target.name())));
            }
        }
        return mates;
    }
}
