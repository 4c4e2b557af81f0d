package dev.tally.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What reading a bill found besides its cost lines: counts, the rows it could not use, and the
 * invoice totals the bill states for reconciliation.
 *
 * @param format          recognised format
 * @param packaging       plain, gzip or zip
 * @param billingPeriod   the period allocated (given, or the bill's own); null if the bill had no cost rows
 * @param periodByRows    the period the bill's cost rows name most often (ties: the earliest); when no period
 *                        was given and it differs from {@code billingPeriod}, the bill must be read again for
 *                        that period (see {@link BillingPeriods})
 * @param lineItems       cost line items handed to the listener
 * @param skippedRows     rows that are not cost line items (totals, rounding, blank product)
 * @param malformedRows   rows that could not be parsed
 * @param malformed       the first malformed rows (line number and reason, never row content)
 * @param statedInvoiceTotals invoice totals stated by the bill itself (DBR {@code InvoiceTotal} rows)
 * @param statesInvoiceIds whether the bill has an invoice id column (without one it cannot say it is final)
 * @param otherPeriods    cost rows of other billing periods, not allocated: rows and exact total per period
 * @param rounding        the line items' amounts written with more than ten decimal places
 * @param providerTotals  FOCUS: exact total of the line items' billed cost per {@code ProviderName}; empty for
 *                        other formats
 * @param costBasis       the amount of each row handed on (§8)
 * @param invoicedCost    exact total of the line items' unblended (FOCUS: billed) cost, whatever the basis: what
 *                        the invoice charged for them
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
        SortedMap<String, BigDecimal> providerTotals,
        CostBasis costBasis,
        BigDecimal invoicedCost) {

    /** Number of malformed rows whose line number and reason are kept in the report. */
    public static final int MAX_REPORTED_MALFORMED = 1000;

    /**
     * A row that could not be parsed: where it is and why, without its content.
     *
     * @param part the bill part (file or object) it is in
     */
    public record MalformedRow(String part, long lineNumber, String reason) {
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

    /** Cost rows per billing period they name: the allocated period's line items and the other periods' rows. */
    public SortedMap<YearMonth, Long> rowsByPeriod() {
        SortedMap<YearMonth, Long> rows = new TreeMap<>();
        if (billingPeriod != null) {
            rows.put(billingPeriod, lineItems);
        }
        otherPeriods.forEach((period, other) -> rows.merge(period, other.rows(), Long::sum));
        return rows;
    }

    /**
     * The period most cost rows of several parts name (ties: the earliest), or null if none has cost rows
     * (§1; see {@link BillingPeriods}).
     */
    public static YearMonth periodByRows(List<BillReadReport> parts) {
        SortedMap<YearMonth, Long> rows = new TreeMap<>();
        parts.forEach(part -> part.rowsByPeriod().forEach((period, n) -> rows.merge(period, n, Long::sum)));
        YearMonth best = null;
        long most = -1;
        for (Map.Entry<YearMonth, Long> e : rows.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /**
     * The report of a bill read in parts, all for one period: counts and totals add up, the malformed rows
     * are listed part by part.
     *
     * @throws BillFileException if the parts are not of one format
     */
    public static BillReadReport merge(List<String> partNames, List<BillReadReport> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        BillReadReport first = parts.get(0);
        YearMonth period = null;
        long lineItems = 0;
        long skipped = 0;
        long malformedRows = 0;
        List<MalformedRow> malformed = new ArrayList<>();
        Map<String, BigDecimal> invoiceTotals = new TreeMap<>();
        boolean statesInvoiceIds = true;
        SortedMap<YearMonth, OtherPeriod> others = new TreeMap<>();
        long roundedAmounts = 0;
        BigDecimal roundingDifference = BigDecimal.ZERO;
        SortedMap<String, BigDecimal> providers = new TreeMap<>();
        BigDecimal invoiced = BigDecimal.ZERO;
        for (int i = 0; i < parts.size(); i++) {
            BillReadReport part = parts.get(i);
            if (part.format != first.format) {
                throw new BillFileException(partNames.get(i), "is a " + part.format.id() + " bill, but "
                        + partNames.get(0) + ", the first part of the same bill, is " + first.format.id());
            }
            if (part.billingPeriod != null) {
                if (period != null && !period.equals(part.billingPeriod)) {
                    throw new IllegalArgumentException("parts read for " + period + " and " + part.billingPeriod);
                }
                period = part.billingPeriod;
            }
            lineItems += part.lineItems;
            skipped += part.skippedRows;
            malformedRows += part.malformedRows;
            part.malformed.stream().limit(MAX_REPORTED_MALFORMED - malformed.size()).forEach(malformed::add);
            part.statedInvoiceTotals.forEach((id, total) -> invoiceTotals.merge(id, total, BigDecimal::add));
            statesInvoiceIds &= part.statesInvoiceIds;
            part.otherPeriods.forEach((p, o) -> others.merge(p, o,
                    (a, b) -> new OtherPeriod(a.rows() + b.rows(), a.cost().add(b.cost()))));
            roundedAmounts += part.rounding.amounts();
            roundingDifference = roundingDifference.add(part.rounding.difference());
            part.providerTotals.forEach((provider, total) -> providers.merge(provider, total, BigDecimal::add));
            invoiced = invoiced.add(part.invoicedCost);
        }
        return new BillReadReport(first.format, first.packaging, period, periodByRows(parts), lineItems, skipped,
                malformedRows, List.copyOf(malformed), Collections.unmodifiableMap(invoiceTotals), statesInvoiceIds,
                Collections.unmodifiableSortedMap(others), new Rounding(roundedAmounts, roundingDifference),
                Collections.unmodifiableSortedMap(providers), first.costBasis, invoiced);
    }
}
