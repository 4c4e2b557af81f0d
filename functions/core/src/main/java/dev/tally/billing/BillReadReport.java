package dev.tally.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * What reading a bill found besides its cost lines: counts, the rows it could not use, and the
 * invoice totals the bill states for reconciliation.
 *
 * @param format          recognised format
 * @param packaging       plain, gzip or zip
 * @param billingPeriod   the period stated by (or implied from) the first cost line; null if none
 * @param lineItems       cost line items handed to the listener
 * @param skippedRows     rows that are not cost line items (totals, rounding, blank product)
 * @param malformedRows   rows that could not be parsed
 * @param malformed       the first malformed rows (line number and reason, never row content)
 * @param statedInvoiceTotals invoice totals stated by the bill itself (DBR {@code InvoiceTotal} rows)
 */
public record BillReadReport(
        BillFormat format,
        BillSource.Packaging packaging,
        YearMonth billingPeriod,
        long lineItems,
        long skippedRows,
        long malformedRows,
        List<MalformedRow> malformed,
        Map<String, BigDecimal> statedInvoiceTotals) {

    /** Number of malformed rows whose line number and reason are kept in the report. */
    public static final int MAX_REPORTED_MALFORMED = 1000;

    /** A row that could not be parsed: where it is and why, without its content. */
    public record MalformedRow(long lineNumber, String reason) {
    }
}
