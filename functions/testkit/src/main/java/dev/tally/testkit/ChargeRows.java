package dev.tally.testkit;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;

/**
 * The bill rows that are not hourly usage: the reserved-instance and savings-plan fees at the head of the bill (with
 * {@code commitments}: the {@link Commitments}' fee rows at its tail instead, DBR's savings-plan fee staying);
 * support, marketplace, tax per product, a credit and a refund at its tail (after the tiny extra-decimals rows and
 * any malformed rows still due); the rows with an empty product name; and, for DBR, the total lines.
 */
final class ChargeRows {
    private final MonthSpec spec;
    private final Times times;
    private final long start;
    private final long end;
    private final int hours;
    private final Model.Account payer;
    private final List<Model.Account> accounts;
    private final List<Model.Instance> instances;
    private final String invoiceMain;
    private final String invoiceMarketplace;
    private final BillLedger ledger;
    private final BillRow row;
    /** {@code extra-decimals}, or null. */
    private final ExtraDecimals extraDecimals;
    /** {@code commitments}, or null: its fee rows replace the head's RI and savings-plan fees at the tail. */
    private final Commitments commitments;

    /** After planning: the month's accounts and invoice ids are known. */
    ChargeRows(Month month, BillLedger ledger, ExtraDecimals extraDecimals, Commitments commitments) {
        this.spec = month.spec;
        this.times = month.times;
        this.start = month.start;
        this.end = month.end;
        this.hours = month.hours;
        this.payer = month.payer;
        this.accounts = month.accounts;
        this.instances = month.instances;
        this.invoiceMain = month.invoiceMain;
        this.invoiceMarketplace = month.invoiceMarketplace;
        this.ledger = ledger;
        this.row = ledger.row;
        this.extraDecimals = extraDecimals;
        this.commitments = commitments;
    }

    void headRows() throws IOException {
        if (commitments == null) {
            reservedInstanceFees();
        }
        if (commitments == null || !commitments.movesSavingsPlanFee()) {
            savingsPlanFee();
        }
    }

    private void reservedInstanceFees() throws IOException {
        // reserved-instance fees for the types covering the reserved instances (at least one)
        SortedMap<String, int[]> reserved = new TreeMap<>();
        for (Model.Instance i : instances) {
            if (i.reserved) {
                reserved.computeIfAbsent(i.type.name(), k -> new int[1])[0]++;
            }
        }
        if (reserved.isEmpty()) {
            reserved.put("m5.large", new int[] {2});
        }
        for (Map.Entry<String, int[]> e : reserved.entrySet()) {
            BigDecimal fee = e.getKey().startsWith("t3") ? new BigDecimal("0.0260000000") : new BigDecimal("0.0604000000");
            BigDecimal qty = BigDecimal.valueOf((long) e.getValue()[0] * hours);
            row.charge("ri_fee", "RIFee", "Purchase", "Recurring", accounts.get(1), Catalog.EC2,
                    "HeavyUsage:" + e.getKey(), "RunInstances", "USD " + fee.stripTrailingZeros().toPlainString()
                            + " hourly fee per Linux/UNIX (Amazon VPC), " + e.getKey() + " instance", start, end, qty, fee,
                    Amounts.cost(fee, qty), "Hrs");
            row.invoiceId = invoiceMain;
            ledger.cost(row);
        }
    }

    private void savingsPlanFee() throws IOException {
        BigDecimal commitment = new BigDecimal("1.2500000000");
        BigDecimal qty = BigDecimal.valueOf(hours);
        row.charge("savings_plan", "SavingsPlanRecurringFee", "Purchase", "Recurring", payer, Catalog.SAVINGS_PLANS,
                "ComputeSP:1yrNoUpfront", "", "1 year No Upfront Compute Savings Plan, $1.25 hourly commitment", start,
                end, qty, commitment, Amounts.cost(commitment, qty), "Hrs");
        row.invoiceId = invoiceMain;
        ledger.cost(row);
    }

    private void charge(String kind, String type, String category, String frequency, Model.Account a, String product,
                        String usageType, String description, long units, String invoice) throws IOException {
        BigDecimal amount = Amounts.decimal(units);
        row.charge(kind, type, category, frequency, a, product, usageType, "", description, start, end,
                BigDecimal.ONE, amount, units, "");
        row.invoiceId = invoice;
        if (invoice.equals(invoiceMarketplace) && kind.equals("marketplace")) {
            row.billingEntity = "AWS Marketplace";
        }
        ledger.cost(row);
    }

    void tailRows() throws IOException {
        if (commitments != null) {
            commitments.feeRows();
        }
        long usage = ledger.totalUnits;
        long support = Math.max(Amounts.units(new BigDecimal("100")), Amounts.roundCents(usage / 10));
        charge("support", "Fee", "Purchase", "Recurring", payer, Catalog.SUPPORT, "Dollar",
                "AWS Support (Business)", support, invoiceMain);
        charge("marketplace", "Fee", "Purchase", "Recurring", accounts.get(1), Catalog.MARKETPLACE_PRODUCT,
                "MP:Subscription", "Acme Observability Pro - monthly subscription", Amounts.units(new BigDecimal("250")),
                invoiceMarketplace);
        long ec2 = ledger.perProduct.getOrDefault(Catalog.EC2, new long[1])[0];
        long s3 = ledger.perProduct.getOrDefault(Catalog.S3, new long[1])[0];
        // tax per product (8.875%, rounded to cents), on a snapshot of the subtotals
        List<Map.Entry<String, Long>> subtotals = new ArrayList<>();
        for (Map.Entry<String, long[]> e : ledger.perProduct.entrySet()) {
            subtotals.add(Map.entry(e.getKey(), e.getValue()[0]));
        }
        for (Map.Entry<String, Long> e : subtotals) {
            if (e.getValue() > 0 && !e.getKey().equals(Catalog.MARKETPLACE_PRODUCT)) {
                long tax = Amounts.roundCents(Amounts.decimal(e.getValue()).multiply(new BigDecimal("0.08875"))
                        .setScale(Amounts.SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact());
                if (tax != 0) {
                    charge("tax", "Tax", "Tax", "One-Time", payer, e.getKey(), "", "Tax for product code "
                            + Catalog.productCode(e.getKey()), tax, invoiceMain);
                }
            }
        }
        if (ec2 > 0) {
            long credit = -Math.min(Amounts.units(new BigDecimal("500")), Amounts.roundCents(ec2 / 20));
            if (credit != 0) {
                charge("credit", "Credit", "Credit", "One-Time", accounts.get(1), Catalog.EC2, "",
                        "AWS Credits - Activate Portfolio", credit, invoiceMain);
            }
        }
        if (s3 > 0) {
            long refund = -Amounts.roundCents(s3 / 50);
            if (refund != 0) {
                charge("refund", "Refund", "Credit", "One-Time", accounts.get(2), Catalog.S3, "",
                        "Refund for S3 request charges (support case)", refund, invoiceMain);
            }
        }
        while (extraDecimals != null && extraDecimals.wantsTinyRow()) {
            extraDecimals.tinyRow(row, accounts.get(1), end - HOUR, end).invoiceId = invoiceMain;
            ledger.cost(row);
        }
        ledger.remainingMalformed(accounts.get(1), end, invoiceMain);
        if (spec.format() == BillFormat.DBR) {
            ledger.dbrTotals(times, start, end, invoiceMain);
        } else {
            blankProductRow("Tax", start, end, Amounts.units(new BigDecimal("0.01")));
            blankProductRow("Usage", end - DAY, end, Amounts.units(new BigDecimal("1.2345678901")));
        }
    }

    /** The empty-product row in the middle of the month (after that hour's usage rows). */
    void midMonthBlankRow(long hs, long he) throws IOException {
        blankProductRow("Usage", hs, he, Amounts.units(new BigDecimal("0.0000420000")));
    }

    /** A row with an empty product name: not a cost line item (spec §2). */
    private void blankProductRow(String type, long from, long to, long units) throws IOException {
        row.charge("blank", type, "Adjustment", "One-Time", accounts.get(1), "", "", "", "", from, to,
                BigDecimal.ONE, Amounts.decimal(units), units, "");
        row.monthly = false;
        row.productCode = "";
        row.invoiceId = invoiceMain;
        if (spec.format() == BillFormat.DBR) {
            row.description = "Unattributed usage";
        }
        ledger.skipped(row);
    }
}
