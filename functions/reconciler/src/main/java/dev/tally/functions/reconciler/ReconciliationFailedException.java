package dev.tally.functions.reconciler;

/**
 * Thrown at the end of a run in which something failed, after everything else was done and the
 * metrics were published: the invocation fails, so the schedule's retry and the error alarm see it.
 */
public final class ReconciliationFailedException extends RuntimeException {
    private final transient ReconcileSummary summary;

    public ReconciliationFailedException(ReconcileSummary summary) {
        super(summary.errors().size() + " part(s) of the reconciliation failed; first: " + summary.errors().get(0));
        this.summary = summary;
    }

    public ReconcileSummary summary() {
        return summary;
    }
}
