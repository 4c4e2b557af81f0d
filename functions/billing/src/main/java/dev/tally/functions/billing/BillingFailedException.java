package dev.tally.functions.billing;

/**
 * Some records of a direct (or EventBridge) invocation failed: Lambda retries the invocation, whose other
 * records are then duplicates. The message says which objects and why (bill keys only, no personal data).
 */
public final class BillingFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BillingFailedException(BillingResponse response) {
        super(response.failures() + " of " + response.records() + " records failed: " + response.failureSummary());
    }
}
