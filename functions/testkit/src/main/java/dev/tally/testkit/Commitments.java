package dev.tally.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code commitments}: the month's reservations ({@link Reservations}) and, but for DBR, savings plans
 * ({@link SavingsPlans}), as the usage and charge rows meet them: purchases at the hour they happen, instance-hours
 * reserved, covered or on demand, the fee rows at the month's end (the unused parts are known then). For DBR, which
 * has no amortization columns, the upfront ledger (allocation contract §8) written next to the bill as
 * {@value #UPFRONT_FILE}: this month's purchase, the earlier ones still in their term and one whose term has ended.
 */
final class Commitments {
    static final String UPFRONT_FILE = "upfront.json";

    /** One entry of the upfront ledger file. */
    record LedgerEntry(String awsProduct, BigDecimal amount, YearMonth firstPeriod, int months) {
        /** This entry's part of a period, split as §5 splits (the first month takes the remainder), or 0. */
        BigDecimal partOf(YearMonth period) {
            long index = ChronoUnit.MONTHS.between(firstPeriod, period);
            if (index < 0 || index >= months) {
                return BigDecimal.ZERO;
            }
            BigDecimal part = amount.divide(BigDecimal.valueOf(months), Amounts.SCALE, RoundingMode.HALF_EVEN);
            return index > 0 ? part : amount.subtract(part.multiply(BigDecimal.valueOf(months - 1)));
        }
    }

    private final Month month;
    private final BillLedger ledger;
    private final Reservations reservations;
    /** Null for DBR (its bills predate savings plans). */
    private final SavingsPlans savingsPlans;
    private final List<LedgerEntry> upfront = new ArrayList<>();

    /** After planning: the fleet is known. */
    Commitments(Month month, BillLedger ledger, SplittableRandom rng) {
        this.month = month;
        this.ledger = ledger;
        this.reservations = new Reservations(month, ledger, rng.split());
        BillFormat format = month.spec.format();
        this.savingsPlans = format == BillFormat.DBR ? null
                : new SavingsPlans(month, ledger, rng.split(), onDemandAtStart(null), onDemandAtStart("m5."));
        if (format == BillFormat.DBR) {
            for (Reservations.Reservation r : reservations.all()) {
                if (r.upfrontPerHour.signum() > 0) {
                    upfront.add(new LedgerEntry(Catalog.EC2, r.upfront(), r.purchased, r.termMonths));
                }
            }
            YearMonth period = month.times.period;
            upfront.add(new LedgerEntry(Catalog.RDS, new BigDecimal("4204.80"), period.minusMonths(5), 36));
            upfront.add(new LedgerEntry(Catalog.EC2, new BigDecimal("1681.92"), period.minusMonths(12), 12));
        }
    }

    /** The on-demand cost per hour of the instances (of a type prefix, or all) running at the start, after the RIs. */
    private BigDecimal onDemandAtStart(String typePrefix) {
        BigDecimal sum = BigDecimal.ZERO;
        Map<Catalog.InstanceType, Integer> reserved = new HashMap<>();
        for (Reservations.Reservation r : reservations.all()) {
            if (r.firstHour == 0) {
                reserved.merge(r.type, r.units, Integer::sum);
            }
        }
        for (Model.Instance i : month.instances) {
            if (i.launch > month.start || (typePrefix != null && !i.type.name().startsWith(typePrefix))) {
                continue;
            }
            int left = reserved.getOrDefault(i.type, 0);
            if (left > 0) {
                reserved.put(i.type, left - 1);
            } else {
                sum = sum.add(i.type.rate());
            }
        }
        return sum;
    }

    /** Whether the savings-plan fee moves from the head of the bill to its tail (its used commitment is due). */
    boolean movesSavingsPlanFee() {
        return savingsPlans != null;
    }

    /** The hour's purchases: a reservation's or savings plan's upfront payment. */
    void startHour(int h, long hs) throws IOException {
        reservations.purchasesDue(h, hs);
        if (savingsPlans != null) {
            savingsPlans.purchasesDue(h, hs);
        }
    }

    /** @return whether a reservation covers {@code qty} hours of the instance in hour {@code h} */
    boolean reserve(Model.Instance i, int h, BigDecimal qty) {
        return reservations.reserve(i, h, qty);
    }

    /**
     * Writes an instance-hour: a reserved one with its reservation's cells; an on-demand one as it is, or covered by
     * a savings plan (then, but for FOCUS, followed by its negation).
     */
    void write(BillRow row, Model.Instance i, int h) throws IOException {
        finish(row, prepare(row, i, h));
    }

    /**
     * The first half of {@link #write}: the row as it will be written (its reservation's cells, or covered by a
     * savings plan), not written yet.
     *
     * @return whether its negation follows it ({@link #finish})
     */
    boolean prepare(BillRow row, Model.Instance i, int h) {
        if (row.lineItemType.equals("DiscountedUsage")) {
            reservations.discount(row);
            return false;
        }
        return savingsPlans != null && savingsPlans.cover(row, i, h) && month.spec.format() != BillFormat.FOCUS;
    }

    /** The second half of {@link #write}: writes the prepared row, then its negation if it has one. */
    void finish(BillRow row, boolean negated) throws IOException {
        ledger.cost(row);
        if (negated) {
            savingsPlans.negate(row);
            ledger.cost(row);
        }
    }

    /** The month's RI fees and savings-plan fees, with what went unused. */
    void feeRows() throws IOException {
        reservations.feeRows();
        if (savingsPlans != null) {
            savingsPlans.feeRows();
        }
    }

    /** @return the upfront ledger entries (DBR; empty for the other formats) */
    List<LedgerEntry> upfrontLedger() {
        return List.copyOf(upfront);
    }

    /** @return Σ of the ledger entries' parts of the month */
    BigDecimal ledgerParts() {
        BigDecimal sum = BigDecimal.ZERO;
        for (LedgerEntry e : upfront) {
            sum = sum.add(e.partOf(month.times.period));
        }
        return sum;
    }

    /** Writes {@value #UPFRONT_FILE} (DBR): a JSON array of {@code aws_product, amount, first_period, months}. */
    void writeUpfrontLedger(Path file) throws IOException {
        ArrayNode array = Manifest.mapper().createArrayNode();
        for (LedgerEntry e : upfront) {
            array.addObject().put("aws_product", e.awsProduct()).put("amount", e.amount().toPlainString())
                    .put("first_period", e.firstPeriod().toString()).put("months", e.months());
        }
        Files.writeString(file, Manifest.mapper().writeValueAsString(array) + "\n");
    }
}
