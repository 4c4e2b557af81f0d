package dev.tally.testkit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reservation and savings-plan cells of one bill row ({@code commitments}): the ARN of the commitment the row
 * belongs to and its amortization amounts, empty where AWS leaves them empty (on every row they do not apply to).
 * {@link Column} lays them out for CUR ({@code reservation/...}, {@code savingsPlan/...}) and CUR 2.0 (their
 * snake_case names), in AWS's alphabetical order.
 */
final class CommitmentCells {
    /** The columns, as AWS names them: the two ARNs, the savings plan rate and amounts. */
    enum Column {
        RI_AMORTIZED_UPFRONT_COST_FOR_USAGE("reservation/AmortizedUpfrontCostForUsage",
                "reservation_amortized_upfront_cost_for_usage", true),
        RI_AMORTIZED_UPFRONT_FEE_FOR_BILLING_PERIOD("reservation/AmortizedUpfrontFeeForBillingPeriod",
                "reservation_amortized_upfront_fee_for_billing_period", true),
        RI_EFFECTIVE_COST("reservation/EffectiveCost", "reservation_effective_cost", true),
        RI_RECURRING_FEE_FOR_USAGE("reservation/RecurringFeeForUsage", "reservation_recurring_fee_for_usage", true),
        RI_ARN("reservation/ReservationARN", "reservation_reservation_a_r_n", false),
        RI_UNUSED_AMORTIZED_UPFRONT_FEE("reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
                "reservation_unused_amortized_upfront_fee_for_billing_period", true),
        RI_UNUSED_RECURRING_FEE("reservation/UnusedRecurringFee", "reservation_unused_recurring_fee", true),
        SP_AMORTIZED_UPFRONT_COMMITMENT("savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod",
                "savings_plan_amortized_upfront_commitment_for_billing_period", true),
        SP_RECURRING_COMMITMENT("savingsPlan/RecurringCommitmentForBillingPeriod",
                "savings_plan_recurring_commitment_for_billing_period", true),
        SP_ARN("savingsPlan/SavingsPlanARN", "savings_plan_savings_plan_a_r_n", false),
        SP_EFFECTIVE_COST("savingsPlan/SavingsPlanEffectiveCost", "savings_plan_savings_plan_effective_cost", true),
        SP_RATE("savingsPlan/SavingsPlanRate", "savings_plan_savings_plan_rate", false),
        SP_TOTAL_COMMITMENT("savingsPlan/TotalCommitmentToDate", "savings_plan_total_commitment_to_date", true),
        SP_USED_COMMITMENT("savingsPlan/UsedCommitment", "savings_plan_used_commitment", true);

        final String cur;
        final String cur2;
        /** An amount (else an ARN or the rate). */
        final boolean amount;

        Column(String cur, String cur2, boolean amount) {
            this.cur = cur;
            this.cur2 = cur2;
            this.amount = amount;
        }

        /** @return the header names of the reservation columns ({@code reservation = true}) or savings plan ones */
        static List<String> names(boolean cur2, boolean reservation) {
            List<String> names = new ArrayList<>();
            for (Column c : values()) {
                if (c.name().startsWith("RI_") == reservation) {
                    names.add(cur2 ? c.cur2 : c.cur);
                }
            }
            return names;
        }
    }

    private static final long EMPTY = Long.MIN_VALUE;

    /** The reservation this row belongs to (DiscountedUsage, RIFee, the purchase Fee), or "". */
    String reservationArn = "";
    /** The savings plan (covered usage, negation, recurring and upfront fees), or "". */
    String savingsPlanArn = "";
    /** The savings plan rate of covered usage, or null. */
    BigDecimal savingsPlanRate;
    /** FOCUS {@code CommitmentDiscountName}: e.g. {@code 1yr Partial Upfront m5.xlarge}, or null. */
    String name;
    private final long[] amounts = new long[Column.values().length];

    CommitmentCells() {
        clear();
    }

    void clear() {
        reservationArn = "";
        savingsPlanArn = "";
        savingsPlanRate = null;
        name = null;
        Arrays.fill(amounts, EMPTY);
    }

    /** Sets an amount column's cell. */
    CommitmentCells set(Column c, long units) {
        if (!c.amount) {
            throw new IllegalArgumentException(c + " is not an amount");
        }
        amounts[c.ordinal()] = units;
        return this;
    }

    /** @return an amount column's cell in units, 0 when it is empty (as §8 reads it) */
    long get(Column c) {
        long v = amounts[c.ordinal()];
        return v == EMPTY ? 0 : v;
    }

    /** @return whether the row belongs to a reservation or savings plan */
    boolean any() {
        return !reservationArn.isEmpty() || !savingsPlanArn.isEmpty();
    }

    /**
     * Writes the reservation ({@code reservation = true}) or savings plan cells into {@code f} from {@code i}, in
     * {@link Column#names} order: amounts as CUR writes them (10 places) or CUR 2.0 does ({@code stripped}).
     *
     * @return the index after the last cell written
     */
    int fill(String[] f, int i, boolean reservation, boolean stripped) {
        for (Column c : Column.values()) {
            if (c.name().startsWith("RI_") != reservation) {
                continue;
            }
            if (c == Column.RI_ARN) {
                f[i++] = reservationArn;
            } else if (c == Column.SP_ARN) {
                f[i++] = savingsPlanArn;
            } else if (c == Column.SP_RATE) {
                f[i++] = savingsPlanRate == null ? "" : stripped ? Amounts.plainStripped(savingsPlanRate)
                        : Amounts.plain(savingsPlanRate);
            } else {
                long v = amounts[c.ordinal()];
                f[i++] = v == EMPTY ? "" : stripped ? Amounts.stripped(v) : Amounts.fixed(v);
            }
        }
        return i;
    }
}
