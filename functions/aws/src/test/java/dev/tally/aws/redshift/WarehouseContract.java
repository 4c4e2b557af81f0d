package dev.tally.aws.redshift;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.tally.billing.CostBasis;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RollupOutputs;
import dev.tally.delivery.RunRecord;
import dev.tally.delivery.Warehouse;
import dev.tally.delivery.Warehouse.WarehouseException;
import dev.tally.rollup.RollupTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Warehouse} adapter does, whatever the database: a run's rows land exactly (money to ten
 * places), loading again changes nothing, final runs replace their period's finalized rows and only theirs, a load
 * that fails half-way leaves nothing and can simply be run again, and the schema is created once however many
 * loaders start at once. Each test works in a schema of its own, so it starts from an empty database.
 */
abstract class WarehouseContract {
    protected static final String MAY = "2024-05";
    private static final Instant FINISHED = Instant.parse("2024-06-02T03:04:05.123456Z");
    private static final String COST = "12.3456789012";
    /** The largest NUMERIC(38,10): 28 digits before the point, 10 after. */
    private static final String HUGE = "9".repeat(28) + "." + "9".repeat(10);

    /** A new loader on {@code schema}: its own instance, as another Lambda container would have. */
    protected abstract Warehouse warehouse(String schema);

    /** A JDBC connection to the database the loads go to, to read them back. */
    protected abstract Connection connect() throws SQLException;

    /** The S3 emulator, where the runs' tables are written. */
    protected abstract ObjectStore store();

    protected abstract String bucket();

    /** The next statement the warehouse sends whose SQL matches fails, once, before it changes anything. */
    protected abstract void failNextStatementMatching(Pattern sql);

    protected abstract void clearFaults();

    protected String schema;
    private RollupOutputs outputs;

    @BeforeEach
    void emptySchema() {
        schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        outputs = new RollupOutputs(store(), bucket(), "warehouse-it/" + schema);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        clearFaults();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void shouldLoadRunIntoEveryRollupTableAndRollupRuns_withExactNumericValues() throws Exception {
        RunRecord run = writeRun("20240602T030000Z-0000000a", MAY, false, false, FINISHED, COST);

        warehouse(schema).load(run);

        BigDecimal cost = new BigDecimal(COST);
        assertThat(rows("SELECT run_id, billing_period, product_area, cost FROM " + schema
                + ".product_area_costs_rollup ORDER BY product_area")).containsExactly(
                List.of(run.runId(), MAY, "ads", new BigDecimal("1.0000000000")),
                List.of(run.runId(), MAY, "search", cost));
        assertThat(rows("SELECT run_id, billing_period, aws_product, product_area, cost FROM " + schema
                + ".product_area_aws_product_costs_rollup"))
                .containsExactly(List.of(run.runId(), MAY, "Amazon Elastic Compute Cloud", "search", cost));
        assertThat(rows("SELECT run_id, billing_period, cluster, service, product_area, cost FROM " + schema
                + ".service_costs_rollup")).containsExactly(List.of(run.runId(), MAY, "prod", "web, \"edge\"", "search",
                cost));
        assertThat(rows("SELECT run_id, billing_period, aws_product, resource_id, cost FROM " + schema
                + ".untagged_resources_rollup"))
                .containsExactly(List.of(run.runId(), MAY, "Amazon Elastic Block Store", "vol-0abc", cost));
        // all three money columns of the comparison exact, negative and at the edges of NUMERIC(38,10)
        assertThat(rows("SELECT run_id, billing_period, cluster, service, product_area, events_cost, aws_cost, "
                + "difference FROM " + schema + ".ecs_split_comparison_rollup ORDER BY cluster")).containsExactly(
                List.of(run.runId(), MAY, "big", "batch", "(unmapped)", new BigDecimal(HUGE),
                        new BigDecimal("0.0000000000"), new BigDecimal("-" + HUGE)),
                List.of(run.runId(), MAY, "other", "(unknown)", "(unmapped)", new BigDecimal("0.0000000000"),
                        new BigDecimal("0.0000000001"), new BigDecimal("0.0000000001")),
                List.of(run.runId(), MAY, "prod", "web, \"edge\"", "search", cost, new BigDecimal("1.0000000000"),
                        new BigDecimal("1.0000000000").subtract(cost)));
        assertThat(rows("SELECT run_id, billing_period, source, format, is_final, finalized, line_items, skipped_rows,"
                + " malformed_rows, other_period_rows, total_cost, allocated_cost, unallocated_cost, unmapped_cost,"
                + " coverage FROM " + schema + ".rollup_runs")).containsExactly(List.of(run.runId(), MAY,
                "s3://bills/2024-05/dbr.zip", "dbr", false, false, 10L, 1L, 0L, 2L, new BigDecimal("100.1234567890"),
                new BigDecimal("90.0000000001"), new BigDecimal("10.1234567889"), new BigDecimal("0.0000000000"),
                new BigDecimal("0.8989")));
        assertThat(timestamp("SELECT finished_at FROM " + schema + ".rollup_runs"))
                .isEqualTo(LocalDateTime.ofInstant(FINISHED, ZoneOffset.UTC));
        assertThat(finalizedRunIds()).isEmpty();
    }

    @Test
    void shouldLeaveOneCopy_whenTheSameRunIsLoadedTwice() throws Exception {
        RunRecord run = writeRun("20240602T030000Z-0000000b", MAY, true, true, FINISHED, COST);
        Warehouse warehouse = warehouse(schema);

        warehouse.load(run);
        warehouse.load(run);

        for (RollupTables table : RollupTables.values()) {
            assertThat(count(table.id() + "_rollup")).as(table.id()).isEqualTo(rowsPerRun(table));
            assertThat(count(table.id() + "_finalized")).as(table.id()).isEqualTo(rowsPerRun(table));
        }
        assertThat(count("rollup_runs")).isEqualTo(1);
    }

    @Test
    void shouldKeepBothRunsInRollup_butOnlyTheFinalInFinalized_whenEstimatedThenFinal() throws Exception {
        RunRecord estimated = writeRun("20240520T000000Z-00000001", MAY, false, false, FINISHED, "1.0000000001");
        RunRecord fin = writeRun("20240602T000000Z-00000002", MAY, true, true, FINISHED.plusSeconds(60), COST);
        Warehouse warehouse = warehouse(schema);

        warehouse.load(estimated);
        warehouse.load(fin);

        for (RollupTables table : RollupTables.values()) {
            assertThat(column("SELECT DISTINCT run_id FROM " + schema + "." + table.id() + "_rollup ORDER BY run_id"))
                    .as(table.id()).containsExactly(estimated.runId(), fin.runId());
        }
        assertThat(finalizedRunIds()).containsExactly(fin.runId());
        assertThat(rows("SELECT billing_period, product_area, cost, run_id FROM " + schema
                + ".product_area_costs_finalized ORDER BY product_area")).containsExactly(
                List.of(MAY, "ads", new BigDecimal("1.0000000000"), fin.runId()),
                List.of(MAY, "search", new BigDecimal(COST), fin.runId()));
        assertThat(rows("SELECT billing_period, cluster, service, events_cost, aws_cost, difference, cost_basis, run_id"
                + " FROM " + schema + ".ecs_split_comparison_finalized WHERE cluster = 'prod'")).containsExactly(
                List.of(MAY, "prod", "web, \"edge\"", new BigDecimal(COST), new BigDecimal("1.0000000000"),
                        new BigDecimal("-11.3456789012"), "unblended", fin.runId()));
        assertThat(count("ecs_split_comparison_finalized")).isEqualTo(rowsPerRun(RollupTables.ECS_SPLIT_COMPARISON));
        assertThat(column("SELECT run_id FROM " + schema + ".rollup_runs WHERE finalized ORDER BY run_id"))
                .containsExactly(fin.runId());
    }

    @Test
    void shouldReplaceFinalizedRowsOfThePeriodOnly_whenASecondFinalRunIsLoaded() throws Exception {
        RunRecord april = writeRun("20240502T000000Z-0000000a", "2024-04", true, true, FINISHED, "4.0000000000");
        RunRecord first = writeRun("20240602T000000Z-00000001", MAY, true, true, FINISHED, "5.0000000000");
        RunRecord second = writeRun("20240603T000000Z-00000002", MAY, true, true, FINISHED.plusSeconds(3600), COST);
        Warehouse warehouse = warehouse(schema);

        warehouse.load(april);
        warehouse.load(first);
        warehouse.load(second);

        assertThat(rows("SELECT billing_period, run_id, cost FROM " + schema + ".service_costs_finalized"
                + " ORDER BY billing_period")).containsExactly(
                List.of("2024-04", april.runId(), new BigDecimal("4.0000000000")),
                List.of(MAY, second.runId(), new BigDecimal(COST)));
        assertThat(finalizedRunIds()).containsExactlyInAnyOrder(april.runId(), second.runId());
    }

    @Test
    void shouldKeepTheNewerFinalizedRows_whenAnOlderFinalRunIsLoadedAgainLate() throws Exception {
        RunRecord older = writeRun("20240602T000000Z-00000001", MAY, true, true, FINISHED, "5.0000000000");
        RunRecord newer = writeRun("20240603T000000Z-00000002", MAY, true, true, FINISHED.plusSeconds(3600), COST);
        Warehouse warehouse = warehouse(schema);
        warehouse.load(older);
        warehouse.load(newer);

        warehouse.load(older);

        assertThat(finalizedRunIds()).containsExactly(newer.runId());
        assertThat(column("SELECT run_id FROM " + schema + ".rollup_runs ORDER BY run_id"))
                .containsExactly(older.runId(), newer.runId());
    }

    @Test
    void shouldLeaveNoTraceAndKeepThePreviousFinalizedRows_whenALoadFailsHalfWay_andARetryCompletesIt()
            throws Exception {
        RunRecord previous = writeRun("20240602T000000Z-00000001", MAY, true, true, FINISHED, "5.0000000000");
        RunRecord next = writeRun("20240603T000000Z-00000002", MAY, true, true, FINISHED.plusSeconds(3600), COST);
        Warehouse warehouse = warehouse(schema);
        warehouse.load(previous);
        failNextStatementMatching(Pattern.compile("INSERT INTO " + schema + "\\.service_costs_finalized"));

        assertThatThrownBy(() -> warehouse.load(next)).isInstanceOf(WarehouseException.class)
                .hasMessageContaining("injected fault");

        assertThat(column("SELECT run_id FROM " + schema + ".rollup_runs")).containsExactly(previous.runId());
        for (RollupTables table : RollupTables.values()) {
            assertThat(column("SELECT DISTINCT run_id FROM " + schema + "." + table.id() + "_rollup"))
                    .as(table.id()).containsExactly(previous.runId());
        }
        assertThat(finalizedRunIds()).containsExactly(previous.runId());
        assertThat(count("service_costs_finalized")).isEqualTo(rowsPerRun(RollupTables.SERVICE_COSTS));

        warehouse.load(next);

        assertThat(finalizedRunIds()).containsExactly(next.runId());
        assertThat(count("rollup_runs")).isEqualTo(2);
    }

    @Test
    void shouldLoadNothingOfARun_whenOneOfItsTablesHasACostTooLargeForTheWarehouse() throws Exception {
        RunRecord run = writeRun("20240602T000000Z-0000000c", MAY, true, true, FINISHED, COST);
        String key = run.tables().get(RollupTables.UNTAGGED_RESOURCES);
        writeTable(key, RollupTables.UNTAGGED_RESOURCES,
                List.of(List.of("Amazon Elastic Block Store", "vol-0abc", "1" + "0".repeat(30) + ".0000000000")));
        Warehouse warehouse = warehouse(schema);

        assertThatThrownBy(() -> warehouse.load(run)).isInstanceOf(WarehouseException.class);

        assertThat(count("rollup_runs")).isZero();
        for (RollupTables table : RollupTables.values()) {
            assertThat(count(table.id() + "_rollup")).as(table.id()).isZero();
        }
        assertThat(finalizedRunIds()).isEmpty();

        writeTable(key, RollupTables.UNTAGGED_RESOURCES, List.of(List.of("Amazon Elastic Block Store", "vol-0abc",
                COST)));
        warehouse.load(run);
        assertThat(finalizedRunIds()).containsExactly(run.runId());
    }

    @Test
    void shouldCreateTheSchemaOnce_whenTwoLoadsStartAtOnceOnAnEmptyDatabase() throws Exception {
        RunRecord may = writeRun("20240602T000000Z-00000001", MAY, false, false, FINISHED, COST);
        RunRecord june = writeRun("20240702T000000Z-00000002", "2024-06", false, false, FINISHED, COST);
        Warehouse one = warehouse(schema);
        Warehouse other = warehouse(schema);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService loaders = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> load(one, may, start), loaders);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> load(other, june, start), loaders);

            CompletableFuture.allOf(first, second).get(2, TimeUnit.MINUTES);
        } finally {
            loaders.shutdownNow();
        }

        assertThat(column("SELECT version FROM " + schema + ".schema_version ORDER BY version"))
                .containsExactlyElementsOf(new WarehouseSql(WarehouseSql.Dialect.POSTGRES).migrations().stream()
                        .map(WarehouseSql.Migration::version).toList());
        assertThat(column("SELECT run_id FROM " + schema + ".rollup_runs ORDER BY run_id"))
                .containsExactly(may.runId(), june.runId());
    }

    @Test
    void shouldRefuseAHostileRunId_beforeAnythingReachesTheDatabase() throws Exception {
        RunRecord run = writeRun("20240602T000000Z-0000000d", MAY, false, false, FINISHED, COST);
        RunRecord hostile = new RunRecord("x'; DROP SCHEMA " + schema + " CASCADE; --", MAY, CostBasis.UNBLENDED,
                run.source(),
                run.format(), false, false, 1, 0, 0, 0, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ONE, FINISHED, FINISHED, bucket(), run.tables());

        assertThatThrownBy(() -> warehouse(schema).load(hostile)).isInstanceOf(WarehouseException.class)
                .hasMessageContaining("not a valid run id");

        assertThat(column("SELECT schema_name FROM information_schema.schemata WHERE schema_name = '" + schema + "'"))
                .isEmpty();
    }

    @Test
    void shouldKeepASourceWithQuotesAndBackslashes_asTheSameTextInEveryDialect() throws Exception {
        RunRecord written = writeRun("20240602T000000Z-0000000e", MAY, false, false, FINISHED, COST);
        RunRecord run = new RunRecord(written.runId(), MAY, CostBasis.UNBLENDED, "s3://bills/it's \\' here/dbr.zip",
                "cur2", false,
                false, 1, 0, 0, 0, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE,
                FINISHED, FINISHED, bucket(), written.tables());

        warehouse(schema).load(run);

        assertThat(column("SELECT source FROM " + schema + ".rollup_runs"))
                .containsExactly("s3://bills/it's %5C' here/dbr.zip");
    }

    @Test
    void shouldKeepTheBasesApart_aFinalRunReplacingTheFinalizedRowsOfItsOwnBasisOnly() throws Exception {
        RunRecord unblended = writeRun("20240602T000000Z-00000001", MAY, CostBasis.UNBLENDED, true, true, FINISHED,
                "5.0000000000");
        RunRecord amortized = writeRun("20240602T000000Z-00000002", MAY, CostBasis.AMORTIZED, true, true,
                FINISHED.plusSeconds(7200), "4.0000000000");
        RunRecord newerUnblended = writeRun("20240603T000000Z-00000003", MAY, CostBasis.UNBLENDED, true, true,
                FINISHED.plusSeconds(3600), COST);
        Warehouse warehouse = warehouse(schema);

        warehouse.load(unblended);
        warehouse.load(amortized);
        warehouse.load(newerUnblended);
        warehouse.load(amortized);

        assertThat(rows("SELECT cost_basis, run_id, cost FROM " + schema + ".service_costs_finalized"
                + " ORDER BY cost_basis")).containsExactly(
                List.of("amortized", amortized.runId(), new BigDecimal("4.0000000000")),
                List.of("unblended", newerUnblended.runId(), new BigDecimal(COST)));
        assertThat(rows("SELECT cost_basis, count(*) FROM " + schema + ".product_area_costs_rollup GROUP BY cost_basis"
                + " ORDER BY cost_basis")).containsExactly(List.of("amortized", 2L), List.of("unblended", 4L));
        assertThat(rows("SELECT run_id, cost_basis, finalized FROM " + schema + ".rollup_runs ORDER BY run_id"))
                .containsExactly(List.of(unblended.runId(), "unblended", true),
                        List.of(amortized.runId(), "amortized", true),
                        List.of(newerUnblended.runId(), "unblended", true));
    }

    @Test
    void shouldMigrateASchemaOfVersion1_itsRunsAndRowsUnblended() throws Exception {
        WarehouseSql v1 = new WarehouseSql(WarehouseSql.Dialect.POSTGRES, schema);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : v1.bootstrap()) {
                statement.execute(sql);
            }
            connection.setAutoCommit(false);
            for (String sql : v1.migrate(List.of(v1.migrations().get(0)), FINISHED)) {
                statement.execute(sql);
            }
            statement.execute("INSERT INTO " + schema + ".product_area_costs_finalized (billing_period, product_area, "
                    + "cost, run_id) VALUES ('2024-04', 'old', 1.5, 'r-old')");
            connection.commit();
        }
        RunRecord amortized = writeRun("20240602T000000Z-00000004", MAY, CostBasis.AMORTIZED, true, true, FINISHED,
                COST);

        warehouse(schema).load(amortized);

        assertThat(column("SELECT version FROM " + schema + ".schema_version ORDER BY version"))
                .containsExactly(1, 2, 3);
        assertThat(rows("SELECT billing_period, cost_basis, run_id FROM " + schema + ".product_area_costs_finalized"
                + " ORDER BY billing_period, product_area")).containsExactly(List.of("2024-04", "unblended", "r-old"),
                List.of(MAY, "amortized", amortized.runId()), List.of(MAY, "amortized", amortized.runId()));
        assertThat(rows("SELECT cost_basis, count(*) FROM " + schema + ".ecs_split_comparison_finalized GROUP BY "
                + "cost_basis")).containsExactly(List.of("amortized", rowsPerRun(RollupTables.ECS_SPLIT_COMPARISON)));
    }

    @Test
    void shouldMigrateASchemaOfVersion2_creatingTheComparisonTables_andLoadARunIntoThem() throws Exception {
        WarehouseSql sql = new WarehouseSql(WarehouseSql.Dialect.POSTGRES, schema);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String ddl : sql.bootstrap()) {
                statement.execute(ddl);
            }
            connection.setAutoCommit(false);
            for (String ddl : sql.migrate(sql.migrations().subList(0, 2), FINISHED)) {
                statement.execute(ddl);
            }
            statement.execute("INSERT INTO " + schema + ".service_costs_finalized (billing_period, cluster, service, "
                    + "product_area, cost, run_id) VALUES ('2024-04', 'prod', 'old', 'search', 2.5, 'r-old')");
            connection.commit();
        }
        assertThat(column("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name LIKE 'ecs_split_comparison%'")).containsExactly(0L);
        RunRecord fin = writeRun("20240602T000000Z-00000005", MAY, true, true, FINISHED, COST);

        warehouse(schema).load(fin);

        assertThat(column("SELECT version FROM " + schema + ".schema_version ORDER BY version"))
                .containsExactly(1, 2, 3);
        assertThat(rows("SELECT cluster, events_cost, aws_cost, difference, cost_basis, run_id FROM " + schema
                + ".ecs_split_comparison_finalized WHERE cluster = 'other'")).containsExactly(List.of("other",
                new BigDecimal("0.0000000000"), new BigDecimal("0.0000000001"), new BigDecimal("0.0000000001"),
                "unblended", fin.runId()));
        assertThat(count("ecs_split_comparison_rollup")).isEqualTo(rowsPerRun(RollupTables.ECS_SPLIT_COMPARISON));
        assertThat(column("SELECT run_id FROM " + schema + ".service_costs_finalized ORDER BY billing_period"))
                .containsExactly("r-old", fin.runId());
    }

    @Test
    void shouldMigrateToVersion3_whenTheComparisonTablesExistAlready() throws Exception {
        // a warehouse a build between §9 and version 3 created: the comparison tables made with versions 1 and 2
        WarehouseSql sql = new WarehouseSql(WarehouseSql.Dialect.POSTGRES, schema);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String ddl : sql.bootstrap()) {
                statement.execute(ddl);
            }
            connection.setAutoCommit(false);
            for (String ddl : sql.migrations().get(2).statements()) {
                statement.execute(ddl);
            }
            for (String ddl : sql.migrate(sql.migrations().subList(0, 2), FINISHED)) {
                statement.execute(ddl);
            }
            connection.commit();
        }
        RunRecord run = writeRun("20240602T000000Z-00000006", MAY, false, false, FINISHED, COST);

        warehouse(schema).load(run);

        assertThat(column("SELECT version FROM " + schema + ".schema_version ORDER BY version"))
                .containsExactly(1, 2, 3);
        assertThat(count("ecs_split_comparison_rollup")).isEqualTo(rowsPerRun(RollupTables.ECS_SPLIT_COMPARISON));
    }

    // --- runs and their tables in the S3 emulator

    protected RunRecord writeRun(String runId, String period, boolean isFinal, boolean finalized, Instant finished,
                               String cost) throws IOException {
        return writeRun(runId, period, CostBasis.UNBLENDED, isFinal, finalized, finished, cost);
    }

    protected RunRecord writeRun(String runId, String period, CostBasis basis, boolean isFinal, boolean finalized,
                                 Instant finished, String cost) throws IOException {
        Map<RollupTables, String> keys = new EnumMap<>(RollupTables.class);
        for (RollupTables table : RollupTables.values()) {
            String key = outputs.tableKey(table, period, basis, runId);
            writeTable(key, table, rowsOf(table, cost));
            keys.put(table, key);
        }
        return new RunRecord(runId, period, basis, "s3://bills/" + period + "/dbr.zip", "dbr", isFinal, finalized, 10, 1, 0,
                2, new BigDecimal("100.1234567890"), new BigDecimal("90.0000000001"), new BigDecimal("10.1234567889"),
                new BigDecimal("0.0000000000"), new BigDecimal("0.8989"), finished.minus(Duration.ofMinutes(2)),
                finished, bucket(), keys);
    }

    private static List<List<String>> rowsOf(RollupTables table, String cost) {
        return switch (table) {
            case PRODUCT_AREA_COSTS -> List.of(List.of("search", cost), List.of("ads", "1.0000000000"));
            case PRODUCT_AREA_AWS_PRODUCT_COSTS -> List.of(List.of("Amazon Elastic Compute Cloud", "search", cost));
            case SERVICE_COSTS -> List.of(List.of("prod", "web, \"edge\"", "search", cost));
            case UNTAGGED_RESOURCES -> List.of(List.of("Amazon Elastic Block Store", "vol-0abc", cost));
            case ECS_SPLIT_COMPARISON -> List.of(List.of("prod", "web, \"edge\"", "search", cost, "1.0000000000",
                            new BigDecimal("1.0000000000").subtract(new BigDecimal(cost)).toPlainString()),
                    List.of("other", "(unknown)", "(unmapped)", "0.0000000000", "0.0000000001", "0.0000000001"),
                    List.of("big", "batch", "(unmapped)", HUGE, "0.0000000000", "-" + HUGE));
        };
    }

    private static long rowsPerRun(RollupTables table) {
        return rowsOf(table, COST).size();
    }

    /** A table as the rollup writes it to S3: header, no billing_period, LF line ends. */
    private void writeTable(String key, RollupTables table, List<List<String>> rows) throws IOException {
        StringWriter text = new StringWriter();
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(text);
        csv.writeRecord(WarehouseSql.csvColumns(table));
        rows.forEach(csv::writeRecord);
        csv.flush();
        store().put(bucket(), key, text.toString().getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8");
    }

    private static void load(Warehouse warehouse, RunRecord run, CyclicBarrier start) {
        try {
            start.await(1, TimeUnit.MINUTES);
            warehouse.load(run);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- reading back

    private List<String> finalizedRunIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        for (RollupTables table : RollupTables.values()) {
            for (Object id : column("SELECT DISTINCT run_id FROM " + schema + "." + table.id() + "_finalized")) {
                if (!ids.contains(id)) {
                    ids.add((String) id);
                }
            }
        }
        return ids;
    }

    private long count(String table) throws SQLException {
        return ((Number) column("SELECT COUNT(*) FROM " + schema + "." + table).get(0)).longValue();
    }

    private List<Object> column(String query) throws SQLException {
        return rows(query).stream().map(row -> row.get(0)).toList();
    }

    private LocalDateTime timestamp(String query) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            return result.getObject(1, LocalDateTime.class);
        }
    }

    protected List<List<Object>> rows(String query) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
