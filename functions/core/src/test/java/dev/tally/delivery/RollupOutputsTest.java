package dev.tally.delivery;

import dev.tally.billing.CostBasis;
import dev.tally.rollup.RollupTables;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The output bucket's layout: every key under {@code billing_period=…/cost_basis=…}, and a run's record kept whole. */
class RollupOutputsTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore(false, Instant.parse("2017-03-01T00:00:00Z"));
    private final RollupOutputs outputs = new RollupOutputs(store, "out", "tally");

    @Test
    void shouldPartitionEveryKeyByPeriodThenBasis_underThePrefix() {
        assertThat(outputs.tableKey(RollupTables.SERVICE_COSTS, "2017-02", CostBasis.AMORTIZED, "20170302T010000Z-1a"))
                .isEqualTo("tally/rollups/service_costs/billing_period=2017-02/cost_basis=amortized/"
                        + "run_id=20170302T010000Z-1a/part-0.csv");
        assertThat(outputs.tableKey(RollupTables.PRODUCT_AREA_COSTS, "2017-02", CostBasis.UNBLENDED, "r"))
                .isEqualTo("tally/rollups/product_area_costs/billing_period=2017-02/cost_basis=unblended/run_id=r/"
                        + "part-0.csv");
        assertThat(outputs.runKey("2017-02", CostBasis.AMORTIZED, "r", "summary.json"))
                .isEqualTo("tally/runs/billing_period=2017-02/cost_basis=amortized/run_id=r/summary.json");
        assertThat(outputs.finalizedKey(RollupTables.UNTAGGED_RESOURCES, "2017-02", CostBasis.UNBLENDED))
                .isEqualTo("tally/finalized/untagged_resources/billing_period=2017-02/cost_basis=unblended/part-0.csv");
        assertThat(outputs.finalizedRunKey("2017-02", CostBasis.AMORTIZED))
                .isEqualTo("tally/finalized/_runs/billing_period=2017-02/cost_basis=amortized/run.json");
        assertThat(new RollupOutputs(store, "out", "").finalizedRunKey("2017-02", CostBasis.UNBLENDED))
                .isEqualTo("finalized/_runs/billing_period=2017-02/cost_basis=unblended/run.json");
        assertThat(outputs.workKey("bill-2017-02-ab", "parts.json")).isEqualTo("tally/work/bill-2017-02-ab/parts.json");
    }

    @Test
    void shouldKeepARunsBasisInItsRecord() {
        Map<RollupTables, String> tables = new EnumMap<>(RollupTables.class);
        for (RollupTables table : RollupTables.values()) {
            tables.put(table, outputs.tableKey(table, "2017-02", CostBasis.AMORTIZED, "r"));
        }
        RunRecord run = new RunRecord("r", "2017-02", CostBasis.AMORTIZED, "s3://bills/m.json", "cur2", true, false, 10,
                1, 0, 0, new BigDecimal("12.3456789012"), new BigDecimal("10.0000000000"),
                new BigDecimal("2.3456789012"), BigDecimal.ZERO.setScale(10), new BigDecimal("0.8100"),
                Instant.parse("2017-03-02T01:00:00Z"), Instant.parse("2017-03-02T01:00:05Z"), "out", tables);

        RunRecord read = RollupOutputs.fromJson(RollupOutputs.toJson(run));

        assertThat(RollupOutputs.toJson(run).path("cost_basis").asText()).isEqualTo("amortized");
        assertThat(read).isEqualTo(run);
        assertThat(read.asFinalized().finalized()).isTrue();
        assertThat(read.asFinalized().costBasis()).isEqualTo(CostBasis.AMORTIZED);
    }
}
