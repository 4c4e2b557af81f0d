package dev.tally.aws.redshift;

import dev.tally.delivery.RunRecord;
import dev.tally.delivery.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The warehouse on Redshift, through the Data API: no JDBC driver and no connection to keep in a Lambda
 * function, and the cluster reads the run's CSV objects from S3 itself ({@code COPY}). A load is one
 * {@code BatchExecuteStatement}, which Redshift runs as one transaction, so a failure anywhere leaves nothing of
 * it. The schema is migrated on the first load of each instance. Build the client with
 * {@code AwsClients.configure(RedshiftDataClient.builder(), config, "redshift-data")}.
 */
public final class DataApiWarehouse implements Warehouse {
    private static final Logger LOG = LoggerFactory.getLogger(DataApiWarehouse.class);
    /** The Data API's limit of statements in one batch. */
    static final int MAX_BATCH = 40;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final DataApiStatements statements;
    private final WarehouseSql sql;
    private final String copyRole;
    private final Clock clock;
    private volatile boolean migrated;

    /**
     * @param copyRole the IAM role ARN the cluster assumes to read the output bucket ({@code default} for the
     *                 cluster's default role)
     */
    public DataApiWarehouse(RedshiftDataClient client, DataApiTarget target, String copyRole, WarehouseSql sql) {
        this(client, target, copyRole, sql, Clock.systemUTC(), DEFAULT_TIMEOUT);
    }

    /** @param timeout how long one statement or batch may take before it is cancelled and the load failed */
    public DataApiWarehouse(RedshiftDataClient client, DataApiTarget target, String copyRole, WarehouseSql sql,
                            Clock clock, Duration timeout) {
        if (sql.dialect() != WarehouseSql.Dialect.REDSHIFT) {
            throw new IllegalArgumentException("the Data API runs Redshift SQL, not " + sql.dialect());
        }
        SqlLiterals.iamRole(copyRole);
        this.statements = new DataApiStatements(client, target, timeout);
        this.sql = sql;
        this.copyRole = copyRole;
        this.clock = clock;
    }

    @Override
    public void load(RunRecord run) throws WarehouseException {
        List<String> batch = batch(run);
        migrateOnce();
        long started = System.nanoTime();
        statements.transaction(batch, "tally-load-" + run.runId());
        LOG.info("run {} ({}) loaded into Redshift schema {}: {} statements, finalized {}, {} ms", run.runId(),
                run.billingPeriod(), sql.schema(), batch.size(), run.finalized(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The load as one batch of statements, the rows by {@code COPY}. */
    List<String> batch(RunRecord run) throws WarehouseException {
        List<String> batch = new ArrayList<>();
        try {
            for (WarehouseSql.Step step : sql.load(run, clock.instant())) {
                if (step instanceof WarehouseSql.Statement statement) {
                    batch.add(statement.sql());
                } else if (step instanceof WarehouseSql.Rows rows) {
                    batch.addAll(sql.copyIntoRollup(rows, run, copyRole));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new WarehouseException("run " + run.runId() + " cannot be loaded: " + e.getMessage(), e);
        }
        if (batch.size() > MAX_BATCH) {
            throw new IllegalStateException(batch.size() + " statements: more than a Data API batch takes");
        }
        return batch;
    }

    private void migrateOnce() throws WarehouseException {
        if (!migrated) {
            synchronized (this) {
                if (!migrated) {
                    SchemaMigrator.migrate(sql, statements, clock);
                    migrated = true;
                }
            }
        }
    }
}
