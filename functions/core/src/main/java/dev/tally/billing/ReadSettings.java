package dev.tally.billing;

/**
 * What a reader needs to know besides the bill: which tag names a product area, and which amount of
 * each row to hand on.
 *
 * @param tagKey the cost-allocation tag that names a product area, without {@code user:}
 * @param basis  the cost basis (§8)
 */
public record ReadSettings(String tagKey, CostBasis basis) {
    public ReadSettings {
        if (tagKey == null || tagKey.isBlank()) {
            throw new IllegalArgumentException("tag key must not be empty");
        }
        tagKey = tagKey.trim();
        if (basis == null) {
            throw new IllegalArgumentException("cost basis must be given");
        }
    }

    /** The unblended basis (§1–§7 as written). */
    public static ReadSettings unblended(String tagKey) {
        return new ReadSettings(tagKey, CostBasis.UNBLENDED);
    }
}
