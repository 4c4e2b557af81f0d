package dev.tally.aws.redshift;

import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RunRecord;
import dev.tally.delivery.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warehouse over JDBC: PostgreSQL locally ({@code tally demo}, the tests), or any database that speaks the
 * generator's dialect. Only {@code java.sql}: the driver comes with whoever runs it, never with the Lambda
 * artifact. The run's tables are read from the output bucket first, then the load runs as one JDBC transaction
 * (autocommit off, rolled back on any failure) with the generator's statements, the rows as batched multi-row
 * {@code INSERT}s ({@link JdbcTransaction}). A transaction the database gave up on (a serialization failure or a
 * deadlock, SQLSTATE class 40) is tried again, up to three times.
 */
public final class JdbcWarehouse implements Warehouse {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWarehouse.class);
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    private final ObjectStore store;
    private final WarehouseSql sql;
    private final Clock clock;
    private volatile boolean migrated;

    public JdbcWarehouse(DataSource dataSource, ObjectStore store, WarehouseSql sql) {
        this(dataSource, store, sql, Clock.systemUTC());
    }

    public JdbcWarehouse(DataSource dataSource, ObjectStore store, WarehouseSql sql, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.sql = sql;
        this.clock = clock;
    }

    /** A warehouse at a JDBC URL (e.g. {@code jdbc:postgresql://127.0.0.1:5432/dev}), a connection per load. */
    public static JdbcWarehouse at(String url, String user, String password, ObjectStore store, WarehouseSql sql) {
        return new JdbcWarehouse(new DriverManagerDataSource(url, user, password), store, sql);
    }

    @Override
    public void load(RunRecord run) throws WarehouseException {
        List<WarehouseSql.Step> steps;
        try {
            steps = sql.load(run, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new WarehouseException("run " + run.runId() + " cannot be loaded: " + e.getMessage(), e);
        }
        Map<WarehouseSql.Rows, List<Object[]>> rows = new HashMap<>();
        try {
            for (WarehouseSql.Step step : steps) {
                if (step instanceof WarehouseSql.Rows table) {
                    rows.put(table, CsvRows.read(store, table));
                }
            }
        } catch (IOException e) {
            throw new WarehouseException("run " + run.runId() + ": its tables could not be read: " + e.getMessage(), e);
        }
        migrateOnce();
        long started = System.nanoTime();
        run(new JdbcTransaction(sql, run, steps, rows)::execute, "load of run " + run.runId());
        LOG.info("run {} ({}) loaded into schema {} over JDBC: {} rows, finalized {}, {} ms", run.runId(),
                run.billingPeriod(), sql.schema(), rows.values().stream().mapToInt(List::size).sum(), run.finalized(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Work on one connection in one transaction: committed whole, or rolled back. */
    private interface Work {
        void execute(Connection connection) throws SQLException;
    }

    private void run(Work work, String what) throws WarehouseException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    work.execute(connection);
                    connection.commit();
                    return;
                } catch (SQLException | RuntimeException e) {
                    rollback(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                boolean retryable = e.getSQLState() != null && e.getSQLState().startsWith("40");
                if (!retryable || attempt == ATTEMPTS) {
                    throw new WarehouseException(what + " failed (SQLSTATE " + e.getSQLState() + "): "
                            + e.getMessage(), e);
                }
                LOG.info("{}: the database gave up on the transaction (SQLSTATE {}); trying again", what,
                        e.getSQLState());
            }
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void migrateOnce() throws WarehouseException {
        if (!migrated) {
            synchronized (this) {
                if (!migrated) {
                    SchemaMigrator.migrate(sql, new SchemaMigrator.Database() {
                        @Override
                        public void transaction(List<String> statements, String name) throws WarehouseException {
                            run(connection -> JdbcTransaction.executeAll(connection, statements), name);
                        }

                        @Override
                        public long queryLong(String query) throws WarehouseException {
                            long[] result = new long[1];
                            run(connection -> result[0] = JdbcTransaction.queryLong(connection, query), "query");
                            return result[0];
                        }
                    }, clock);
                    migrated = true;
                }
            }
        }
    }
}
