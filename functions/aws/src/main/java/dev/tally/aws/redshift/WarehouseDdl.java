package dev.tally.aws.redshift;

import dev.tally.aws.redshift.WarehouseSql.Dialect;
import dev.tally.rollup.RollupTables;

import java.util.ArrayList;
import java.util.List;

/**
 * The warehouse's tables as {@code CREATE TABLE IF NOT EXISTS} statements, so that running them twice is
 * harmless. Redshift gets distribution and sort keys chosen for by-period queries (see {@code docs/warehouse.md}):
 * the append-only {@code *_rollup} tables are distributed by {@code run_id} (a period has only a few runs a month,
 * so {@code DISTKEY(billing_period)} would pile everything on a few slices; a run's rows together make its
 * delete-and-insert and the join to {@code rollup_runs} local), the small tables are {@code DISTSTYLE ALL} or
 * {@code AUTO}, and every table sorts by {@code billing_period} first, so a period's query reads its blocks only.
 */
final class WarehouseDdl {
    private final Dialect dialect;
    private final String schema;

    WarehouseDdl(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    /**
     * The tables versions 1 and 2 made: the four of §6. Frozen: a table added later is created by the version that
     * adds it (with the cost basis from the start), so that a version means the same statements on every warehouse.
     */
    static final List<RollupTables> VERSION_1_TABLES = List.of(RollupTables.PRODUCT_AREA_COSTS,
            RollupTables.PRODUCT_AREA_AWS_PRODUCT_COSTS, RollupTables.SERVICE_COSTS, RollupTables.UNTAGGED_RESOURCES);
    /** The tables version 3 added: both forms of rule 1 side by side (§9). */
    static final List<RollupTables> VERSION_3_TABLES = List.of(RollupTables.ECS_SPLIT_COMPARISON);

    /**
     * A column of a rollup table and its type: money ({@link RollupTables#isMoney}, every money column of a table)
     * exact to ten places, periods fixed-width.
     */
    static String type(String column) {
        if (RollupTables.isMoney(column)) {
            return "NUMERIC(38,10)";
        }
        return switch (column) {
            case "billing_period" -> "CHAR(7)";
            case "resource_id" -> "VARCHAR(2048)";
            default -> "VARCHAR(512)";
        };
    }

    String schemaVersion() {
        return create("schema_version", List.of("version INT NOT NULL", "applied_at TIMESTAMP NOT NULL",
                "PRIMARY KEY (version)"), "DISTSTYLE ALL");
    }

    /** Version 1: the runs, and the rollup and finalized table of each of the four tables ({@link #VERSION_1_TABLES}). */
    List<String> version1() {
        List<String> statements = new ArrayList<>();
        statements.add(create("rollup_runs", List.of("run_id VARCHAR(64) NOT NULL", "billing_period CHAR(7) NOT NULL",
                "source VARCHAR(2048)", "format VARCHAR(8)", "is_final BOOLEAN NOT NULL", "finalized BOOLEAN NOT NULL",
                "line_items BIGINT", "skipped_rows BIGINT", "malformed_rows BIGINT", "other_period_rows BIGINT",
                "total_cost NUMERIC(38,10)", "allocated_cost NUMERIC(38,10)", "unallocated_cost NUMERIC(38,10)",
                "unmapped_cost NUMERIC(38,10)", "coverage NUMERIC(9,4)", "started_at TIMESTAMP",
                "finished_at TIMESTAMP NOT NULL", "loaded_at TIMESTAMP NOT NULL", "PRIMARY KEY (run_id)"),
                "DISTSTYLE ALL COMPOUND SORTKEY(billing_period, finished_at)"));
        for (RollupTables table : VERSION_1_TABLES) {
            statements.addAll(tables(table, List.of()));
        }
        return statements;
    }

    /**
     * A table's {@code _rollup} (the run id first, distributed by it) and {@code _finalized} (the run id after the
     * table's columns) tables, with {@code more} columns at the end of each.
     */
    private List<String> tables(RollupTables table, List<String> more) {
        List<String> rollup = new ArrayList<>(List.of("run_id VARCHAR(64) NOT NULL"));
        rollup.addAll(columns(table));
        rollup.addAll(more);
        List<String> finalized = new ArrayList<>(columns(table));
        finalized.add("run_id VARCHAR(64) NOT NULL");
        finalized.addAll(more);
        return List.of(create(table.id() + "_rollup", rollup, "DISTKEY(run_id) COMPOUND SORTKEY(billing_period, run_id)"),
                create(table.id() + "_finalized", finalized,
                        "DISTSTYLE AUTO COMPOUND SORTKEY(billing_period, " + table.columns().get(1) + ")"));
    }

    /**
     * Version 2: the cost basis (§8) of every run and row, {@code unblended} for the runs before it (they were), so
     * that the runs of a delivery's two bases lie side by side and a basis's finalized rows are replaced alone.
     * PostgreSQL adds each column only if it is missing; Redshift has no {@code ADD COLUMN IF NOT EXISTS}, so two
     * loaders migrating at once fail the loser's transaction whole, and it finds the version applied when it tries
     * again ({@link SchemaMigrator}).
     */
    List<String> version2() {
        List<String> statements = new ArrayList<>();
        statements.add(addCostBasis("rollup_runs"));
        for (RollupTables table : VERSION_1_TABLES) {
            statements.add(addCostBasis(table.id() + "_rollup"));
            statements.add(addCostBasis(table.id() + "_finalized"));
        }
        return statements;
    }

    /**
     * Version 3: {@code ecs_split_comparison} (§9), rollup and finalized, shaped as versions 1 and 2 left the other
     * tables (the cost basis last). {@code CREATE TABLE IF NOT EXISTS}, so it is harmless on a warehouse that has the
     * tables already (a build between §9 and this version created them with version 1, and version 2 added their
     * cost basis).
     */
    List<String> version3() {
        List<String> statements = new ArrayList<>();
        String costBasis = COST_BASIS + " " + COST_BASIS_TYPE + " DEFAULT 'unblended' NOT NULL";
        for (RollupTables table : VERSION_3_TABLES) {
            statements.addAll(tables(table, List.of(costBasis)));
        }
        return statements;
    }

    private String addCostBasis(String table) {
        return "ALTER TABLE " + schema + "." + table + " ADD COLUMN " + (dialect == Dialect.POSTGRES ? "IF NOT EXISTS "
                : "") + COST_BASIS + " " + COST_BASIS_TYPE + " DEFAULT 'unblended' NOT NULL";
    }

    /** The column of a run's (and each row's) cost basis. */
    static final String COST_BASIS = "cost_basis";
    static final String COST_BASIS_TYPE = "VARCHAR(16)";

    /** The staging table a Redshift {@code COPY} fills: the CSV's columns, without {@code billing_period}. */
    static String stage(RollupTables table) {
        List<String> columns = new ArrayList<>();
        for (String column : table.columns().subList(1, table.columns().size())) {
            columns.add(column + " " + type(column));
        }
        return "CREATE TEMP TABLE " + stageName(table) + " (" + String.join(", ", columns) + ")";
    }

    static String stageName(RollupTables table) {
        return "stage_" + table.id();
    }

    private static List<String> columns(RollupTables table) {
        List<String> columns = new ArrayList<>();
        for (String column : table.columns()) {
            boolean required = column.equals("billing_period") || RollupTables.isMoney(column);
            columns.add(column + " " + type(column) + (required ? " NOT NULL" : ""));
        }
        return columns;
    }

    private String create(String name, List<String> columns, String redshiftKeys) {
        return "CREATE TABLE IF NOT EXISTS " + schema + "." + name + " (\n  " + String.join(",\n  ", columns) + "\n)"
                + (dialect == Dialect.REDSHIFT ? " " + redshiftKeys : "");
    }
}
