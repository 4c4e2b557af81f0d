package dev.tally.local;

import dev.tally.local.RedshiftDataQuery.Sub;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs submitted queries on PostgreSQL, on worker threads so that clients poll as they would against Redshift. Each
 * query has a connection of its own (a session in UTC, as Redshift's): a single statement autocommits, a batch runs
 * in one transaction rolled back on any failure. A statement is an injected fault ({@link RedshiftDataFaults}), a
 * {@code COPY} from S3 ({@link RedshiftDataS3Copy}), or SQL translated by {@link RedshiftSql} with its {@code :name}
 * parameters bound; its result set is read whole ({@link RedshiftDataResult}) and held in the registry.
 */
final class RedshiftDataRunner {
    private static final int WORKERS = 4;

    private final ExecutorService workers;
    private final String jdbcBase;
    private final String user;
    private final String password;
    private final RedshiftDataFaults faults;
    private final RedshiftDataS3Copy s3Copy;
    private final RedshiftDataQueries queries;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    /** RedshiftQueryId of each statement run, unique in this emulator as in a cluster. */
    private final AtomicLong queryIds = new AtomicLong(100_000);

    /** {@code jdbcBase} is the PostgreSQL's URL up to the database name ({@code jdbc:postgresql://host:port/}). */
    RedshiftDataRunner(String jdbcBase, String user, String password, RedshiftDataFaults faults,
            RedshiftDataS3Copy s3Copy, RedshiftDataQueries queries) {
        this.workers = Executors.newFixedThreadPool(WORKERS,
                RedshiftDataEmulator.daemonThreads("tally-redshift-data-worker-"));
        this.jdbcBase = jdbcBase;
        this.user = user;
        this.password = password;
        this.faults = faults;
        this.s3Copy = s3Copy;
        this.queries = queries;
    }

    /** Queues {@code query} for a worker; {@link RejectedExecutionException} once stopped. */
    void submit(RedshiftDataQuery query) {
        workers.execute(() -> run(query));
    }

    /** Stops taking queries and interrupts the workers (closing the emulator cancels their statements first). */
    void stop() {
        workers.shutdownNow();
    }

    void awaitStopped(long seconds) {
        try {
            workers.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Outcome(long rows, RedshiftDataResult result) {
    }

    private void run(RedshiftDataQuery query) {
        if (!query.pick()) {
            return;
        }
        Sub current = null;
        Connection connection = null;
        try {
            connection = connect(query.target.database());
            if (!query.started(connection, (long) connection.unwrap(PGConnection.class).getBackendPID())) {
                return;
            }
            connection.setAutoCommit(!query.batch);
            for (Sub sub : query.subs) {
                current = sub;
                if (!query.subStarted(sub, queryIds.incrementAndGet())) {
                    throw new RedshiftDataFailure(query.cancelledError());
                }
                Optional<String> fault = faults.take(sub.sql);
                if (fault.isPresent()) {
                    throw new RedshiftDataFailure(fault.get());
                }
                Outcome outcome = execute(connection, sub.sql, query.parameters);
                if (outcome.result() != null) {
                    queries.holdResult(sub, outcome.result().bytes());
                }
                query.subFinished(sub, outcome.rows(), outcome.result());
            }
            current = null;
            if (query.batch) {
                if (query.cancelRequested()) {
                    throw new RedshiftDataFailure(query.cancelledError());
                }
                connection.commit();
            }
            query.finished();
        } catch (RedshiftDataFailure e) {
            rollback(query, connection);
            query.failed(current, e.getMessage());
        } catch (SQLException e) {
            rollback(query, connection);
            query.failed(current, query.cancelRequested() ? query.cancelledError() : errorText(e));
        } catch (RuntimeException e) {
            rollback(query, connection);
            query.failed(current, "ERROR: the local Redshift Data API failed: " + e);
        } finally {
            query.detach();
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the statement's outcome is decided
                }
            }
            query.workerDone();
        }
    }

    private static void rollback(RedshiftDataQuery query, Connection connection) {
        if (query.batch && connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // closing the connection rolls back too
            }
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Parameters are text, as in Redshift: PostgreSQL infers their types from where they stand.
        properties.setProperty("stringtype", "unspecified");
        properties.setProperty("ApplicationName", "tally-redshift-data");
        Connection connection = driver.connect(jdbcBase + URLEncoder.encode(database, StandardCharsets.UTF_8),
                properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL JDBC driver does not take " + jdbcBase);
        }
        try (Statement set = connection.createStatement()) {
            set.execute("SET TIME ZONE 'UTC'"); // Redshift sessions are in UTC
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private Outcome execute(Connection connection, String sql, Map<String, String> parameters)
            throws SQLException, RedshiftDataFailure {
        RedshiftSql.Copy copy;
        try {
            copy = RedshiftSql.copy(sql);
        } catch (RedshiftSql.CopyException e) {
            throw new RedshiftDataFailure(e.getMessage());
        }
        if (copy != null) {
            return new Outcome(s3Copy.load(connection, copy), null);
        }
        String translated = RedshiftSql.translate(sql);
        // only the placeholders given a value are bound: the others go to PostgreSQL as written
        List<String> used = RedshiftSql.placeholders(translated).stream().filter(parameters::containsKey).toList();
        if (used.isEmpty()) {
            try (Statement statement = connection.createStatement()) {
                return outcome(statement, statement.execute(translated));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(RedshiftSql.bind(translated, parameters))) {
            for (int i = 0; i < used.size(); i++) {
                statement.setString(i + 1, parameters.get(used.get(i)));
            }
            return outcome(statement, statement.execute());
        }
    }

    private static Outcome outcome(Statement statement, boolean hasResultSet)
            throws SQLException, RedshiftDataFailure {
        if (!hasResultSet) {
            return new Outcome(Math.max(statement.getUpdateCount(), 0), null);
        }
        try (ResultSet rows = statement.getResultSet()) {
            RedshiftDataResult result = RedshiftDataResult.read(rows);
            return new Outcome(result.rows().size(), result);
        }
    }

    /** Redshift's way of saying a statement failed: {@code ERROR: <message>}, PostgreSQL's message. */
    static String errorText(SQLException e) {
        if (e instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                String severity = server.getSeverity() == null ? "ERROR" : server.getSeverity();
                return severity + ": " + server.getMessage();
            }
        }
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
