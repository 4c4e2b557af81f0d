package dev.tally.testkit;

import dev.tally.testkit.CommitmentCells.Column;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.tally.testkit.Times.HOUR;

/**
 * {@code commitments}: the month's EC2 reserved instances as AWS bills them. One reservation per instance type the
 * fleet has reserved instances of (m5.large when none), bought in earlier months with All, No or Partial Upfront in
 * rotation (the one of the type the fleet has fewest instances of covers them all and one more: partly unused), and
 * one more, Partial Upfront, bought this month for the type with the most instances on demand. Every hour each
 * reservation covers up to its units of instance-hours of its type (regional, in fleet order): those rows
 * are {@code DiscountedUsage} at rate 0 with the reservation's ARN and effective cost (its upfront fee amortized per
 * hour plus its recurring fee); the type's other hours stay on demand. At the month's end one {@code RIFee} row per
 * reservation bills its recurring fee with the unused part of its amortized upfront fee and of the recurring fee;
 * the reservation bought this month has a {@code Fee} row for its upfront payment at the hour it was bought
 * (DBR: a sign-up charge).
 */
final class Reservations {
    /** One reservation and what the month has used of it. */
    static final class Reservation {
        final String arn;
        final Catalog.InstanceType type;
        final int units;
        final int termMonths;
        final YearMonth purchased;
        /** Hour of the month from which it covers usage: 0, or the hour it was bought this month. */
        final int firstHour;
        /** Recurring fee and amortized upfront fee per instance-hour, by offering. */
        final BigDecimal recurring;
        final BigDecimal upfrontPerHour;
        final String label;
        final String subscriptionId;
        final String planId;
        private int hour = -1;
        private long free;
        long usedUpfront;
        long usedRecurring;

        Reservation(SplittableRandom rng, Model.Account owner, Catalog.InstanceType type, int units, String offering,
                    int termMonths, YearMonth purchased, int firstHour) {
            this.arn = "arn:aws:ec2:" + Catalog.REGION + ":" + owner.id + ":reserved-instances/" + Ids.uuid(rng);
            this.type = type;
            this.units = units;
            this.termMonths = termMonths;
            this.purchased = purchased;
            this.firstHour = firstHour;
            BigDecimal rate = type.rate();
            boolean noUpfront = offering.equals("No Upfront");
            boolean allUpfront = offering.equals("All Upfront");
            this.recurring = Amounts.rate(allUpfront ? BigDecimal.ZERO
                    : rate.multiply(new BigDecimal(noUpfront ? "0.66" : "0.29")));
            this.upfrontPerHour = Amounts.rate(noUpfront ? BigDecimal.ZERO
                    : rate.multiply(new BigDecimal(!allUpfront ? "0.29" : termMonths == 36 ? "0.40" : "0.55")));
            this.label = (termMonths / 12) + "yr " + offering + " " + type.name();
            this.subscriptionId = Ids.digits(rng, 9);
            this.planId = Ids.digits(rng, 7);
        }

        /** @return the upfront payment per unit: the amortized fee over every hour of the term (0 for No Upfront) */
        BigDecimal upfrontPerUnit() {
            return upfrontPerHour.multiply(BigDecimal.valueOf(termMonths / 12 * 8760L));
        }

        /** @return the upfront payment for all units */
        BigDecimal upfront() {
            return upfrontPerUnit().multiply(BigDecimal.valueOf(units));
        }
    }

    private static final String[] OFFERINGS = {"All Upfront", "No Upfront", "Partial Upfront"};

    private final Month month;
    private final BillLedger ledger;
    private final BillRow row;
    private final List<Reservation> all = new ArrayList<>();
    /** The reservation the last {@link #reserve} call took capacity from. */
    private Reservation last;

    Reservations(Month month, BillLedger ledger, SplittableRandom rng) {
        this.month = month;
        this.ledger = ledger;
        this.row = ledger.row;
        SortedMap<String, int[]> reserved = new TreeMap<>();
        Map<String, Catalog.InstanceType> types = new TreeMap<>();
        for (Model.Instance i : month.instances) {
            if (i.reserved) {
                reserved.computeIfAbsent(i.type.name(), k -> new int[1])[0]++;
                types.put(i.type.name(), i.type);
            }
        }
        if (reserved.isEmpty()) {
            reserved.put("m5.large", new int[] {2});
            types.put("m5.large", Catalog.OTHER_TYPES.stream().filter(t -> t.name().equals("m5.large")).findFirst()
                    .orElseThrow());
        }
        // the reservation of the type the fleet has fewest instances of covers them all and one more: partly unused
        Map<String, int[]> fleet = new TreeMap<>();
        month.instances.forEach(i -> fleet.computeIfAbsent(i.type.name(), t -> new int[1])[0]++);
        String spare = null;
        for (String type : reserved.keySet()) {
            if (spare == null || fleet.getOrDefault(type, new int[1])[0] < fleet.getOrDefault(spare, new int[1])[0]) {
                spare = type;
            }
        }
        int k = 0;
        for (Map.Entry<String, int[]> e : reserved.entrySet()) {
            int units = e.getKey().equals(spare) ? fleet.getOrDefault(spare, new int[1])[0] + 1 : e.getValue()[0];
            String offering = OFFERINGS[k++ % OFFERINGS.length];
            int term = offering.equals("All Upfront") ? 36 : 12;
            YearMonth bought = month.times.period.minusMonths(1 + rng.nextInt(term - 1));
            all.add(new Reservation(rng, month.accounts.get(1), types.get(e.getKey()), units, offering, term, bought,
                    0));
        }
        int hour = 2 * 24 + rng.nextInt(18 * 24);
        all.add(new Reservation(rng, month.accounts.get(1), mostOnDemand(month.instances), 1, "Partial Upfront", 12,
                month.times.period, hour));
    }

    /** The instance type with the most on-demand instances when the month begins (ties: the first in fleet order). */
    private static Catalog.InstanceType mostOnDemand(List<Model.Instance> instances) {
        Map<Catalog.InstanceType, int[]> count = new LinkedHashMap<>();
        for (Model.Instance i : instances) {
            if (!i.reserved && !i.inPeriodLaunch) {
                count.computeIfAbsent(i.type, t -> new int[1])[0]++;
            }
        }
        Catalog.InstanceType best = instances.get(0).type;
        int most = 0;
        for (Map.Entry<Catalog.InstanceType, int[]> e : count.entrySet()) {
            if (e.getValue()[0] > most) {
                most = e.getValue()[0];
                best = e.getKey();
            }
        }
        return best;
    }

    /** Every reservation, the one bought this month last. */
    List<Reservation> all() {
        return all;
    }

    /**
     * Takes {@code qty} instance-hours of hour {@code h} from the first reservation of the instance's type with that
     * much left in the hour.
     *
     * @return whether a reservation covers them (then {@link #discount} fills the row)
     */
    boolean reserve(Model.Instance i, int h, BigDecimal qty) {
        long need = Amounts.units(qty);
        for (Reservation r : all) {
            if (r.type != i.type || h < r.firstHour) {
                continue;
            }
            if (r.hour != h) {
                r.hour = h;
                r.free = r.units * Amounts.ONE;
            }
            if (r.free >= need) {
                r.free -= need;
                last = r;
                return true;
            }
        }
        last = null;
        return false;
    }

    /** Gives the {@code DiscountedUsage} row just reserved its reservation's ARN, effective cost, list rate. */
    void discount(BillRow r) {
        long upfront = Amounts.cost(last.upfrontPerHour, r.quantity);
        long recurring = Amounts.cost(last.recurring, r.quantity);
        last.usedUpfront += upfront;
        last.usedRecurring += recurring;
        r.listRate = last.type.rate();
        r.commitment.reservationArn = last.arn;
        r.commitment.name = last.label;
        r.commitment.set(Column.RI_AMORTIZED_UPFRONT_COST_FOR_USAGE, upfront)
                .set(Column.RI_RECURRING_FEE_FOR_USAGE, recurring)
                .set(Column.RI_EFFECTIVE_COST, upfront + recurring);
    }

    /** The upfront payment of a reservation bought in hour {@code h}: a {@code Fee} row (DBR: a sign-up charge). */
    void purchasesDue(int h, long hs) throws IOException {
        for (Reservation r : all) {
            if (r.firstHour == h && h > 0 && r.upfrontPerHour.signum() > 0) {
                BigDecimal perUnit = r.upfrontPerUnit();
                BigDecimal qty = BigDecimal.valueOf(r.units);
                row.charge("ri_purchase", "Fee", "Purchase", "One-Time", month.accounts.get(1), Catalog.EC2,
                        "HeavyUsage:" + r.type.name(), "RunInstances", AmortizedAmount.SIGN_UP_CHARGE + ": "
                                + r.subscriptionId + ", planId: " + r.planId, hs, hs + HOUR, qty, perUnit,
                        Amounts.cost(perUnit, qty), "Quantity");
                row.monthly = false;
                row.commitment.reservationArn = r.arn;
                row.commitment.name = r.label;
                row.invoiceId = month.invoiceMain;
                ledger.cost(row);
            }
        }
    }

    /** One {@code RIFee} row per reservation: its recurring fee, and what of it and of its upfront fee went unused. */
    void feeRows() throws IOException {
        for (Reservation r : all) {
            BigDecimal qty = BigDecimal.valueOf((long) r.units * (month.hours - r.firstHour));
            long fee = Amounts.cost(r.recurring, qty);
            long amortized = Amounts.cost(r.upfrontPerHour, qty);
            row.charge("ri_fee", "RIFee", "Purchase", "Recurring", month.accounts.get(1), Catalog.EC2,
                    "HeavyUsage:" + r.type.name(), "RunInstances", "USD " + Amounts.plainStripped(r.recurring)
                            + " hourly fee per Linux/UNIX (Amazon VPC), " + r.type.name() + " instance", month.start,
                    month.end, qty, r.recurring, fee, "Hrs");
            row.commitment.reservationArn = r.arn;
            row.commitment.name = r.label;
            row.commitment.set(Column.RI_AMORTIZED_UPFRONT_FEE_FOR_BILLING_PERIOD, amortized)
                    .set(Column.RI_UNUSED_AMORTIZED_UPFRONT_FEE, amortized - r.usedUpfront)
                    .set(Column.RI_UNUSED_RECURRING_FEE, fee - r.usedRecurring);
            row.invoiceId = month.invoiceMain;
            ledger.cost(row);
        }
    }
}
