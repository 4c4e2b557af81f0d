package dev.tally.testkit;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.tally.testkit.Draw.uniform;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.SECOND;

/**
 * The bill as written: every row goes through here to the {@link BillWriter}. Counts the cost line items and the
 * skipped rows, sums the costs (what a reader gets) per account, invoice, product and row kind for the manifest
 * (with {@code commitments} also the amortized amounts),
 * injects the malformed rows at their planned row numbers, and writes the DBR total lines from those sums.
 */
final class BillLedger {
    private final List<Model.Account> accounts;
    private final SplittableRandom malformedRowRng;
    /** {@code extra-decimals}, or null. */
    private final ExtraDecimals extraDecimals;
    /** The one row every writer of rows fills and hands in. */
    final BillRow row = new BillRow();
    private BillWriter bill;
    private long[] malformedAt;
    private int malformedNext;

    long totalUnits;
    long lineItems;
    long skippedRows;
    long malformedRows;
    /** {@code split-cost-allocation}: split line items (counted in {@link #lineItems} too), those with ECS tags. */
    long splitLineItems;
    long splitLineItemsTagged;
    final long[] perAccount = new long[3];
    final SortedMap<String, long[]> perInvoice = new TreeMap<>();
    final SortedMap<String, long[]> perProduct = new TreeMap<>();
    final SortedMap<String, long[]> perKind = new TreeMap<>();
    /** {@code commitments}: Σ of the amortized amounts (§8), line items under that basis, rows per line item type. */
    private final BillFormat amortizedFormat;
    long amortizedUnits;
    long amortizedLineItems;
    final SortedMap<String, long[]> perType = new TreeMap<>();

    BillLedger(Month month, SplittableRandom malformedRowRng, ExtraDecimals extraDecimals) {
        this.accounts = month.accounts;
        this.amortizedFormat = month.spec.commitments() ? month.spec.format() : null;
        this.malformedRowRng = malformedRowRng;
        this.extraDecimals = extraDecimals;
    }

    /** Malformed rows at random row numbers of the expected rows (exact count; leftovers go before the tail rows). */
    void placeMalformed(int count, long estimatedRows) {
        malformedAt = new long[count];
        for (int i = 0; i < malformedAt.length; i++) {
            malformedAt[i] = uniform(malformedRowRng, 1, Math.max(2, estimatedRows));
        }
        Arrays.sort(malformedAt);
    }

    /** Where the rows go (set before the first row). */
    void open(BillWriter b) {
        this.bill = b;
    }

    void writeHeader() throws IOException {
        bill.writeHeader();
    }

    /**
     * Books a cost row before it is written (then {@link #cost} writes it with that amount): what a reader will get
     * for it, known before other rows go first ({@code split-cost-allocation}). Draws what {@link #cost} would.
     *
     * @return the amount in units
     */
    long prebook(BillRow r) {
        r.booked = extraDecimals == null ? r.cost : extraDecimals.book(r);
        r.prebooked = true;
        return r.booked;
    }

    /** @return a row's amortized amount (§8) given what a reader gets for its cost ({@code commitments} only) */
    long amortized(BillRow r, long units) {
        return AmortizedAmount.of(amortizedFormat, r, units);
    }

    /**
     * Writes a cost line item.
     *
     * @return its amount as a reader gets it, in units
     */
    long cost(BillRow r) throws IOException {
        if (malformedNext < malformedAt.length && lineItems + skippedRows + malformedRows >= malformedAt[malformedNext]) {
            malformedNext++;
            malformedRows++;
            bill.writeMalformed(r);
        }
        // what a reader gets: the written cost rounded to 10 places (differs from r.cost only with extra decimals)
        // split line items (cost 0) never get extra digits: the other rows' draws are the same as without them
        long units = r.prebooked ? r.booked
                : extraDecimals == null || r.parentResourceId != null ? r.cost : extraDecimals.book(r);
        r.prebooked = false;
        bill.write(r);
        r.costText = null;
        lineItems++;
        if (r.parentResourceId != null) {
            splitLineItems++;
            if (r.ecsCluster != null) {
                splitLineItemsTagged++;
            }
        }
        totalUnits = Math.addExact(totalUnits, units);
        perAccount[accounts.indexOf(r.account)] += units;
        perInvoice.computeIfAbsent(r.invoiceId, k -> new long[1])[0] += units;
        perProduct.computeIfAbsent(r.product, k -> new long[1])[0] += units;
        perKind.computeIfAbsent(r.kind, k -> new long[1])[0] += units;
        if (amortizedFormat != null) {
            amortizedUnits = Math.addExact(amortizedUnits, AmortizedAmount.of(amortizedFormat, r, units));
            if (amortizedFormat != BillFormat.DBR || !AmortizedAmount.isSignUpCharge(r)) {
                amortizedLineItems++;
            }
            perType.computeIfAbsent(r.lineItemType, k -> new long[1])[0]++;
        }
        return units;
    }

    void skipped(BillRow r) throws IOException {
        bill.write(r);
        skippedRows++;
    }
    /** A row of another billing period ({@link StrayRows} counts it): not a row of the month. */
    void otherPeriod(BillRow r) throws IOException {
        bill.write(r);
    }

    /** The malformed rows not written yet (the bill had fewer rows than expected), before the tail rows. */
    void remainingMalformed(Model.Account account, long end, String invoiceMain) throws IOException {
        while (malformedNext < malformedAt.length) {
            malformedNext++;
            malformedRows++;
            row.usage("instance", account, Catalog.EC2, "BoxUsage:m5.large", "RunInstances", "us-east-1a",
                    "$0.096 per On Demand Linux m5.large Instance Hour", end - HOUR, end, BigDecimal.ONE,
                    new BigDecimal("0.096"), "Hrs", "i-0" + Ids.hex(malformedRowRng, 16), "Instance", null, null);
            row.invoiceId = invoiceMain;
            bill.writeMalformed(row);
        }
    }

    /** DBR's rounding, account, invoice and statement total lines (skipped rows), from the sums so far. */
    void dbrTotals(Times times, long start, long end, String invoiceMain) throws IOException {
        DbrWriter dbr = (DbrWriter) bill;
        long rounded = 0;
        for (long[] v : perInvoice.values()) {
            rounded += Amounts.roundCents(v[0]);
        }
        String period = times.format(start, Times.Style.DBR) + " - " + times.format(end - SECOND, Times.Style.DBR);
        dbr.writeTotal("Rounding", null, invoiceMain, "Rounding of the line items to the invoice total",
                rounded - totalUnits);
        skippedRows++;
        for (int a = 0; a < accounts.size(); a++) {
            Model.Account acct = accounts.get(a);
            dbr.writeTotal("AccountTotal", acct, invoiceMain, "Total for linked account# " + acct.id + " ("
                    + acct.name + ")", Amounts.roundCents(perAccount[a]));
            skippedRows++;
        }
        for (Map.Entry<String, long[]> e : perInvoice.entrySet()) {
            dbr.writeTotal("InvoiceTotal", null, e.getKey(), "Total amount for invoice " + e.getKey()
                    + " for the period " + period, Amounts.roundCents(e.getValue()[0]));
            skippedRows++;
        }
        dbr.writeTotal("StatementTotal", null, invoiceMain, "Total statement amount for period " + period,
                rounded);
        skippedRows++;
    }
}
