package dev.tally.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;

/**
 * {@code stray-period-rows}: cost rows that belong to the billing periods just before and just after the month
 * (alternating, the previous one first), as a bill holding late or early charges does. Each is an ordinary usage
 * row (an EC2 instance-hour or a day of S3 storage) with a cost of its own, whose usage window lies inside its
 * period and whose billing-period columns (CUR, CUR 2.0, FOCUS) name that period; DBR has no period column, so only
 * the usage window moves. They are spread through the file (one due in each of N equal slices of the month's
 * hours) and are not line items of the month: they are counted here, per period, for the manifest.
 */
final class StrayRows {
    private final SplittableRandom rng;
    /** The previous and the next billing period. */
    private final Times[] periods;
    /** Hour of the month after whose rows each stray row is written, ascending. */
    private final int[] dueHour;
    private int next;
    /** Per period {@code YYYY-MM}: rows, cost in units. */
    private final SortedMap<String, long[]> perPeriod = new TreeMap<>();

    StrayRows(int count, Times month, SplittableRandom rng) {
        this.rng = rng;
        this.periods = count == 0 ? new Times[0]
                : new Times[] {new Times(month.period.minusMonths(1)), new Times(month.period.plusMonths(1))};
        this.dueHour = new int[count];
        for (int k = 0; k < count; k++) {
            // somewhere in the middle half of the k-th slice: never all at the start or the end
            long h = (long) ((k + 0.25 + 0.5 * rng.nextDouble()) * month.hours / count);
            dueHour[k] = (int) Math.min(month.hours - 1, h);
        }
    }

    /** @return whether a stray row is due once the rows of hour {@code h} are written */
    boolean due(int h) {
        return next < dueHour.length && dueHour[next] <= h;
    }

    /** Fills {@code row} with the next stray row and counts it. */
    BillRow next(BillRow row, List<Model.Account> accounts, List<String> areas, String invoiceId) {
        Times p = periods[next % 2];
        next++;
        Model.Account a = accounts.get(1 + rng.nextInt(accounts.size() - 1));
        String az = Catalog.AZS[rng.nextInt(3)];
        String tag = rng.nextBoolean() ? areas.get(rng.nextInt(areas.size())) : null;
        if (rng.nextBoolean()) {
            Catalog.InstanceType type = Catalog.OTHER_TYPES.get(rng.nextInt(Catalog.OTHER_TYPES.size()));
            long from = p.hourStart(rng.nextInt(p.hours));
            row.usage("stray", a, Catalog.EC2, "BoxUsage:" + type.name(), "RunInstances", az,
                    "$" + type.rate().stripTrailingZeros().toPlainString() + " per On Demand Linux " + type.name()
                            + " Instance Hour", from, from + HOUR, BigDecimal.ONE.setScale(Amounts.SCALE), type.rate(),
                    "Hrs", Ids.instanceId(rng), "Instance", tag, null);
        } else {
            Catalog.OtherKind k = Catalog.OtherKind.S3_STORAGE;
            long from = p.start + rng.nextInt(p.days()) * DAY;
            BigDecimal gbMonths = BigDecimal.valueOf((10L + rng.nextInt(50_000)) * DAY)
                    .divide(BigDecimal.valueOf(p.end - p.start), Amounts.SCALE, RoundingMode.HALF_EVEN);
            row.usage("stray", a, k.product, k.usageType, k.operation, az, k.description, from, from + DAY, gbMonths,
                    k.rate, k.unit, "acme-archive-" + Ids.hex(rng, 6), "", tag, null);
        }
        if (row.cost == 0) {
            throw new IllegalStateException("a stray row must cost something");
        }
        row.otherPeriod = p;
        row.invoiceId = invoiceId;
        long[] v = perPeriod.computeIfAbsent(p.period.toString(), key -> new long[2]);
        v[0]++;
        v[1] = Math.addExact(v[1], row.cost);
        return row;
    }

    /** @return stray rows written */
    long rows() {
        return next;
    }

    /** @return per other billing period, its rows and their exact cost */
    SortedMap<String, Manifest.OtherPeriod> periods() {
        SortedMap<String, Manifest.OtherPeriod> out = new TreeMap<>();
        perPeriod.forEach((k, v) -> out.put(k, new Manifest.OtherPeriod(v[0], Amounts.decimal(v[1]))));
        return out;
    }
}
