package dev.tally.delivery;

/**
 * When a delivery is rolled up by a distributed run instead of in the invocation that was notified: a manifest
 * (legacy CUR or Data Exports) listing at least {@code minParts} parts. A DBR is one object, so it never is.
 *
 * @param runs     where the runs start
 * @param minParts the fewest parts a manifest lists for its bill to be distributed, at least 2
 */
public record Distribution(DistributedRuns runs, int minParts) {
    public Distribution {
        if (minParts < 2) {
            throw new IllegalArgumentException("a distributed run needs at least 2 parts, not " + minParts);
        }
    }

    /** Whether a delivery of this kind, with this many parts, is distributed. */
    public boolean applies(BillDelivery.Kind kind, int parts) {
        return kind != BillDelivery.Kind.DBR && parts >= minParts;
    }
}
