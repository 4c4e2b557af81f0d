package dev.tally.testkit;

import dev.tally.testkit.CommitmentCells.Column;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.testkit.Times.HOUR;

/**
 * {@code commitments}, CUR, CUR 2.0 and FOCUS: two savings plans, applied hour by hour as AWS applies them. An EC2
 * Instance Savings Plan for the m5 family (40% off, Partial Upfront, bought this month: a
 * {@code SavingsPlanUpfrontFee} row at the hour it was bought) goes first, then a Compute Savings Plan bought in an
 * earlier month (28% off, No Upfront). Their hourly commitments are sized to cover a share of the on-demand
 * instance-hours the fleet starts the month with. Each hour an on-demand instance row is covered by the first plan
 * with enough commitment left in the hour for its discounted cost: it becomes {@code SavingsPlanCoveredUsage}
 * (unblended: the on-demand cost; {@code SavingsPlanEffectiveCost}: the discounted one), followed by its
 * {@code SavingsPlanNegation} (minus the on-demand cost). FOCUS has no negations: its covered usage has a
 * {@code BilledCost} of 0 and the discounted cost as {@code EffectiveCost}. At the month's end one
 * {@code SavingsPlanRecurringFee} row per plan carries its commitment to date and the part the covered usage used.
 */
final class SavingsPlans {
    /** One plan and what the month has used of it. */
    static final class Plan {
        final String arn;
        final String usageType;
        final String label;
        /** Instance family it applies to ({@code m5}), or null: every instance. */
        final String family;
        /** The savings plan rate is the on-demand rate times this. */
        final BigDecimal rateFactor;
        /** Hourly commitment: recurring and amortized upfront parts. */
        final BigDecimal recurring;
        final BigDecimal upfrontPerHour;
        final int firstHour;
        private int hour = -1;
        private long left;
        long used;

        Plan(String arn, String usageType, String label, String family, BigDecimal rateFactor, BigDecimal recurring,
             BigDecimal upfrontPerHour, int firstHour) {
            this.arn = arn;
            this.usageType = usageType;
            this.label = label;
            this.family = family;
            this.rateFactor = rateFactor;
            this.recurring = recurring;
            this.upfrontPerHour = upfrontPerHour;
            this.firstHour = firstHour;
        }

        BigDecimal commitment() {
            return recurring.add(upfrontPerHour);
        }

        /** @return the upfront payment: the amortized part over a one-year term */
        BigDecimal upfront() {
            return upfrontPerHour.multiply(BigDecimal.valueOf(8760));
        }

        boolean appliesTo(Model.Instance i, int h) {
            return h >= firstHour && (family == null || i.type.name().startsWith(family + "."));
        }
    }

    private final Month month;
    private final BillLedger ledger;
    private final BillRow row;
    private final boolean focus;
    private final List<Plan> plans;
    private Plan last;

    /**
     * @param onDemand     the on-demand cost per hour of the instances running when the month begins (after the
     *                     reservations), and {@code onDemandM5} that of the m5 family
     */
    SavingsPlans(Month month, BillLedger ledger, SplittableRandom rng, BigDecimal onDemand, BigDecimal onDemandM5) {
        this.month = month;
        this.ledger = ledger;
        this.row = ledger.row;
        this.focus = month.spec.format() == BillFormat.FOCUS;
        String arnBase = "arn:aws:savingsplans::" + month.payer.id + ":savingsplan/";
        BigDecimal instance = hourly(onDemandM5.multiply(new BigDecimal("0.18")));
        BigDecimal upfront = instance.multiply(new BigDecimal("0.5"));
        BigDecimal compute = hourly(onDemand.multiply(new BigDecimal("0.25")));
        int bought = 3 * 24 + rng.nextInt(15 * 24);
        plans = List.of(
                new Plan(arnBase + Ids.uuid(rng), "EC2InstanceSP:1yrPartialUpfront", "1 year Partial Upfront EC2 "
                        + "Instance Savings Plan (m5), $" + instance.stripTrailingZeros().toPlainString()
                        + " hourly commitment", "m5", new BigDecimal("0.60"), Amounts.rate(instance.subtract(upfront)),
                        Amounts.rate(upfront), bought),
                new Plan(arnBase + Ids.uuid(rng), "ComputeSP:1yrNoUpfront", "1 year No Upfront Compute Savings Plan, $"
                        + compute.stripTrailingZeros().toPlainString() + " hourly commitment", null,
                        new BigDecimal("0.72"), Amounts.rate(compute), Amounts.rate(BigDecimal.ZERO), 0));
    }

    /** An hourly commitment: to the cent's tenth, at least 0.01. */
    private static BigDecimal hourly(BigDecimal v) {
        return v.setScale(3, RoundingMode.HALF_EVEN).max(new BigDecimal("0.010"));
    }

    List<Plan> plans() {
        return plans;
    }

    /**
     * Covers an on-demand instance row by the first plan with commitment left in hour {@code h}: the row becomes
     * {@code SavingsPlanCoveredUsage}.
     *
     * @return whether it did (then write the row, and on CUR and CUR 2.0 its {@link #negate negation})
     */
    boolean cover(BillRow r, Model.Instance i, int h) {
        for (Plan p : plans) {
            if (!p.appliesTo(i, h)) {
                continue;
            }
            if (p.hour != h) {
                p.hour = h;
                p.left = Amounts.units(p.commitment());
            }
            BigDecimal rate = Amounts.rate(r.rate.multiply(p.rateFactor));
            long effective = Amounts.cost(rate, r.quantity);
            if (effective <= p.left) {
                p.left -= effective;
                p.used += effective;
                last = p;
                r.lineItemType = "SavingsPlanCoveredUsage";
                r.commitment.savingsPlanArn = p.arn;
                r.commitment.savingsPlanRate = rate;
                r.commitment.name = p.label;
                r.commitment.set(Column.SP_EFFECTIVE_COST, effective);
                if (focus) {
                    r.cost = 0;
                }
                return true;
            }
        }
        return false;
    }

    /** Turns the covered row just written into its negation: minus its on-demand cost, the plan's ARN. */
    void negate(BillRow r) {
        r.lineItemType = "SavingsPlanNegation";
        r.rate = r.rate.negate();
        r.cost = -r.cost;
        r.blendedRate = r.blendedRate.negate();
        r.blendedCost = -r.blendedCost;
        r.description = "SavingsPlanNegation used by AccountId : " + r.account.id + " and UsageSku : "
                + Integer.toHexString(r.usageType.hashCode() | 0x10000000).toUpperCase(java.util.Locale.ROOT);
        r.commitment.clear();
        r.commitment.savingsPlanArn = last.arn;
        r.commitment.name = last.label;
    }

    /** The upfront payment of a plan bought in hour {@code h}: a {@code SavingsPlanUpfrontFee} row. */
    void purchasesDue(int h, long hs) throws IOException {
        for (Plan p : plans) {
            if (p.firstHour == h && h > 0 && p.upfrontPerHour.signum() > 0) {
                row.charge("sp_purchase", "SavingsPlanUpfrontFee", "Purchase", "One-Time", month.payer,
                        Catalog.SAVINGS_PLANS, p.usageType, "", p.label + ", upfront fee", hs, hs + HOUR,
                        BigDecimal.ONE, Amounts.rate(p.upfront()), Amounts.units(p.upfront()), "");
                row.monthly = false;
                row.commitment.savingsPlanArn = p.arn;
                row.commitment.name = p.label;
                row.invoiceId = month.invoiceMain;
                ledger.cost(row);
            }
        }
    }

    /** One {@code SavingsPlanRecurringFee} row per plan: its recurring fee, its commitment and what was used of it. */
    void feeRows() throws IOException {
        for (Plan p : plans) {
            BigDecimal qty = BigDecimal.valueOf(month.hours - p.firstHour);
            long fee = Amounts.cost(p.recurring, qty);
            long amortized = Amounts.cost(p.upfrontPerHour, qty);
            row.charge("savings_plan", "SavingsPlanRecurringFee", "Purchase", "Recurring", month.payer,
                    Catalog.SAVINGS_PLANS, p.usageType, "", p.label, month.start, month.end, qty, p.recurring, fee,
                    "Hrs");
            row.commitment.savingsPlanArn = p.arn;
            row.commitment.name = p.label;
            row.commitment.set(Column.SP_RECURRING_COMMITMENT, fee)
                    .set(Column.SP_AMORTIZED_UPFRONT_COMMITMENT, amortized)
                    .set(Column.SP_TOTAL_COMMITMENT, fee + amortized)
                    .set(Column.SP_USED_COMMITMENT, p.used);
            row.invoiceId = month.invoiceMain;
            ledger.cost(row);
        }
    }
}
