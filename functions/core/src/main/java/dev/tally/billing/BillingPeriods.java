package dev.tally.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Which billing period a bill's cost rows belong to, and which period the run allocates (allocation
 * contract §1): {@code --period} if given, else the month most cost rows name — in the bill's own period
 * column where the format has one, else by the month their usage starts — ties to the earliest. Rows of
 * any other period are not allocated; they are counted with their total per period.
 *
 * <p>The bill is streamed, so the majority is only known at its end. The period of the first cost row
 * is taken until then (in a real bill nearly every row names the same month); if the majority turns out
 * to be another month, {@link #byRows} says so and the caller reads the bill again for that month.
 */
final class BillingPeriods {
    /** A row that names no period (no period cell and no usage-start column). */
    static final int UNKNOWN = Integer.MIN_VALUE;

    private final YearMonth given;
    private final Consumer<YearMonth> onPeriod;
    private int current = UNKNOWN;
    private long start;
    private long end;
    private final SortedMap<YearMonth, BillReadReport.OtherPeriod> others = new TreeMap<>();

    /**
     * @param given    the period to allocate ({@code --period}), or null to take the bill's own
     * @param onPeriod told the period once, before the first row of it is handed on
     */
    BillingPeriods(YearMonth given, Consumer<YearMonth> onPeriod) {
        this.given = given;
        this.onPeriod = onPeriod;
        if (given != null) {
            set(index(given));
        }
    }

    boolean isGiven() {
        return given != null;
    }

    /**
     * Whether a cost row of the given month (see {@link #monthOf}) is of the period allocated. The
     * first such row settles the period when none was given.
     *
     * @throws MalformedRowException for a row that names no period when none was given
     */
    boolean isCurrent(int month) throws MalformedRowException {
        if (month == UNKNOWN) {
            if (given == null) {
                throw new MalformedRowException("no billing period (empty billing period start and no usage start)");
            }
            return true;
        }
        if (current == UNKNOWN) {
            set(month);
        }
        return month == current;
    }

    private void set(int month) {
        current = month;
        YearMonth period = period(month);
        start = startOf(period);
        end = startOf(period.plusMonths(1));
        onPeriod.accept(period);
    }

    /** Counts a cost row of another period. */
    void other(int month, BigDecimal cost) {
        others.merge(period(month), new BillReadReport.OtherPeriod(1, cost),
                (a, b) -> new BillReadReport.OtherPeriod(a.rows() + b.rows(), a.cost().add(b.cost())));
    }

    /** The month an instant lies in, as an index ({@code year × 12 + month − 1}). */
    int monthOf(long epochMillis) {
        if (current != UNKNOWN && epochMillis >= start && epochMillis < end) {
            return current;
        }
        return index(YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC)));
    }

    /** The period allocated, or null before the first cost row of a bill with no given period. */
    YearMonth period() {
        return current == UNKNOWN ? null : period(current);
    }

    /** Start of the period allocated, epoch millis (a row without a usage window spans the period). */
    long start() {
        return start;
    }

    long end() {
        return end;
    }

    SortedMap<YearMonth, BillReadReport.OtherPeriod> others() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(others));
    }

    /**
     * The period the rows themselves name most often (ties: the earliest), given how many rows the
     * allocated period had (which a given period may be, or not).
     */
    YearMonth byRows(long currentRows) {
        if (current == UNKNOWN) {
            return null;
        }
        YearMonth best = period();
        long bestRows = currentRows;
        for (Map.Entry<YearMonth, BillReadReport.OtherPeriod> e : others.entrySet()) {
            long rows = e.getValue().rows();
            if (rows > bestRows || (rows == bestRows && e.getKey().isBefore(best))) {
                best = e.getKey();
                bestRows = rows;
            }
        }
        return best;
    }

    /** The first instant of a month, UTC epoch millis. */
    static long startOf(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static int index(YearMonth month) {
        return month.getYear() * 12 + month.getMonthValue() - 1;
    }

    static YearMonth period(int index) {
        return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
    }
}
