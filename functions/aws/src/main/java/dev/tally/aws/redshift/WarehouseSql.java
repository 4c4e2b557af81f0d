package dev.tally.aws.redshift;

import dev.tally.delivery.RunRecord;
import dev.tally.rollup.RollupTables;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.tally.aws.redshift.SqlLiterals.bool;
import static dev.tally.aws.redshift.SqlLiterals.number;
import static dev.tally.aws.redshift.SqlLiterals.period;
import static dev.tally.aws.redshift.SqlLiterals.runId;
import static dev.tally.aws.redshift.SqlLiterals.timestamp;

/**
 * The one SQL generator of the warehouse, for Redshift and for PostgreSQL (its local stand-in): the schema and
 * its migrations, and the plan of a load. Both adapters run the same statements; the dialects differ only where
 * Redshift has its own SQL — distribution and sort keys, {@code LOCK} without modes — and in how a table's rows
 * get in ({@link Rows}: {@code COPY} from S3 through a staging table on Redshift, batched {@code INSERT}s on JDBC).
 * Run-level values go into the text as validated literals ({@link SqlLiterals}): a Data API batch's parameters
 * would apply to every statement alike. Every method refuses a run whose id, period, format, bucket or keys have an unexpected shape
 * ({@link IllegalArgumentException}).
 */
public final class WarehouseSql {
    /** Which database the statements are for. */
    public enum Dialect { REDSHIFT, POSTGRES }

    public static final String DEFAULT_SCHEMA = "tally";

    /** One step of a load, in order. */
    public sealed interface Step permits Statement, Rows {
    }

    /** A statement to run as it is. */
    public record Statement(String sql) implements Step {
    }

    /** The rows of a run's table (its CSV object, header first, no {@code billing_period}) into {@code <table>_rollup}. */
    public record Rows(RollupTables table, String bucket, String key) implements Step {
    }

    /** A schema version: statements that are harmless when run again. */
    public record Migration(int version, List<String> statements) {
    }

    private final Dialect dialect;
    private final String schema;
    private final WarehouseDdl ddl;

    public WarehouseSql(Dialect dialect) {
        this(dialect, DEFAULT_SCHEMA);
    }

    /** @param schema lower case letters, digits and {@code _} */
    public WarehouseSql(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = SqlLiterals.schema(schema);
        this.ddl = new WarehouseDdl(dialect, schema);
    }

    public Dialect dialect() {
        return dialect;
    }

    public String schema() {
        return schema;
    }

    /** The schema and its version table: run before anything else, harmless when they exist. */
    public List<String> bootstrap() {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + schema, ddl.schemaVersion());
    }

    /** The newest version applied, 0 for none (one row, one number). */
    public String currentVersion() {
        return "SELECT COALESCE(MAX(version), 0) FROM " + schema + ".schema_version";
    }

    /** Every version, oldest first. */
    public List<Migration> migrations() {
        return List.of(new Migration(1, ddl.version1()), new Migration(2, ddl.version2()),
                new Migration(3, ddl.version3()));
    }

    /**
     * One transaction applying {@code pending}: the version table locked first (two loaders starting at once take
     * turns), each version's statements, and its row — inserted only if no other loader recorded it meanwhile.
     */
    public List<String> migrate(List<Migration> pending, Instant appliedAt) {
        List<String> statements = new ArrayList<>(List.of(lock("schema_version")));
        for (Migration migration : pending) {
            statements.addAll(migration.statements());
            statements.add("INSERT INTO " + schema + ".schema_version (version, applied_at) SELECT "
                    + migration.version() + ", " + timestamp(appliedAt) + " FROM (SELECT COUNT(*) AS n FROM " + schema
                    + ".schema_version WHERE version = " + migration.version() + ") applied WHERE applied.n = 0");
        }
        return statements;
    }

    /**
     * The steps of loading a run, to run in one transaction: the run's earlier rows go (loading again changes
     * nothing), its rows come in, and if it {@link RunRecord#finalized() finalized} its period, the period's
     * finalized rows of its cost basis are replaced by its own — unless a newer finalized run of the period and basis
     * is loaded already (a late retry of an older run must not bring its rows back). The other basis's rows are
     * never touched: runs are deleted by run id, finalized rows by period and basis.
     */
    public List<Step> load(RunRecord run, Instant loadedAt) {
        String id = runId(run.runId());
        if (run.finishedAt() == null) {
            throw new IllegalArgumentException("run " + run.runId() + " has no finish time");
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Statement(lock("rollup_runs")));
        steps.add(new Statement("DELETE FROM " + schema + ".rollup_runs WHERE run_id = " + id));
        steps.add(new Statement(insertRun(run, loadedAt)));
        for (RollupTables table : RollupTables.values()) {
            steps.add(new Statement("DELETE FROM " + rollup(table) + " WHERE run_id = " + id));
            key(run, table).ifPresent(key -> steps.add(new Rows(table, run.bucket(), key)));
        }
        if (run.finalized()) {
            for (RollupTables table : RollupTables.values()) {
                steps.add(new Statement("DELETE FROM " + finalized(table) + " WHERE billing_period = "
                        + period(run.billingPeriod()) + " AND cost_basis = " + basis(run) + " AND "
                        + noNewerFinalizedRun(run)));
                String columns = String.join(", ", table.columns()) + ", cost_basis, run_id";
                steps.add(new Statement("INSERT INTO " + finalized(table) + " (" + columns + ") SELECT " + columns
                        + " FROM " + rollup(table) + " WHERE run_id = " + id + " AND " + noNewerFinalizedRun(run)));
            }
        }
        return Collections.unmodifiableList(steps);
    }

    /**
     * Redshift's way in for {@link Rows}: a temporary staging table, {@code COPY} from S3 into it (the cluster reads
     * the object with {@code iamRole}), and an {@code INSERT … SELECT} adding the run id and the period.
     *
     * @param iamRole a role ARN the cluster may assume, or {@code default}
     */
    public List<String> copyIntoRollup(Rows rows, RunRecord run, String iamRole) {
        if (dialect != Dialect.REDSHIFT) {
            throw new IllegalStateException("COPY from S3 is Redshift's; PostgreSQL takes the rows as INSERTs");
        }
        String columns = String.join(", ", csvColumns(rows.table()));
        return List.of(WarehouseDdl.stage(rows.table()),
                "COPY " + WarehouseDdl.stageName(rows.table()) + " (" + columns + ") FROM "
                        + SqlLiterals.s3Uri(rows.bucket(), rows.key()) + " IAM_ROLE " + SqlLiterals.iamRole(iamRole)
                        + " CSV IGNOREHEADER 1",
                "INSERT INTO " + rollup(rows.table()) + " (run_id, billing_period, cost_basis, " + columns
                        + ") SELECT " + runId(run.runId()) + ", " + period(run.billingPeriod()) + ", " + basis(run)
                        + ", " + columns + " FROM " + WarehouseDdl.stageName(rows.table()));
    }

    /**
     * A multi-row {@code INSERT} into {@code <table>_rollup} with a placeholder per value, for JDBC: per row the run
     * id, the period, the cost basis, then the CSV's columns ({@link #csvColumns}), the money columns last.
     */
    public String insertIntoRollup(RollupTables table, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1");
        }
        List<String> columns = csvColumns(table);
        String row = "(?, ?, ?" + ", ?".repeat(columns.size()) + ")";
        return "INSERT INTO " + rollup(table) + " (run_id, billing_period, cost_basis, " + String.join(", ", columns)
                + ") VALUES "
                + String.join(", ", Collections.nCopies(rows, row));
    }

    /** The columns of a table's CSV object in S3: its columns without {@code billing_period}. */
    public static List<String> csvColumns(RollupTables table) {
        return table.columns().subList(1, table.columns().size());
    }

    public String rollup(RollupTables table) {
        return schema + "." + table.id() + "_rollup";
    }

    public String finalized(RollupTables table) {
        return schema + "." + table.id() + "_finalized";
    }

    /** Makes concurrent loads (and migrations) take turns; PostgreSQL's mode still lets readers read. */
    private String lock(String table) {
        return dialect == Dialect.REDSHIFT ? "LOCK " + schema + "." + table
                : "LOCK TABLE " + schema + "." + table + " IN SHARE ROW EXCLUSIVE MODE";
    }

    private String insertRun(RunRecord run, Instant loadedAt) {
        return "INSERT INTO " + schema + ".rollup_runs (run_id, billing_period, cost_basis, source, format, is_final, "
                + "finalized, line_items, skipped_rows, malformed_rows, other_period_rows, total_cost, allocated_cost, "
                + "unallocated_cost, unmapped_cost, coverage, started_at, finished_at, loaded_at) VALUES ("
                + String.join(", ", runId(run.runId()), period(run.billingPeriod()), basis(run),
                SqlLiterals.text(run.source()),
                SqlLiterals.format(run.format()), bool(run.isFinal()), bool(run.finalized()),
                Long.toString(run.lineItems()), Long.toString(run.skippedRows()), Long.toString(run.malformedRows()),
                Long.toString(run.otherPeriodRows()), number(run.totalCost()), number(run.allocatedCost()),
                number(run.unallocatedCost()), number(run.unmappedCost()), number(run.coverage()),
                timestamp(run.startedAt()), timestamp(run.finishedAt()), timestamp(loadedAt)) + ")";
    }

    /**
     * No other finalized run of the period on the run's basis finished later (ties: the greater run id wins, as ids
     * sort by time).
     */
    private String noNewerFinalizedRun(RunRecord run) {
        String finished = timestamp(run.finishedAt());
        return "NOT EXISTS (SELECT 1 FROM " + schema + ".rollup_runs newer WHERE newer.billing_period = "
                + period(run.billingPeriod()) + " AND newer.cost_basis = " + basis(run)
                + " AND newer.finalized = TRUE AND (newer.finished_at > " + finished
                + " OR (newer.finished_at = " + finished + " AND newer.run_id > " + runId(run.runId()) + ")))";
    }

    /** The run's cost basis as a literal: one of {@link dev.tally.billing.CostBasis}'s ids, nothing else. */
    private static String basis(RunRecord run) {
        return "'" + run.costBasis().id() + "'";
    }

    /**
     * The run's object of a table. A run recorded before a table existed ({@link #ADDED_LATER}: its {@code run.json}
     * has no key for it) has no rows in it, and loads none; any other table it must name.
     */
    private static Optional<String> key(RunRecord run, RollupTables table) {
        String key = run.tables().get(table);
        if (key == null || key.isBlank()) {
            if (ADDED_LATER.contains(table)) {
                return Optional.empty();
            }
            throw new IllegalArgumentException("run " + run.runId() + " names no object for " + table.id());
        }
        return Optional.of(key);
    }

    /** Tables added after the first runs were recorded: a run's record before them names no object for them. */
    private static final Set<RollupTables> ADDED_LATER = EnumSet.copyOf(WarehouseDdl.VERSION_3_TABLES);
}
