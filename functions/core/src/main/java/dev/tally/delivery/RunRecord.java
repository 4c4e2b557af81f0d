package dev.tally.delivery;

import dev.tally.rollup.RollupTables;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One rollup run as the outputs keep it: what was rolled up, its totals, and where its tables lie in the
 * output bucket — enough to load it into the warehouse again without rolling up again.
 *
 * @param source    the object that started it ({@code s3://…}): the DBR zip or the manifest
 * @param finalized whether this run's tables replaced the period's finalized tables (a final bill)
 * @param tables    where each table of the run is ({@code rollups/<table>/billing_period=…/run_id=…/part-0.csv})
 */
public record RunRecord(String runId, String billingPeriod, String source, String format, boolean isFinal,
                        boolean finalized, long lineItems, long skippedRows, long malformedRows, long otherPeriodRows,
                        BigDecimal totalCost, BigDecimal allocatedCost, BigDecimal unallocatedCost,
                        BigDecimal unmappedCost, BigDecimal coverage, Instant startedAt, Instant finishedAt,
                        String bucket, Map<RollupTables, String> tables) {
    public RunRecord {
        tables = Map.copyOf(tables);
    }
}
