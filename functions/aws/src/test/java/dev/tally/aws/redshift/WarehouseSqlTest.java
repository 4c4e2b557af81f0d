package dev.tally.aws.redshift;

import dev.tally.aws.redshift.WarehouseSql.Dialect;
import dev.tally.aws.redshift.WarehouseSql.Rows;
import dev.tally.aws.redshift.WarehouseSql.Statement;
import dev.tally.aws.redshift.WarehouseSql.Step;
import dev.tally.billing.CostBasis;
import dev.tally.delivery.RunRecord;
import dev.tally.rollup.RollupTables;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarehouseSqlTest {
    private static final Instant FINISHED = Instant.parse("2024-06-02T03:04:05.123456789Z");
    private static final WarehouseSql REDSHIFT = new WarehouseSql(Dialect.REDSHIFT);
    private static final WarehouseSql POSTGRES = new WarehouseSql(Dialect.POSTGRES);

    static RunRecord run(String runId, String period, String source, boolean finalized) {
        return run(runId, period, CostBasis.UNBLENDED, source, finalized);
    }

    static RunRecord run(String runId, String period, CostBasis basis, String source, boolean finalized) {
        Map<RollupTables, String> keys = new EnumMap<>(RollupTables.class);
        for (RollupTables table : RollupTables.values()) {
            keys.put(table, "rollups/" + table.id() + "/billing_period=" + period + "/cost_basis=" + basis.id()
                    + "/run_id=" + runId + "/part-0.csv");
        }
        return new RunRecord(runId, period, basis, source, "cur2", true, finalized, 3, 0, 0, 0,
                new BigDecimal("12.3456789012"), new BigDecimal("12.3456789012"), new BigDecimal("0E-10"),
                new BigDecimal("0E-10"), new BigDecimal("1.0000"), FINISHED.minusSeconds(60), FINISHED, "tally-out",
                keys);
    }

    private static List<String> ddl(WarehouseSql sql) {
        return sql.migrations().stream().flatMap(m -> m.statements().stream()).toList();
    }

    private static String table(WarehouseSql sql, String name) {
        return ddl(sql).stream().filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS tally." + name + " ("))
                .findFirst().orElseThrow();
    }

    private static List<String> statements(List<Step> steps) {
        return steps.stream().filter(Statement.class::isInstance).map(s -> ((Statement) s).sql()).toList();
    }

    @Test
    void shouldGiveRedshiftTablesDistributionAndSortKeys_sortedByPeriodFirst() {
        assertThat(table(REDSHIFT, "service_costs_rollup"))
                .endsWith(") DISTKEY(run_id) COMPOUND SORTKEY(billing_period, run_id)");
        assertThat(table(REDSHIFT, "service_costs_finalized"))
                .endsWith(") DISTSTYLE AUTO COMPOUND SORTKEY(billing_period, cluster)");
        assertThat(table(REDSHIFT, "rollup_runs")).endsWith(") DISTSTYLE ALL COMPOUND SORTKEY(billing_period, finished_at)");
        assertThat(REDSHIFT.bootstrap().get(1)).endsWith(") DISTSTYLE ALL");
    }

    @Test
    void shouldGivePostgresTablesNoRedshiftClauses() {
        List<String> all = new ArrayList<>(ddl(POSTGRES));
        all.addAll(POSTGRES.bootstrap());

        assertThat(all).allSatisfy(statement -> assertThat(statement)
                .doesNotContain("DISTKEY", "SORTKEY", "DISTSTYLE", "ENCODE"));
        assertThat(all).filteredOn(s -> s.startsWith("CREATE TABLE")).allSatisfy(s -> assertThat(s).endsWith(")"));
    }

    @Test
    void shouldCreateTheRunsAndARollupAndFinalizedTablePerTable_withExactMoney() {
        assertThat(POSTGRES.migrations().get(0).statements()).hasSize(9)
                .allSatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS "));
        assertThat(table(POSTGRES, "product_area_costs_rollup")).contains("run_id VARCHAR(64) NOT NULL,\n"
                + "  billing_period CHAR(7) NOT NULL,\n  product_area VARCHAR(512),\n  cost NUMERIC(38,10) NOT NULL");
        assertThat(table(POSTGRES, "untagged_resources_finalized")).contains("resource_id VARCHAR(2048)",
                "cost NUMERIC(38,10) NOT NULL,\n  run_id VARCHAR(64) NOT NULL");
        assertThat(table(POSTGRES, "rollup_runs")).contains("coverage NUMERIC(9,4)", "total_cost NUMERIC(38,10)",
                "PRIMARY KEY (run_id)");
        assertThat(POSTGRES.migrations().get(0).statements()).noneMatch(s -> s.contains("ecs_split_comparison"));
    }

    @Test
    void shouldCreateTheEcsSplitComparison_inVersion3_withEveryMoneyColumnExact_andTheCostBasis() {
        WarehouseSql.Migration version3 = POSTGRES.migrations().get(2);

        assertThat(version3.version()).isEqualTo(3);
        assertThat(version3.statements()).containsExactly(
                "CREATE TABLE IF NOT EXISTS tally.ecs_split_comparison_rollup (\n  run_id VARCHAR(64) NOT NULL,\n"
                        + "  billing_period CHAR(7) NOT NULL,\n  cluster VARCHAR(512),\n  service VARCHAR(512),\n"
                        + "  product_area VARCHAR(512),\n  events_cost NUMERIC(38,10) NOT NULL,\n"
                        + "  aws_cost NUMERIC(38,10) NOT NULL,\n  difference NUMERIC(38,10) NOT NULL,\n"
                        + "  cost_basis VARCHAR(16) DEFAULT 'unblended' NOT NULL\n)",
                "CREATE TABLE IF NOT EXISTS tally.ecs_split_comparison_finalized (\n  billing_period CHAR(7) NOT NULL,\n"
                        + "  cluster VARCHAR(512),\n  service VARCHAR(512),\n  product_area VARCHAR(512),\n"
                        + "  events_cost NUMERIC(38,10) NOT NULL,\n  aws_cost NUMERIC(38,10) NOT NULL,\n"
                        + "  difference NUMERIC(38,10) NOT NULL,\n  run_id VARCHAR(64) NOT NULL,\n"
                        + "  cost_basis VARCHAR(16) DEFAULT 'unblended' NOT NULL\n)");
        assertThat(REDSHIFT.migrations().get(2).statements()).satisfiesExactly(
                rollup -> assertThat(rollup).endsWith(") DISTKEY(run_id) COMPOUND SORTKEY(billing_period, run_id)"),
                finalized -> assertThat(finalized).endsWith(") DISTSTYLE AUTO COMPOUND SORTKEY(billing_period, cluster)"));
    }

    @Test
    void shouldCreateEveryTableInSomeVersion_eachInOneOnly() {
        for (RollupTables table : RollupTables.values()) {
            for (String kind : List.of("_rollup", "_finalized")) {
                assertThat(ddl(POSTGRES)).as(table.id() + kind)
                        .filteredOn(s -> s.startsWith("CREATE TABLE IF NOT EXISTS tally." + table.id() + kind + " ("))
                        .hasSize(1);
            }
        }
    }

    @Test
    void shouldRefuseAHostileRunId() {
        RunRecord hostile = run("x'; DROP TABLE tally.rollup_runs; --", "2024-05", "s3://b/k", true);

        assertThatThrownBy(() -> REDSHIFT.load(hostile, FINISHED)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a valid run id");
    }

    @Test
    void shouldRefuseAPeriodABucketAnObjectKeyAndASchemaOfAnotherShape() {
        assertThatThrownBy(() -> REDSHIFT.load(run("r-1", "2024-13", "s", false), FINISHED))
                .hasMessageContaining("billing period");
        RunRecord run = run("r-1", "2024-05", "s", false);
        assertThatThrownBy(() -> REDSHIFT.copyIntoRollup(new Rows(RollupTables.SERVICE_COSTS, "Bad_Bucket", "k"), run,
                "default")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> REDSHIFT.copyIntoRollup(new Rows(RollupTables.SERVICE_COSTS, "tally-out",
                "k' IAM_ROLE 'x"), run, "default")).hasMessageContaining("object key");
        assertThatThrownBy(() -> REDSHIFT.copyIntoRollup(new Rows(RollupTables.SERVICE_COSTS, "tally-out", "k"), run,
                "arn:aws:iam::1:role/x'")).hasMessageContaining("IAM role");
        assertThatThrownBy(() -> new WarehouseSql(Dialect.POSTGRES, "tally; DROP SCHEMA public"))
                .hasMessageContaining("schema name");
    }

    @Test
    void shouldQuoteTheSource_soThatNeitherDialectsBackslashRulesCanEndTheLiteral() {
        List<String> sql = statements(REDSHIFT.load(run("r-1", "2024-05", "s3://b/it's\\', 1); --", false), FINISHED));

        assertThat(sql.get(2)).startsWith("INSERT INTO tally.rollup_runs (")
                .contains("'r-1', '2024-05', 'unblended', 's3://b/it''s%5C'', 1); --', 'cur2', TRUE, FALSE, 3, 0, 0, 0, "
                        + "12.3456789012, 12.3456789012, 0.0000000000, 0.0000000000, 1.0000, ")
                .contains("CAST('2024-06-02 03:04:05.123456' AS TIMESTAMP)");
    }

    @Test
    void shouldLockTheRunsFirst_eachDialectWithItsOwnLock() {
        assertThat(statements(REDSHIFT.load(run("r-1", "2024-05", "s", false), FINISHED)).get(0))
                .isEqualTo("LOCK tally.rollup_runs");
        assertThat(statements(POSTGRES.load(run("r-1", "2024-05", "s", false), FINISHED)).get(0))
                .isEqualTo("LOCK TABLE tally.rollup_runs IN SHARE ROW EXCLUSIVE MODE");
    }

    @Test
    void shouldReplaceFinalizedRows_onlyForAFinalizedRun_andOnlyIfNoNewerFinalizedRunIsLoaded() {
        List<String> estimated = statements(POSTGRES.load(run("r-1", "2024-05", "s", false), FINISHED));
        List<String> finalized = statements(POSTGRES.load(run("r-1", "2024-05", "s", true), FINISHED));

        assertThat(estimated).noneMatch(s -> s.contains("_finalized"));
        assertThat(finalized).filteredOn(s -> s.contains("_finalized")).hasSize(10).allSatisfy(s -> assertThat(s)
                .contains("NOT EXISTS (SELECT 1 FROM tally.rollup_runs newer WHERE newer.billing_period = '2024-05'"));
        assertThat(finalized).contains("DELETE FROM tally.service_costs_rollup WHERE run_id = 'r-1'");
        assertThat(finalized).anyMatch(s -> s.startsWith("INSERT INTO tally.service_costs_finalized (billing_period, "
                + "cluster, service, product_area, cost, cost_basis, run_id) SELECT billing_period, cluster, service, "
                + "product_area, cost, cost_basis, run_id FROM tally.service_costs_rollup WHERE run_id = 'r-1' AND NOT "
                + "EXISTS"));
        assertThat(finalized).contains("DELETE FROM tally.ecs_split_comparison_rollup WHERE run_id = 'r-1'");
        assertThat(finalized).anyMatch(s -> s.startsWith("DELETE FROM tally.ecs_split_comparison_finalized WHERE "
                + "billing_period = '2024-05' AND cost_basis = 'unblended' AND NOT EXISTS"));
        assertThat(finalized).anyMatch(s -> s.startsWith("INSERT INTO tally.ecs_split_comparison_finalized ("
                + "billing_period, cluster, service, product_area, events_cost, aws_cost, difference, cost_basis, "
                + "run_id) SELECT billing_period, cluster, service, product_area, events_cost, aws_cost, difference, "
                + "cost_basis, run_id FROM tally.ecs_split_comparison_rollup WHERE run_id = 'r-1' AND NOT EXISTS"));
    }

    @Test
    void shouldReplaceTheFinalizedRowsOfTheRunsBasisOnly_judgingNewerRunsOfThatBasisOnly() {
        List<String> finalized = statements(POSTGRES.load(run("r-2", "2024-05", CostBasis.AMORTIZED, "s", true),
                FINISHED));

        assertThat(finalized).contains("INSERT INTO tally.rollup_runs (run_id, billing_period, cost_basis, source, "
                + "format, is_final, finalized, line_items, skipped_rows, malformed_rows, other_period_rows, total_cost, "
                + "allocated_cost, unallocated_cost, unmapped_cost, coverage, started_at, finished_at, loaded_at) VALUES "
                + "('r-2', '2024-05', 'amortized', 's', 'cur2', TRUE, TRUE, 3, 0, 0, 0, 12.3456789012, 12.3456789012, "
                + "0.0000000000, 0.0000000000, 1.0000, CAST('2024-06-02 03:03:05.123456' AS TIMESTAMP), "
                + "CAST('2024-06-02 03:04:05.123456' AS TIMESTAMP), CAST('2024-06-02 03:04:05.123456' AS TIMESTAMP))");
        assertThat(finalized).filteredOn(s -> s.startsWith("DELETE FROM tally.") && s.contains("_finalized"))
                .hasSize(5).allSatisfy(s -> assertThat(s).contains("WHERE billing_period = '2024-05' AND cost_basis = "
                        + "'amortized' AND NOT EXISTS (SELECT 1 FROM tally.rollup_runs newer WHERE newer.billing_period "
                        + "= '2024-05' AND newer.cost_basis = 'amortized' AND newer.finalized = TRUE"));
        assertThat(finalized).filteredOn(s -> s.startsWith("DELETE FROM tally.") && s.contains("_rollup"))
                .hasSize(5).allSatisfy(s -> assertThat(s).endsWith("WHERE run_id = 'r-2'"));
    }

    @Test
    void shouldAddTheCostBasisToEveryTable_inVersion2_unblendedForTheRunsBefore() {
        WarehouseSql.Migration version2 = POSTGRES.migrations().get(1);

        assertThat(version2.version()).isEqualTo(2);
        assertThat(version2.statements()).hasSize(9).contains(
                "ALTER TABLE tally.rollup_runs ADD COLUMN IF NOT EXISTS cost_basis VARCHAR(16) DEFAULT 'unblended' "
                        + "NOT NULL",
                "ALTER TABLE tally.service_costs_finalized ADD COLUMN IF NOT EXISTS cost_basis VARCHAR(16) DEFAULT "
                        + "'unblended' NOT NULL");
        assertThat(REDSHIFT.migrations().get(1).statements()).contains("ALTER TABLE tally.untagged_resources_rollup "
                + "ADD COLUMN cost_basis VARCHAR(16) DEFAULT 'unblended' NOT NULL");
    }

    @Test
    void shouldPlanOneRowsStepPerTable_withTheRunsObjects() {
        List<Step> steps = POSTGRES.load(run("r-1", "2024-05", "s", true), FINISHED);

        assertThat(steps).filteredOn(Rows.class::isInstance).extracting(s -> ((Rows) s).table())
                .containsExactly(RollupTables.values());
        assertThat(steps).filteredOn(Rows.class::isInstance).extracting(s -> ((Rows) s).key())
                .contains("rollups/service_costs/billing_period=2024-05/cost_basis=unblended/run_id=r-1/part-0.csv");
    }

    @Test
    void shouldLoadNoComparisonRows_ofARunRecordedBeforeTheTable_butRefuseARunMissingAnotherTable() {
        RunRecord recorded = run("r-1", "2024-05", "s", true);
        Map<RollupTables, String> before = new EnumMap<>(recorded.tables());
        before.put(RollupTables.ECS_SPLIT_COMPARISON, ""); // a run.json written before the table: no key for it
        RunRecord old = withTables(recorded, before);

        List<Step> steps = POSTGRES.load(old, FINISHED);

        assertThat(steps).filteredOn(Rows.class::isInstance).extracting(s -> ((Rows) s).table())
                .containsExactly(RollupTables.PRODUCT_AREA_COSTS, RollupTables.PRODUCT_AREA_AWS_PRODUCT_COSTS,
                        RollupTables.SERVICE_COSTS, RollupTables.UNTAGGED_RESOURCES);
        assertThat(statements(steps)).contains("DELETE FROM tally.ecs_split_comparison_rollup WHERE run_id = 'r-1'")
                .anyMatch(s -> s.startsWith("DELETE FROM tally.ecs_split_comparison_finalized WHERE billing_period"));
        Map<RollupTables, String> missing = new EnumMap<>(recorded.tables());
        missing.remove(RollupTables.SERVICE_COSTS);
        assertThatThrownBy(() -> POSTGRES.load(withTables(recorded, missing), FINISHED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no object for service_costs");
    }

    private static RunRecord withTables(RunRecord r, Map<RollupTables, String> tables) {
        return new RunRecord(r.runId(), r.billingPeriod(), r.costBasis(), r.source(), r.format(), r.isFinal(),
                r.finalized(), r.lineItems(), r.skippedRows(), r.malformedRows(), r.otherPeriodRows(), r.totalCost(),
                r.allocatedCost(), r.unallocatedCost(), r.unmappedCost(), r.coverage(), r.startedAt(), r.finishedAt(),
                r.bucket(), tables);
    }

    @Test
    void shouldCopyIntoAStagingTableWithoutThePeriod_thenAddRunAndPeriod_onRedshiftOnly() {
        RunRecord run = run("r-1", "2024-05", CostBasis.AMORTIZED, "s", false);
        Rows rows = new Rows(RollupTables.PRODUCT_AREA_COSTS, "tally-out", "rollups/p/part-0.csv");

        assertThat(REDSHIFT.copyIntoRollup(rows, run, "arn:aws:iam::123456789012:role/tally-copy")).containsExactly(
                "CREATE TEMP TABLE stage_product_area_costs (product_area VARCHAR(512), cost NUMERIC(38,10))",
                "COPY stage_product_area_costs (product_area, cost) FROM 's3://tally-out/rollups/p/part-0.csv' "
                        + "IAM_ROLE 'arn:aws:iam::123456789012:role/tally-copy' CSV IGNOREHEADER 1",
                "INSERT INTO tally.product_area_costs_rollup (run_id, billing_period, cost_basis, product_area, cost) "
                        + "SELECT 'r-1', '2024-05', 'amortized', product_area, cost FROM stage_product_area_costs");
        assertThatThrownBy(() -> POSTGRES.copyIntoRollup(rows, run, "default"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(REDSHIFT.copyIntoRollup(new Rows(RollupTables.ECS_SPLIT_COMPARISON, "tally-out",
                "rollups/e/part-0.csv"), run, "default").get(0)).isEqualTo("CREATE TEMP TABLE stage_ecs_split_comparison "
                + "(cluster VARCHAR(512), service VARCHAR(512), product_area VARCHAR(512), events_cost NUMERIC(38,10), "
                + "aws_cost NUMERIC(38,10), difference NUMERIC(38,10))");
    }

    @Test
    void shouldInsertManyRowsInOneStatement_withAPlaceholderPerValue() {
        assertThat(POSTGRES.insertIntoRollup(RollupTables.PRODUCT_AREA_COSTS, 2)).isEqualTo(
                "INSERT INTO tally.product_area_costs_rollup (run_id, billing_period, cost_basis, product_area, cost) "
                        + "VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)");
        assertThat(POSTGRES.insertIntoRollup(RollupTables.ECS_SPLIT_COMPARISON, 1)).isEqualTo(
                "INSERT INTO tally.ecs_split_comparison_rollup (run_id, billing_period, cost_basis, cluster, service, "
                        + "product_area, events_cost, aws_cost, difference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    @Test
    void shouldApplyMigrationsUnderALock_withAVersionRowOnlyIfNoneIsThere() {
        List<String> migrate = REDSHIFT.migrate(REDSHIFT.migrations(), FINISHED);

        assertThat(migrate.get(0)).isEqualTo("LOCK tally.schema_version");
        assertThat(migrate.get(migrate.size() - 1)).isEqualTo("INSERT INTO tally.schema_version (version, applied_at) "
                + "SELECT 3, CAST('2024-06-02 03:04:05.123456' AS TIMESTAMP) FROM (SELECT COUNT(*) AS n FROM "
                + "tally.schema_version WHERE version = 3) applied WHERE applied.n = 0");
        assertThat(REDSHIFT.bootstrap()).first().isEqualTo("CREATE SCHEMA IF NOT EXISTS tally");
    }

    @Test
    void shouldNameAStatementByItsFirstWords_withoutItsValues() {
        assertThat(SqlLiterals.label("INSERT INTO tally.rollup_runs (run_id) VALUES ('secret')"))
                .isEqualTo("INSERT INTO tally.rollup_runs");
        assertThat(SqlLiterals.label("COPY stage_x (a, cost) FROM 's3://b/k'")).isEqualTo("COPY stage_x");
        assertThat(SqlLiterals.label("DELETE FROM tally.x WHERE run_id = 'r'")).isEqualTo("DELETE FROM tally.x");
        assertThat(SqlLiterals.label("CREATE SCHEMA IF NOT EXISTS tally")).isEqualTo("CREATE SCHEMA IF NOT EXISTS tally");
        assertThat(SqlLiterals.label("CREATE TABLE IF NOT EXISTS tally.t (\n  a INT\n)"))
                .isEqualTo("CREATE TABLE IF NOT EXISTS tally.t");
    }
}
