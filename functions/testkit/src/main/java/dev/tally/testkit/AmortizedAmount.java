package dev.tally.testkit;

import dev.tally.testkit.CommitmentCells.Column;

/**
 * The amortized amount of a bill row as the generator wrote it (allocation contract §8), for the manifest's
 * {@link Amortization} total and FOCUS's {@code EffectiveCost}: by line item type, from the row's
 * {@link CommitmentCells}; every other row keeps its cost. DBR has no amortization columns: its sign-up charges count 0
 * (they are not line items under the amortized basis) and every other row its cost.
 */
final class AmortizedAmount {
    /** How a DBR upfront sign-up charge's {@code ItemDescription} begins. */
    static final String SIGN_UP_CHARGE = "Sign up charge for subscription";

    private AmortizedAmount() {
    }

    /** @return whether a DBR row is an upfront sign-up charge, which the upfront ledger spreads instead */
    static boolean isSignUpCharge(BillRow r) {
        return r.description.startsWith(SIGN_UP_CHARGE);
    }

    /**
     * @param cost the row's cost as a reader gets it (its cost column rounded to 10 places: {@code r.cost} but for
     *             {@code extra-decimals}); FOCUS rows without a type of their own take {@code r.cost}, the
     *             {@code EffectiveCost} cell, instead
     * @return the row's amortized amount in units
     */
    static long of(BillFormat format, BillRow r, long cost) {
        if (format == BillFormat.DBR) {
            return isSignUpCharge(r) ? 0 : cost;
        }
        CommitmentCells c = r.commitment;
        switch (r.lineItemType) {
            case "SavingsPlanCoveredUsage":
                return c.get(Column.SP_EFFECTIVE_COST);
            case "SavingsPlanRecurringFee":
                return c.get(Column.SP_TOTAL_COMMITMENT) - c.get(Column.SP_USED_COMMITMENT);
            case "SavingsPlanNegation":
            case "SavingsPlanUpfrontFee":
                return 0;
            case "DiscountedUsage":
                return c.get(Column.RI_EFFECTIVE_COST);
            case "RIFee":
                return c.get(Column.RI_UNUSED_AMORTIZED_UPFRONT_FEE) + c.get(Column.RI_UNUSED_RECURRING_FEE);
            case "Fee":
                if (!c.reservationArn.isEmpty()) {
                    return 0;
                }
                break;
            default:
                break;
        }
        return format == BillFormat.FOCUS ? r.cost : cost;
    }
}
