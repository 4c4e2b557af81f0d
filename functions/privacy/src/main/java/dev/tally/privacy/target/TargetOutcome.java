package dev.tally.privacy.target;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What carrying out a {@link TargetWork} in a target came to, per request: the worker turns it into receipt
 * changes. Errors are short texts without personal data (a status code, the first 200 characters of a
 * destination's answer — which must not echo ids: callers pass only bodies of error answers, scrubbed of the
 * work's subject ids).
 */
public sealed interface TargetOutcome {

    /** Done: the evidence of each request (request id → evidence fields of the kind, privacy.md). */
    record Done(Map<String, Map<String, Object>> evidenceByRequest) implements TargetOutcome {
        public Done {
            evidenceByRequest = Map.copyOf(evidenceByRequest);
        }
    }

    /** The target does not carry out this request type (or subject type). */
    record NotSupported(String reason) implements TargetOutcome {
    }

    /** Failed for now (5xx, 429, a timeout, a conflict that needs another pass); worth retrying, not before {@code after}. */
    record Retry(String error, Optional<Duration> after) implements TargetOutcome {
    }

    /** Failed for good (a 4xx other than 429, a configuration the target refuses): no retry helps. */
    record Failed(String error) implements TargetOutcome {
    }

    /**
     * Accepted by the destination but not done yet (an asynchronous job): ask again with {@code state} after
     * {@code pollAfter}. {@code evidence} so far (the job ids) goes into the receipts.
     */
    record Pending(Map<String, Map<String, Object>> evidenceByRequest, Map<String, String> state,
                   Duration pollAfter) implements TargetOutcome {
        public Pending {
            evidenceByRequest = Map.copyOf(evidenceByRequest);
            state = Map.copyOf(state);
        }
    }
}
