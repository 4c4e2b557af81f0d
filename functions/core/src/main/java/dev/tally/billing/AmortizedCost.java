package dev.tally.billing;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The amortized amount of a cost row (allocation contract §8): the one home of the rule, used by both
 * readers. For CUR and CUR 2.0 the row's line item type picks the amount — a reservation's or savings
 * plan's effective cost for the usage it covered, the unused part of a recurring fee or commitment,
 * nothing for an upfront purchase or a negation — and every other row keeps its unblended cost. For
 * FOCUS the amount is {@code EffectiveCost}. DBR has no amortization columns: its upfront sign-up
 * charges are left out here and spread by an {@link dev.tally.allocation.UpfrontLedger} instead.
 *
 * <p>An amortization column the bill lacks, or an empty cell in one, counts as 0. Each amount is
 * rounded half-even to ten places when read, as every cost is (§1), before two are added or subtracted.
 */
final class AmortizedCost {
    /** A row's amortized amount is its unblended cost. */
    static final int UNBLENDED = -1;
    /** A row's amortized amount is 0. */
    static final int ZERO = -2;
    /** A row's amortized amount needs more than one cell: read it through {@link #amount}. */
    static final int BY_ROW = -3;

    private static final String SIGN_UP_CHARGE = "Sign up charge for subscription";
    private static final byte[] SIGN_UP_CHARGE_BYTES = SIGN_UP_CHARGE.getBytes(StandardCharsets.US_ASCII);

    /** The CUR / CUR 2.0 line item types with an amount of their own, in {@link #kind} order. */
    private static final String[] TYPES = {
        "SavingsPlanCoveredUsage", "DiscountedUsage", "SavingsPlanRecurringFee", "RIFee",
        "SavingsPlanNegation", "SavingsPlanUpfrontFee", "Fee",
    };
    private static final byte[][] TYPE_BYTES = Arrays.stream(TYPES)
            .map(t -> t.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private final BillFormat format;
    private final int type;
    private final int savingsPlanEffectiveCost;
    private final int totalCommitmentToDate;
    private final int usedCommitment;
    private final int reservationEffectiveCost;
    private final int unusedAmortizedUpfrontFee;
    private final int unusedRecurringFee;
    private final int reservationArn;
    /** FOCUS {@code EffectiveCost}. */
    private final int effectiveCost;
    /** DBR {@code ItemDescription}, where sign-up charges are recognised. */
    private final int itemDescription;

    /** Where the columns of a header are; see {@link BillLayout}. */
    interface Columns {
        int optional(String name);

        int required(String name);
    }

    private AmortizedCost(BillFormat format, int type, Columns c) {
        this.format = format;
        this.type = type;
        boolean cur = format == BillFormat.CUR;
        boolean cur2 = format == BillFormat.CUR2;
        savingsPlanEffectiveCost = column(c, cur, "savingsPlan/SavingsPlanEffectiveCost", cur2,
                "savings_plan_savings_plan_effective_cost");
        totalCommitmentToDate = column(c, cur, "savingsPlan/TotalCommitmentToDate", cur2,
                "savings_plan_total_commitment_to_date");
        usedCommitment = column(c, cur, "savingsPlan/UsedCommitment", cur2, "savings_plan_used_commitment");
        reservationEffectiveCost = column(c, cur, "reservation/EffectiveCost", cur2, "reservation_effective_cost");
        unusedAmortizedUpfrontFee = column(c, cur, "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", cur2,
                "reservation_unused_amortized_upfront_fee_for_billing_period");
        unusedRecurringFee = column(c, cur, "reservation/UnusedRecurringFee", cur2, "reservation_unused_recurring_fee");
        reservationArn = column(c, cur, "reservation/ReservationARN", cur2, "reservation_reservation_a_r_n");
        effectiveCost = format == BillFormat.FOCUS ? c.required("EffectiveCost") : BillLayout.ABSENT;
        itemDescription = format == BillFormat.DBR ? c.optional("ItemDescription") : BillLayout.ABSENT;
    }

    private static int column(Columns c, boolean cur, String curName, boolean cur2, String cur2Name) {
        return cur ? c.optional(curName) : cur2 ? c.optional(cur2Name) : BillLayout.ABSENT;
    }

    /**
     * The rule for one bill under a basis, or null under the unblended basis (every row its cost as
     * written).
     *
     * @param type the line item type column (CUR, CUR 2.0), else {@link BillLayout#ABSENT}
     * @throws BillFileException from {@code columns} when a FOCUS bill lacks {@code EffectiveCost}
     */
    static AmortizedCost of(CostBasis basis, BillFormat format, int type, Columns columns) {
        return basis == CostBasis.AMORTIZED ? new AmortizedCost(format, type, columns) : null;
    }

    /** The columns the rule reads, for the fast reader to keep. */
    int[] columns() {
        return IntStream.of(type, savingsPlanEffectiveCost, totalCommitmentToDate, usedCommitment,
                reservationEffectiveCost, unusedAmortizedUpfrontFee, unusedRecurringFee, reservationArn,
                effectiveCost, itemDescription).filter(c -> c != BillLayout.ABSENT).toArray();
    }

    /** Whether the fast reader reads the line item type of every row. */
    boolean readsType() {
        return type != BillLayout.ABSENT;
    }

    /** Whether a cost row is a DBR upfront sign-up charge, which the ledger spreads instead (§8). */
    boolean isSignUpCharge(BillLayout.Fields row) {
        return itemDescription != BillLayout.ABSENT && row.get(itemDescription).stripLeading().startsWith(SIGN_UP_CHARGE);
    }

    /** {@link #isSignUpCharge} over a row's bytes: the description cell in {@code b[from, to)}. */
    boolean isSignUpCharge(byte[] b, int from, int to) {
        int start = FastBillReader.trimStart(b, from, to);
        return to - start >= SIGN_UP_CHARGE_BYTES.length
                && Arrays.equals(b, start, start + SIGN_UP_CHARGE_BYTES.length, SIGN_UP_CHARGE_BYTES, 0,
                SIGN_UP_CHARGE_BYTES.length);
    }

    /** The column of {@link #isSignUpCharge}, or {@link BillLayout#ABSENT}. */
    int itemDescription() {
        return itemDescription;
    }

    /**
     * Where the amount of a row of a line item type (trimmed, in {@code b[from, to)}) comes from, for the
     * fast reader: {@link #UNBLENDED}, {@link #ZERO}, {@link #BY_ROW}, or the index of the one column
     * that holds it.
     */
    int kind(byte[] b, int from, int to) {
        if (format == BillFormat.FOCUS) {
            return effectiveCost;
        }
        if (type == BillLayout.ABSENT) {
            return UNBLENDED;
        }
        for (int i = 0; i < TYPE_BYTES.length; i++) {
            byte[] t = TYPE_BYTES[i];
            if (to - from == t.length && Arrays.equals(b, from, to, t, 0, t.length)) {
                return kind(i);
            }
        }
        return UNBLENDED;
    }

    private int kind(int typeIndex) {
        return switch (typeIndex) {
            case 0 -> orZero(savingsPlanEffectiveCost);
            case 1 -> orZero(reservationEffectiveCost);
            case 4, 5 -> ZERO;
            default -> BY_ROW; // the recurring fees (two cells) and Fee (is it a reservation's?)
        };
    }

    private static int orZero(int column) {
        return column == BillLayout.ABSENT ? ZERO : column;
    }

    /** An amount as written and at ten places (see {@link BillScan#countLineItem}). */
    record Amount(BigDecimal asWritten, BigDecimal rounded) {
        static final Amount NONE = new Amount(Money.ZERO, Money.ZERO);

        Amount plus(Amount other, int sign) {
            return sign > 0 ? new Amount(asWritten.add(other.asWritten), rounded.add(other.rounded))
                    : new Amount(asWritten.subtract(other.asWritten), rounded.subtract(other.rounded));
        }
    }

    /**
     * The amortized amount of a cost row.
     *
     * @param unblended the row's cost column, as written and rounded
     * @throws MalformedRowException when a cell the rule reads is not a number
     */
    Amount amount(BillLayout.Fields row, Amount unblended) throws MalformedRowException {
        if (format == BillFormat.FOCUS) {
            return cell(row, effectiveCost);
        }
        if (type == BillLayout.ABSENT) {
            return unblended;
        }
        String lineItemType = row.get(type).trim();
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i].equals(lineItemType)) {
                return amount(row, i, unblended);
            }
        }
        return unblended;
    }

    private Amount amount(BillLayout.Fields row, int typeIndex, Amount unblended) throws MalformedRowException {
        return switch (typeIndex) {
            case 0 -> cell(row, savingsPlanEffectiveCost);
            case 1 -> cell(row, reservationEffectiveCost);
            case 2 -> cell(row, totalCommitmentToDate).plus(cell(row, usedCommitment), -1);
            case 3 -> cell(row, unusedAmortizedUpfrontFee).plus(cell(row, unusedRecurringFee), 1);
            case 4, 5 -> Amount.NONE;
            default -> reservationArn != BillLayout.ABSENT && !row.get(reservationArn).isBlank() ? Amount.NONE
                    : unblended;
        };
    }

    /** One amortization cell: empty (or a column the bill lacks) is 0. */
    private static Amount cell(BillLayout.Fields row, int column) throws MalformedRowException {
        if (column == BillLayout.ABSENT) {
            return Amount.NONE;
        }
        String text = row.get(column);
        if (text.isBlank()) {
            return Amount.NONE;
        }
        BigDecimal asWritten = BillScan.parseCost(text);
        return new Amount(asWritten, Money.round(asWritten));
    }
}
