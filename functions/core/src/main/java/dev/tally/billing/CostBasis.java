package dev.tally.billing;

import java.util.Locale;

/**
 * Which amount of a cost row is allocated (allocation contract §8): what the invoice charged, or what
 * the period's usage cost once upfront and commitment fees are spread over their term.
 */
public enum CostBasis {
    /** The unblended (DBR, CUR, CUR 2.0) or billed (FOCUS) cost: §1–§7 as written. */
    UNBLENDED("unblended"),
    /** Each row's amount by {@link AmortizedCost}; DBR upfront fees by an upfront ledger. */
    AMORTIZED("amortized");

    private final String id;

    CostBasis(String id) {
        this.id = id;
    }

    /** The name in {@code summary.json}, on the command line and in configuration. */
    public String id() {
        return id;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CostBasis parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (CostBasis basis : values()) {
            if (basis.id.equals(wanted)) {
                return basis;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a cost basis (unblended or amortized)");
    }
}
