package dev.tally.rollup;

import dev.tally.allocation.PartialAllocation;
import dev.tally.billing.BillReadReport;

/**
 * One part of a bill read on its own, before the bill's parts are merged and finished: what reading it found, and
 * what allocating its rows accumulated. A worker of a distributed rollup writes it ({@link BillPartCodec}); the
 * merge reads every part's back, in the bill's order ({@link RollupByParts}).
 *
 * @param part the part's name ({@code s3://bucket/key}), as the bill names it
 */
public record BillPartRead(String part, BillReadReport report, PartialAllocation allocation) {
}
