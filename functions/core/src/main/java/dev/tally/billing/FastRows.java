package dev.tally.billing;

import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * Receives a bill's cost line items from the fast reader as ids into {@link BillStrings} and
 * primitives, in file order — the same rows {@link BillListener} would receive as objects.
 */
public interface FastRows {
    /** Called once, before the first cost row, with the billing period the bill states or implies. */
    void onBillingPeriod(YearMonth period);

    /**
     * @param usage     whether the row is usage (see {@link CostLine#usage()})
     * @param amount    the cost in 10<sup>-10</sup> units, or {@link dev.tally.money.ScaledMoney#NOT_FAST}
     *                  when it does not fit, in which case {@code bigAmount} holds it
     * @param bigAmount the cost when {@code amount} is {@code NOT_FAST}, else null
     */
    void onCostRow(int product, int resource, int tag, int invoice, boolean usage, long start, long end, long amount,
                   BigDecimal bigAmount);

    /** See {@link BillListener#onSplitColumns()}. */
    default void onSplitColumns() {
    }

    /**
     * A split line item of the period (§9) as ids and primitives, told right before the same row's
     * {@link #onCostRow}.
     *
     * @param parent  the parent instance id, in {@link BillStrings#resources()}
     * @param task    the row's resource (the task ARN), in {@link BillStrings#resources()}
     * @param cluster the {@code aws:ecs:clusterName} tag, in {@link BillStrings#tags()} (empty: none)
     * @param service the {@code aws:ecs:serviceName} tag, in {@link BillStrings#tags()}
     * @param weight  {@code SplitCost + UnusedCost} in 10<sup>-10</sup> units, or
     *                {@link dev.tally.money.ScaledMoney#NOT_FAST} when it does not fit ({@code bigWeight} then)
     */
    default void onSplitRow(int parent, int task, int cluster, int service, long start, long end, long weight,
                            BigDecimal bigWeight) {
    }
}
