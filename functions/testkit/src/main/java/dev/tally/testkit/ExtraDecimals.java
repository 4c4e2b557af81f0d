package dev.tally.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;

/**
 * {@code extra-decimals}: about 2% of the cost line items have their cost column written with more than 10
 * decimal places, as real bills sometimes do. The written amount is the row's 10-place amount with a few digits
 * appended, taken in rotation from {@link #SUFFIXES} (rounding down, an exact tie that half-even sends to the
 * even digit, rounding up), laid out by {@link BigDecimal#toString()}: tiny amounts come out in exponent form
 * ({@code 4.999E-11}). A reader rounds every amount half-even to 10 places; the generator's accounting (totals,
 * invoice totals, cost by kind, the subtotals tax is computed on) uses that rounded value, which
 * {@link #book(BillRow)} returns.
 *
 * <p>The choice draws from its own random stream only, so the rest of the month is what it would be without the
 * option, up to the rounded amounts and what is derived from the totals. If fewer than
 * {@link #MIN_EXPONENT_FORMS} amounts came out in exponent form by the end of the month (only zero-cost rows do
 * naturally), {@link #tinyRow} supplies Lambda rows of a few hundred-millionths of a dollar whose cost always
 * gets extra digits.
 */
final class ExtraDecimals {
    /** Share of the cost line items whose cost gets extra digits. */
    static final double RATE = 0.02;
    /** Digits appended to the 10-place amount, in rotation: down, down, tie, up, down, up. */
    static final String[] SUFFIXES = {"4", "49999", "5", "51", "0000001", "96"};
    /** A month has at least this many amounts in exponent form. */
    static final int MIN_EXPONENT_FORMS = 3;

    private final SplittableRandom rng;
    private int nextSuffix;
    private boolean forceNext;
    private int tinyRows;
    private int exponentForms;
    private long rounded;
    private BigDecimal difference = BigDecimal.ZERO;

    private final boolean asDoubles;

    /** @param asDoubles write each amount as the shortest decimal of its double ({@link MonthSpec#doubleAmounts}) */
    ExtraDecimals(SplittableRandom rng, boolean asDoubles) {
        this.rng = rng;
        this.asDoubles = asDoubles;
    }

    /**
     * Decides whether this cost line item's cost gets extra digits (then sets {@link BillRow#costText}; the
     * row's {@code cost} stays the 10-place amount the other money columns show).
     *
     * @return the amount to account for, in units: the written cost rounded half-even to 10 places
     */
    long book(BillRow r) {
        if (!forceNext && rng.nextDouble() >= RATE) {
            return r.cost;
        }
        forceNext = false;
        BigDecimal written = new BigDecimal(Amounts.fixed(r.cost) + SUFFIXES[nextSuffix++ % SUFFIXES.length]);
        if (asDoubles) {
            // a Parquet bill holds the double: it and the month's CSV then agree on the amount (and its rounding)
            written = Amounts.shortestDecimal(written.doubleValue());
        }
        BigDecimal value = written.setScale(Amounts.SCALE, RoundingMode.HALF_EVEN);
        r.costText = written.toString();
        if (r.costText.indexOf('E') >= 0) {
            exponentForms++;
        }
        rounded++;
        difference = difference.add(value.subtract(written));
        return value.unscaledValue().longValueExact();
    }

    /** @return whether the month still lacks amounts in exponent form (then write a {@link #tinyRow}) */
    boolean wantsTinyRow() {
        return exponentForms < MIN_EXPONENT_FORMS && tinyRows < MIN_EXPONENT_FORMS;
    }

    /**
     * Fills {@code row} with a few Lambda invocations (0.001 to 0.005 GB-seconds: less than a ten-millionth of a
     * dollar) in {@code [from, to)}; the next {@link #book} gives its cost extra digits, in exponent form.
     */
    BillRow tinyRow(BillRow row, Model.Account account, long from, long to) {
        tinyRows++;
        forceNext = true;
        Catalog.OtherKind k = Catalog.OtherKind.LAMBDA_FUNCTION;
        return row.usage("untagged_other", account, k.product, k.usageType, k.operation, "", k.description, from, to,
                BigDecimal.valueOf(1 + rng.nextInt(5), 3), k.rate, k.unit, "arn:aws:lambda:" + Catalog.REGION + ":"
                        + account.id + ":function:healthcheck-" + Ids.hex(rng, 6), "", null, null);
    }

    /** @return cost line items whose written amount has more than 10 decimal places */
    long rounded() {
        return rounded;
    }

    /** @return exact Σ (rounded − written) over those line items */
    BigDecimal difference() {
        return difference;
    }
}
