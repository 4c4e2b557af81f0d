package dev.tally.billing;

import dev.tally.money.Money;
import dev.tally.money.ScaledMoney;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a bill: which rows are cost line items, skipped or malformed (allocation contract
 * §2), which billing period each belongs to (§1, {@link BillingPeriods}), the counts and the report.
 * Both readers use it — the library-based one for every row, the fast one for its bookkeeping and for
 * the rare rows it does not read itself — so both classify rows the same way.
 *
 * <p>A cost row is read in this order, and the first problem makes it malformed: cost, usage start,
 * usage end, billing period; a row of another period is then counted and left; the rest (tag, invoice,
 * resource, type) is read only for rows of the period allocated.
 */
final class BillScan {
    private static final Logger LOG = LoggerFactory.getLogger(BillScan.class);
    static final String LINE_ITEM = "LineItem";
    /** A usage time the bill has no column for: the row spans the billing period. */
    static final long NO_TIME = Long.MIN_VALUE;
    private static final String INVOICE_TOTAL = "InvoiceTotal";
    private static final int LOGGED_MALFORMED = 20;

    private final String part;
    private final BillLayout layout;
    private final BillListener listener;
    final BillingPeriods periods;
    private final ProviderTotals providers;
    private final List<BillReadReport.MalformedRow> malformed = new ArrayList<>();
    private final Map<String, BigDecimal> invoiceTotals = new TreeMap<>();
    private long lineItems;
    private long skipped;
    private long malformedCount;
    private long roundedAmounts;
    private BigDecimal roundingDifference = BigDecimal.ZERO;
    private long invoicedUnits;
    private BigDecimal invoicedOverflow = Money.ZERO;

    /**
     * @param period the period to allocate ({@code --period}), or null for the bill's own
     * @throws BillFileException if no period is given and the bill has no column to tell it from
     */
    BillScan(String part, BillLayout layout, YearMonth period, BillListener listener) {
        if (period == null && layout.billingPeriodStart == BillLayout.ABSENT && layout.usageStart == BillLayout.ABSENT) {
            throw new BillFileException(part, "names no billing period (it has neither a billing period nor a "
                    + "usage start column); give the period with --period");
        }
        this.part = part;
        this.layout = layout;
        this.listener = listener;
        this.periods = new BillingPeriods(period, listener::onBillingPeriod);
        this.providers = layout.provider == BillLayout.ABSENT ? null : new ProviderTotals();
        if (layout.split != null) {
            listener.onSplitColumns();
        }
    }

    BillLayout layout() {
        return layout;
    }

    /** Classifies one row and hands a cost line item of the period to the listener. */
    void row(BillLayout.Fields raw, int fieldCount, long line) {
        if (fieldCount != layout.fieldCount) {
            malformed(line, "expected " + layout.fieldCount + " fields, found " + fieldCount);
            return;
        }
        BillLayout.Fields fields = layout.cells(raw);
        try {
            String product = layout.product(fields);
            if (layout.recordType != BillLayout.ABSENT) {
                String recordType = fields.get(layout.recordType).trim();
                if (!LINE_ITEM.equals(recordType)) {
                    skip(recordType, fields);
                    return;
                }
            }
            if (product.isEmpty()) {
                skip("", fields);
                return;
            }
            if (layout.amortized != null && layout.amortized.isSignUpCharge(fields)) {
                BigDecimal fee = Money.round(parseCost(fields.get(layout.cost)));
                skip(LINE_ITEM, fields); // spread by the upfront ledger instead (§8)
                listener.onUpfrontFee(product, fee);
                return;
            }
            BigDecimal asWritten = parseCost(fields.get(layout.cost));
            BigDecimal cost = Money.round(asWritten);
            long start = layout.usageStart == BillLayout.ABSENT ? NO_TIME
                    : parseInstant(fields.get(layout.usageStart), "usage start");
            long end = layout.usageEnd == BillLayout.ABSENT ? NO_TIME
                    : parseInstant(fields.get(layout.usageEnd), "usage end");
            int month = rowMonth(fields, start);
            if (!periods.isCurrent(month)) {
                periods.other(month, cost);
                return;
            }
            AmortizedCost.Amount amount = new AmortizedCost.Amount(asWritten, cost);
            if (layout.amortized != null) {
                amount = layout.amortized.amount(fields, amount);
            }
            String tag = layout.tag(fields);
            String invoice = text(fields, layout.invoiceId);
            String resource = text(fields, layout.resourceId);
            boolean usage = resource.isEmpty() && layout.isUsage(text(fields, layout.chargeType));
            if (providers != null) {
                providers.add(text(fields, layout.provider), cost);
            }
            long from = start == NO_TIME ? periods.start() : start;
            long to = end == NO_TIME ? periods.end() : end;
            SplitLine split = layout.split == null ? null : layout.split.read(fields, resource, from, to);
            countLineItem(amount.asWritten(), amount.rounded());
            countInvoiced(cost);
            if (split != null) {
                listener.onSplitLine(split);
            }
            listener.onCostLine(new CostLine(line, invoice, product, resource, tag, usage, from, to,
                    amount.rounded()));
        } catch (MalformedRowException e) {
            malformed(line, e.getMessage());
        }
    }

    private static String text(BillLayout.Fields fields, int column) {
        return column == BillLayout.ABSENT ? "" : fields.get(column).trim();
    }

    /**
     * The month a cost row belongs to (see {@link BillingPeriods#monthOf}): its billing period column,
     * else (no such column, or an empty cell) the month its usage starts, else {@link BillingPeriods#UNKNOWN}.
     */
    int rowMonth(BillLayout.Fields fields, long usageStart) throws MalformedRowException {
        if (layout.billingPeriodStart != BillLayout.ABSENT) {
            String stated = fields.get(layout.billingPeriodStart);
            if (!stated.trim().isEmpty()) {
                return periods.monthOf(parseInstant(stated, "billing period start"));
            }
        }
        return usageStart == NO_TIME ? BillingPeriods.UNKNOWN : periods.monthOf(usageStart);
    }

    /**
     * Counts a cost line item of the period.
     *
     * @param asWritten its amount as the bill writes it, when read by {@link #parseCost} (null when the fast
     *                  reader read it: it then has at most ten places)
     */
    void countLineItem(BigDecimal asWritten, BigDecimal rounded) {
        lineItems++;
        if (asWritten != null && asWritten.scale() > Money.SCALE) {
            roundedAmounts++;
            roundingDifference = roundingDifference.add(rounded.subtract(asWritten));
        }
    }

    /** Adds a line item's invoiced (unblended or billed) cost, whatever the basis allocates. */
    void countInvoiced(BigDecimal cost) {
        invoicedOverflow = invoicedOverflow.add(cost);
    }

    /** {@link #countInvoiced(BigDecimal)} in 10<sup>-10</sup> units. */
    void countInvoiced(long units) {
        long sum = invoicedUnits + units;
        if (((invoicedUnits ^ sum) & (units ^ sum)) < 0) {
            invoicedOverflow = invoicedOverflow.add(ScaledMoney.toBigDecimal(invoicedUnits));
            invoicedUnits = units;
        } else {
            invoicedUnits = sum;
        }
    }

    ProviderTotals providers() {
        return providers;
    }

    /** A row that is not a cost line item; invoice totals are kept for reconciliation. */
    void skip(String recordType, BillLayout.Fields fields) {
        skipped++;
        if (INVOICE_TOTAL.equals(recordType) && layout.invoiceId != BillLayout.ABSENT) {
            try {
                invoiceTotals.merge(fields.get(layout.invoiceId).trim(),
                        Money.parse(fields.get(layout.cost)), BigDecimal::add);
            } catch (NumberFormatException e) {
                // a total we cannot read is simply not reconciled
            }
        }
    }

    void malformed(long line, String reason) {
        malformedCount++;
        if (malformed.size() < BillReadReport.MAX_REPORTED_MALFORMED) {
            malformed.add(new BillReadReport.MalformedRow(part, line, reason));
        }
        if (malformedCount <= LOGGED_MALFORMED) {
            LOG.warn("{} line {}: malformed row skipped: {}", part, line, reason);
        } else if (malformedCount == LOGGED_MALFORMED + 1) {
            LOG.warn("more malformed rows; the rest are only counted and listed in the report");
        }
    }

    /**
     * A cost exactly as written (any number of places; the caller rounds it).
     *
     * @throws MalformedRowException "unparseable cost" only when the text is not a number
     */
    static BigDecimal parseCost(String text) throws MalformedRowException {
        try {
            return Money.parseAsWritten(text);
        } catch (Money.OutOfRange e) {
            throw new MalformedRowException("cost out of range");
        } catch (NumberFormatException e) {
            throw new MalformedRowException("unparseable cost");
        }
    }

    static long parseInstant(String text, String what) throws MalformedRowException {
        try {
            return Timestamps.parseMillis(text);
        } catch (DateTimeParseException e) {
            throw new MalformedRowException("unparseable " + what + " date");
        }
    }

    BillReadReport report(BillSource.Packaging packaging) {
        return new BillReadReport(layout.format, packaging, periods.period(), periods.byRows(lineItems), lineItems,
                skipped, malformedCount, List.copyOf(malformed), Collections.unmodifiableMap(invoiceTotals),
                layout.invoiceId != BillLayout.ABSENT, periods.others(),
                new BillReadReport.Rounding(roundedAmounts, roundingDifference),
                providers == null ? Collections.emptySortedMap() : providers.totals(),
                layout.amortized == null ? CostBasis.UNBLENDED : CostBasis.AMORTIZED,
                invoicedOverflow.add(ScaledMoney.toBigDecimal(invoicedUnits)));
    }
}
