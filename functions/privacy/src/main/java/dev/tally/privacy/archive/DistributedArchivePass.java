package dev.tally.privacy.archive;

import java.util.List;
import java.util.Map;

/**
 * An engine that runs one archive pass over many workers, each taking a slice of the objects under one prefix and
 * adding up their evidence: a Step Functions Distributed Map over the object listing in AWS. It is handed request
 * ids, never subject ids: each worker opens the subjects from the store, so that no personal data enters the
 * engine's execution history.
 */
public interface DistributedArchivePass {

    /**
     * What one run covers: the requests (their subjects are read by the slices), the target, and one prefix of its
     * bucket.
     */
    record Run(String target, String requestType, String subjectType, List<String> requestIds, String bucket,
               String prefix) {
        public Run {
            requestIds = List.copyOf(requestIds);
        }
    }

    /** A run's state. */
    sealed interface Status {
        record Running() implements Status {
        }

        /** Every slice done: their evidence added up, by request (the fields of {@link ArchiveEvidence}). */
        record Succeeded(Map<String, Map<String, Object>> evidenceByRequest) implements Status {
            public Succeeded {
                evidenceByRequest = Map.copyOf(evidenceByRequest);
            }
        }

        /** The run ended without finishing (a slice failed for good, a timeout, an abort): the engine's words. */
        record Failed(String error) implements Status {
        }
    }

    /** Starts a run; returns its id (the execution's ARN in AWS). */
    String start(Run run);

    Status status(String runId);
}
