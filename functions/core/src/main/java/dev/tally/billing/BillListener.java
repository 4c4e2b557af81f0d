package dev.tally.billing;

import java.time.YearMonth;

/** Receives a bill's cost line items as they are read, in file order. */
public interface BillListener {
    /** Called once, before the first cost line, with the billing period the bill states or implies. */
    void onBillingPeriod(YearMonth period);

    void onCostLine(CostLine line);

    /**
     * The bill carries split cost allocation data (§9): called once, before the first row, when its header has the
     * split columns, whether or not any row turns out to be a split line item.
     */
    default void onSplitColumns() {
    }

    /** A split line item of the period (§9), told right before the same row as a {@link #onCostLine cost line}. */
    default void onSplitLine(SplitLine line) {
    }

    /**
     * A DBR upfront sign-up charge under the amortized basis: skipped (the upfront ledger spreads it, §8),
     * told here so its ledger entry can be written ({@code tally upfront}). Rows of any period.
     *
     * @param amount its cost at ten places
     */
    default void onUpfrontFee(String product, java.math.BigDecimal amount) {
    }
}
