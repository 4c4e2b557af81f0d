package dev.tally.aws.redshift;

import dev.tally.delivery.RunRecord;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * One load's statements on a JDBC connection whose transaction the caller owns. A table's rows go in as multi-row
 * {@code INSERT}s of up to {@value #ROWS_PER_INSERT} rows, the full ones as one {@link PreparedStatement} batch,
 * every value bound (money as {@link BigDecimal}, so nothing is rounded on the way). A failing statement is named
 * by its first words only, never with its values.
 */
final class JdbcTransaction {
    static final int ROWS_PER_INSERT = 500;

    private final WarehouseSql sql;
    private final RunRecord run;
    private final List<WarehouseSql.Step> steps;
    private final Map<WarehouseSql.Rows, List<Object[]>> rows;

    JdbcTransaction(WarehouseSql sql, RunRecord run, List<WarehouseSql.Step> steps,
                    Map<WarehouseSql.Rows, List<Object[]>> rows) {
        this.sql = sql;
        this.run = run;
        this.steps = steps;
        this.rows = rows;
    }

    void execute(Connection connection) throws SQLException {
        for (WarehouseSql.Step step : steps) {
            if (step instanceof WarehouseSql.Statement statement) {
                execute(connection, statement.sql());
            } else if (step instanceof WarehouseSql.Rows table) {
                insert(connection, table, rows.get(table));
            }
        }
    }

    static void executeAll(Connection connection, List<String> statements) throws SQLException {
        for (String statement : statements) {
            execute(connection, statement);
        }
    }

    static long queryLong(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            if (!result.next()) {
                throw new SQLException("no row from " + SqlLiterals.label(query));
            }
            return result.getLong(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw named(e, sql);
        }
    }

    private void insert(Connection connection, WarehouseSql.Rows table, List<Object[]> all) throws SQLException {
        int full = all.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
        if (full > 0) {
            String insert = sql.insertIntoRollup(table.table(), ROWS_PER_INSERT);
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                for (int from = 0; from < full; from += ROWS_PER_INSERT) {
                    bind(statement, all.subList(from, from + ROWS_PER_INSERT));
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                throw named(e, insert);
            }
        }
        if (full < all.size()) {
            String insert = sql.insertIntoRollup(table.table(), all.size() - full);
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                bind(statement, all.subList(full, all.size()));
                statement.executeUpdate();
            } catch (SQLException e) {
                throw named(e, insert);
            }
        }
    }

    private void bind(PreparedStatement statement, List<Object[]> chunk) throws SQLException {
        int p = 1;
        for (Object[] row : chunk) {
            statement.setString(p++, run.runId());
            statement.setString(p++, run.billingPeriod());
            statement.setString(p++, run.costBasis().id());
            for (Object value : row) {
                if (value instanceof BigDecimal money) {
                    statement.setBigDecimal(p++, money);
                } else {
                    statement.setString(p++, (String) value);
                }
            }
        }
    }

    /**
     * The failure, saying which statement (by its first words) it came from; the SQLSTATE is kept for retries. A
     * batch's failure is told by the database's own error (a driver's batch message may quote the statement).
     */
    private static SQLException named(SQLException e, String sql) {
        SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null
                ? e.getNextException() : e;
        return new SQLException(SqlLiterals.label(sql) + ": " + cause.getMessage(), cause.getSQLState(),
                cause.getErrorCode(), cause);
    }
}
