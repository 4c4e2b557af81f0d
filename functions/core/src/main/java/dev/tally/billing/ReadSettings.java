package dev.tally.billing;

/**
 * What reading and allocating a bill needs to know besides the bill: which tag names a product area, which
 * amount of each row to hand on, and how an ECS host instance's cost is split.
 *
 * @param tagKey   the cost-allocation tag that names a product area, without {@code user:}
 * @param basis    the cost basis (§8)
 * @param ecsSplit how rule 1 splits an ECS host instance (§9)
 */
public record ReadSettings(String tagKey, CostBasis basis, EcsSplit ecsSplit) {
    public ReadSettings {
        if (tagKey == null || tagKey.isBlank()) {
            throw new IllegalArgumentException("tag key must not be empty");
        }
        tagKey = tagKey.trim();
        if (basis == null) {
            throw new IllegalArgumentException("cost basis must be given");
        }
        if (ecsSplit == null) {
            throw new IllegalArgumentException("ECS split must be given");
        }
    }

    /** Rule 1 by CPU-seconds (§3 as written). */
    public ReadSettings(String tagKey, CostBasis basis) {
        this(tagKey, basis, EcsSplit.EVENTS);
    }

    /** The unblended basis (§1–§7 as written). */
    public static ReadSettings unblended(String tagKey) {
        return new ReadSettings(tagKey, CostBasis.UNBLENDED);
    }
}
