package dev.tally.billing;

import dev.tally.money.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a bill: which rows are cost line items, skipped or malformed (allocation contract
 * §2), the billing period, the counts and the report. Both readers use it — the library-based one
 * for every row, the fast one for its bookkeeping and for the rare rows it does not read itself — so
 * both classify rows the same way.
 */
final class BillScan {
    private static final Logger LOG = LoggerFactory.getLogger(BillScan.class);
    static final String LINE_ITEM = "LineItem";
    private static final String INVOICE_TOTAL = "InvoiceTotal";
    private static final int LOGGED_MALFORMED = 20;

    private final BillLayout layout;
    private final BillListener listener;
    private final List<BillReadReport.MalformedRow> malformed = new ArrayList<>();
    private final Map<String, BigDecimal> invoiceTotals = new TreeMap<>();
    private YearMonth period;
    private long lineItems;
    private long skipped;
    private long malformedCount;

    BillScan(BillLayout layout, BillListener listener) {
        this.layout = layout;
        this.listener = listener;
    }

    BillLayout layout() {
        return layout;
    }

    /** Classifies one row and hands a cost line item to the listener. */
    void row(BillLayout.Fields fields, int fieldCount, long line) {
        if (fieldCount != layout.fieldCount) {
            malformed(line, "expected " + layout.fieldCount + " fields, found " + fieldCount);
            return;
        }
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
            BigDecimal cost = parseCost(fields.get(layout.cost));
            long start = parseInstant(fields.get(layout.usageStart), "usage start");
            long end = parseInstant(fields.get(layout.usageEnd), "usage end");
            String invoice = layout.invoiceId == BillLayout.ABSENT ? "" : fields.get(layout.invoiceId).trim();
            String resource = fields.get(layout.resourceId).trim();
            String tag = layout.tag(fields);
            startPeriod(fields, start, line);
            lineItems++;
            listener.onCostLine(new CostLine(line, invoice, product, resource, tag, start, end, cost));
        } catch (MalformedRowException e) {
            malformed(line, e.getMessage());
        }
    }

    /** Before the first cost line item: settles the period the bill states or implies, once. */
    void startPeriod(BillLayout.Fields fields, long usageStart, long line) {
        if (period == null) {
            period = billingPeriod(fields, usageStart, line);
            listener.onBillingPeriod(period);
        }
    }

    /** Counts a cost line item the caller hands over itself. */
    void countLineItem() {
        lineItems++;
    }

    private YearMonth billingPeriod(BillLayout.Fields fields, long usageStart, long line) {
        if (layout.billingPeriodStart != BillLayout.ABSENT) {
            String stated = fields.get(layout.billingPeriodStart).trim();
            if (!stated.isEmpty()) {
                try {
                    return month(Timestamps.parseMillis(stated));
                } catch (DateTimeParseException e) {
                    LOG.warn("line {}: unparseable billing period start, using the usage start's month", line);
                }
            }
        }
        return month(usageStart);
    }

    private static YearMonth month(long epochMillis) {
        return YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC));
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
            malformed.add(new BillReadReport.MalformedRow(line, reason));
        }
        if (malformedCount <= LOGGED_MALFORMED) {
            LOG.warn("line {}: malformed row skipped: {}", line, reason);
        } else if (malformedCount == LOGGED_MALFORMED + 1) {
            LOG.warn("more malformed rows; the rest are only counted and listed in the report");
        }
    }

    static BigDecimal parseCost(String text) throws MalformedRowException {
        try {
            return Money.parse(text);
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
        return new BillReadReport(layout.format, packaging, period, lineItems, skipped, malformedCount,
                List.copyOf(malformed), Collections.unmodifiableMap(invoiceTotals));
    }
}
