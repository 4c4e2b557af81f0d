package dev.tally.privacy.target;

import dev.tally.privacy.TargetKind;

import java.util.Map;

/**
 * Carries out work in targets of one kind (the S3 archive, the warehouse, webhooks). Idempotent: running the
 * same work again (a redelivered message) deletes nothing twice and corrupts nothing — a second pass finds
 * nothing left to delete and reports zero for what it did not do again.
 */
public interface TargetExecutor {

    TargetKind kind();

    /** Does the work, or as much as it can now; never throws for a target's failure (that is an outcome). */
    TargetOutcome execute(TargetWork work);

    /**
     * Asks again about work that was {@link TargetOutcome.Pending} (an asynchronous job): the same outcomes.
     * Kinds that never answer Pending need not implement it.
     */
    default TargetOutcome poll(TargetWork work, Map<String, String> state) {
        throw new UnsupportedOperationException(kind() + " has no pending work to poll");
    }
}
