package dev.tally.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What reading a bill found besides its cost lines: counts, the rows it could not use, and the
 * invoice totals the bill states for reconciliation.
 *
 * @param format          recognised format
 * @param packaging       plain, gzip or zip
 * @param billingPeriod   the period allocated (given, or the bill's own); null if the bill had no cost rows
 * @param periodByRows    the period the bill's cost rows name most often (ties: the earliest), or the given
 *                        period; when it differs from {@code billingPeriod}, the bill must be read again
 *                        for that period (see {@link BillingPeriods})
 * @param lineItems       cost line items handed to the listener
 * @param skippedRows     rows that are not cost line items (totals, rounding, blank product)
 * @param malformedRows   rows that could not be parsed
 * @param malformed       the first malformed rows (line number and reason, never row content)
 * @param statedInvoiceTotals invoice totals stated by the bill itself (DBR {@code InvoiceTotal} rows)
 * @param statesInvoiceIds whether the bill has an invoice id column (without one it cannot say it is final)
 * @param otherPeriods    cost rows of other billing periods, not allocated: rows and exact total per period
 * @param rounding        the line items' amounts written with more than ten decimal places
 * @param providerTotals  FOCUS: exact total of the line items per {@code ProviderName}; empty for other formats
 */
public record BillReadReport(
        BillFormat format,
        BillSource.Packaging packaging,
        YearMonth billingPeriod,
        YearMonth periodByRows,
        long lineItems,
        long skippedRows,
        long malformedRows,
        List<MalformedRow> malformed,
        Map<String, BigDecimal> statedInvoiceTotals,
        boolean statesInvoiceIds,
        SortedMap<YearMonth, OtherPeriod> otherPeriods,
        Rounding rounding,
        SortedMap<String, BigDecimal> providerTotals) {

    /** Number of malformed rows whose line number and reason are kept in the report. */
    public static final int MAX_REPORTED_MALFORMED = 1000;

    /** A row that could not be parsed: where it is and why, without its content. */
    public record MalformedRow(long lineNumber, String reason) {
    }

    /** Cost rows of a billing period other than the one allocated. */
    public record OtherPeriod(long rows, BigDecimal cost) {
    }

    /**
     * Amounts with more than ten decimal places, rounded half-even to ten when read (§1).
     *
     * @param amounts    how many line items' amounts had more than ten places
     * @param difference exact Σ (rounded − as written) over them
     */
    public record Rounding(long amounts, BigDecimal difference) {
    }

    /** Cost rows of other periods, left out. */
    public long otherPeriodRows() {
        return otherPeriods.values().stream().mapToLong(OtherPeriod::rows).sum();
    }

    /** Whether the rows name another period than the one read for, so the bill must be read for that one. */
    public boolean needsRereadFor(YearMonth given) {
        return given == null && billingPeriod != null && !billingPeriod.equals(periodByRows);
    }
}
