package dev.tally.allocation;

import java.time.YearMonth;
import java.util.List;

/**
 * What allocating one part of a bill accumulated, before the shared charges are spread: sums per
 * (product, target), rule-6 resources, parts waiting for an instance's tag, the shared charges
 * themselves, counts. Parts of one bill, read apart (in sequence, on other threads, or by other
 * workers), merge exactly — sums of exact decimals, shared charges kept row by row, each instance's
 * tag the last one in file order — and the merge finishes once, so a bill of many parts gives the same
 * allocation as its rows read as one file.
 */
public final class PartialAllocation {
    private final YearMonth period;
    private final AllocationLedger ledger;
    /** The period's history and the service map, for the rows that wait until the end (§9); null once encoded. */
    private final PeriodIndex index;
    private final ProductAreaMap areas;

    PartialAllocation(YearMonth period, AllocationLedger ledger) {
        this(period, ledger, null, null);
    }

    PartialAllocation(YearMonth period, AllocationLedger ledger, PeriodIndex index, ProductAreaMap areas) {
        this.period = period;
        this.ledger = ledger;
        this.index = index;
        this.areas = areas;
    }

    AllocationLedger ledger() {
        return ledger;
    }

    /** The period allocated; null for a part that had no cost line items. */
    public YearMonth period() {
        return period;
    }

    /**
     * Merges the parts of one bill.
     *
     * @param parts in the order of the bill's parts (the later part's tag of an instance wins, as the
     *              later row of one file would)
     * @throws IllegalArgumentException if the parts allocated different periods
     */
    public static PartialAllocation merge(List<PartialAllocation> parts) {
        AllocationLedger merged = new AllocationLedger();
        YearMonth period = null;
        PeriodIndex index = null;
        ProductAreaMap areas = null;
        for (PartialAllocation part : parts) {
            if (areas == null) {
                areas = part.areas;
            }
            if (part.period == null) {
                merged.awsSplit.absorb(part.ledger.awsSplit); // the mode and columns of a part without cost rows
                continue;
            }
            if (index == null) {
                index = part.index;
            }
            if (period != null && !period.equals(part.period)) {
                throw new IllegalArgumentException("parts of one bill allocated " + period + " and " + part.period);
            }
            period = part.period;
            merged.absorb(part.ledger);
        }
        return new PartialAllocation(period, merged, index, areas);
    }

    /**
     * Adds the upfront ledger's parts of the period (§8): shared charges that are no row of the bill, so
     * they count in the total and not as line items. Call before {@link #finish}.
     */
    public void addUpfrontParts(List<UpfrontLedger.Part> parts) {
        for (UpfrontLedger.Part part : parts) {
            ledger.shared.add(part.awsProduct(), part.amount());
            ledger.accrual.addFixed(part.awsProduct(), part.amount());
            ledger.total = ledger.total.add(part.amount());
        }
    }

    /** Places the waiting parts, spreads the shared charges, and returns the allocation. Call once. */
    public Allocation finish() {
        return ledger.finish(period, index, areas == null ? ProductAreaMap.empty() : areas);
    }

    /**
     * {@link #finish()} for parts read back from their encoding ({@link PartialAllocationCodec}), which do not carry
     * the history: the period's is taken from {@code history}.
     */
    public Allocation finish(HistoryByPeriod history, ProductAreaMap serviceAreas) {
        boolean needed = period != null && ledger.awsSplit.waitsForHistory();
        return ledger.finish(period, needed ? history.index(period) : null, serviceAreas);
    }
}
