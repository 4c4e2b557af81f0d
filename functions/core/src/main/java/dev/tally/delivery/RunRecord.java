package dev.tally.delivery;

import dev.tally.billing.CostBasis;
import dev.tally.rollup.RollupTables;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One rollup run as the outputs keep it: what was rolled up, its totals, and where its tables lie in the
 * output bucket — enough to load it into the warehouse again without rolling up again.
 *
 * @param costBasis the amount of each row it allocated (§8); runs of one delivery on different bases are runs of
 *                  their own, side by side
 * @param source    the object that started it ({@code s3://…}): the DBR zip or the manifest
 * @param finalized whether this run's tables replaced the period's finalized tables (a final bill)
 * @param tables    where each table of the run is
 *                  ({@code rollups/<table>/billing_period=…/cost_basis=…/run_id=…/part-0.csv})
 */
public record RunRecord(String runId, String billingPeriod, CostBasis costBasis, String source, String format,
                        boolean isFinal, boolean finalized, long lineItems, long skippedRows, long malformedRows, long otherPeriodRows,
                        BigDecimal totalCost, BigDecimal allocatedCost, BigDecimal unallocatedCost,
                        BigDecimal unmappedCost, BigDecimal coverage, Instant startedAt, Instant finishedAt,
                        String bucket, Map<RollupTables, String> tables) {
    public RunRecord {
        if (costBasis == null) {
            throw new IllegalArgumentException("run " + runId + " has no cost basis");
        }
        tables = Map.copyOf(tables);
    }

    /** The same run, marked as having replaced its period's finalized tables of its basis. */
    public RunRecord asFinalized() {
        return new RunRecord(runId, billingPeriod, costBasis, source, format, isFinal, true, lineItems, skippedRows,
                malformedRows, otherPeriodRows, totalCost, allocatedCost, unallocatedCost, unmappedCost, coverage,
                startedAt, finishedAt, bucket, tables);
    }
}
