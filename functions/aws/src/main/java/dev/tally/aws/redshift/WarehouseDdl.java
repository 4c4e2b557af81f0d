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

    /** A column of a rollup table and its type: money exact to ten places, periods fixed-width. */
    static String type(String column) {
        return switch (column) {
            case "billing_period" -> "CHAR(7)";
            case "cost" -> "NUMERIC(38,10)";
            case "resource_id" -> "VARCHAR(2048)";
            default -> "VARCHAR(512)";
        };
    }

    String schemaVersion() {
        return create("schema_version", List.of("version INT NOT NULL", "applied_at TIMESTAMP NOT NULL",
                "PRIMARY KEY (version)"), "DISTSTYLE ALL");
    }

    /** Version 1: the runs, and the rollup and finalized table of each of the four tables. */
    List<String> version1() {
        List<String> statements = new ArrayList<>();
        statements.add(create("rollup_runs", List.of("run_id VARCHAR(64) NOT NULL", "billing_period CHAR(7) NOT NULL",
                "source VARCHAR(2048)", "format VARCHAR(8)", "is_final BOOLEAN NOT NULL", "finalized BOOLEAN NOT NULL",
                "line_items BIGINT", "skipped_rows BIGINT", "malformed_rows BIGINT", "other_period_rows BIGINT",
                "total_cost NUMERIC(38,10)", "allocated_cost NUMERIC(38,10)", "unallocated_cost NUMERIC(38,10)",
                "unmapped_cost NUMERIC(38,10)", "coverage NUMERIC(9,4)", "started_at TIMESTAMP",
                "finished_at TIMESTAMP NOT NULL", "loaded_at TIMESTAMP NOT NULL", "PRIMARY KEY (run_id)"),
                "DISTSTYLE ALL COMPOUND SORTKEY(billing_period, finished_at)"));
        for (RollupTables table : RollupTables.values()) {
            List<String> rollup = new ArrayList<>(List.of("run_id VARCHAR(64) NOT NULL"));
            rollup.addAll(columns(table));
            statements.add(create(table.id() + "_rollup", rollup,
                    "DISTKEY(run_id) COMPOUND SORTKEY(billing_period, run_id)"));
            List<String> finalized = new ArrayList<>(columns(table));
            finalized.add("run_id VARCHAR(64) NOT NULL");
            statements.add(create(table.id() + "_finalized", finalized,
                    "DISTSTYLE AUTO COMPOUND SORTKEY(billing_period, " + table.columns().get(1) + ")"));
        }
        return statements;
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
        for (RollupTables table : RollupTables.values()) {
            statements.add(addCostBasis(table.id() + "_rollup"));
            statements.add(addCostBasis(table.id() + "_finalized"));
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
            boolean required = column.equals("billing_period") || column.equals("cost");
            columns.add(column + " " + type(column) + (required ? " NOT NULL" : ""));
        }
        return columns;
    }

    private String create(String name, List<String> columns, String redshiftKeys) {
        return "CREATE TABLE IF NOT EXISTS " + schema + "." + name + " (\n  " + String.join(",\n  ", columns) + "\n)"
                + (dialect == Dialect.REDSHIFT ? " " + redshiftKeys : "");
    }
}
