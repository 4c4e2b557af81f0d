package dev.tally.aws.redshift;

import dev.tally.privacy.warehouse.WarehouseDeleter;
import dev.tally.privacy.warehouse.WarehouseDeletionException;
import dev.tally.privacy.warehouse.WarehouseDeletionPlan;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Privacy deletions over JDBC: PostgreSQL locally, or any database that speaks the SQL of {@link DeletionSql}.
 * Every value is bound ({@code IN (?, ?, …)}, at most {@value #MAX_PARAMETERS} ids a statement, a plan's batch cut
 * further when larger); a table's batches run in one transaction (autocommit off, committed at the end, rolled back
 * on any failure), each request's batches apart so that each gets its own row count. Failures are told by SQLSTATE
 * ({@link DeletionFailures#jdbc}), never by the driver's message. Only {@code java.sql}: the driver comes with
 * whoever runs it.
 */
public final class JdbcWarehouseDeleter implements WarehouseDeleter {
    /** The most ids bound in one statement. */
    static final int MAX_PARAMETERS = 1000;

    private final DataSource dataSource;

    public JdbcWarehouseDeleter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A deleter at a JDBC URL (e.g. {@code jdbc:postgresql://127.0.0.1:5432/dev}), a connection per call. */
    public static JdbcWarehouseDeleter at(String url, String user, String password) {
        return new JdbcWarehouseDeleter(new DriverManagerDataSource(url, user, password));
    }

    @Override
    public List<String> tablesWithColumn(List<String> schemas, String column) throws WarehouseDeletionException {
        if (schemas.isEmpty()) {
            return List.of();
        }
        String query = DeletionSql.discovery(schemas.size());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, column);
            for (int i = 0; i < schemas.size(); i++) {
                statement.setString(i + 2, schemas.get(i));
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1) + "." + rows.getString(2));
                }
            }
            return tables;
        } catch (SQLException e) {
            throw DeletionFailures.jdbc(e, "discovery of tables with column " + column + " in " + schemas);
        }
    }

    @Override
    public Map<String, Long> delete(String table, WarehouseDeletionPlan plan) throws WarehouseDeletionException {
        Map<String, Long> rows = new LinkedHashMap<>();
        plan.requestIds().forEach(id -> rows.put(id, 0L));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                deleteAll(connection, table, plan, rows);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw DeletionFailures.jdbc(e, "table " + table);
        }
        return rows;
    }

    private static void deleteAll(Connection connection, String table, WarehouseDeletionPlan plan,
                                  Map<String, Long> rows) throws SQLException {
        Map<Integer, PreparedStatement> bySize = new HashMap<>();
        try {
            for (WarehouseDeletionPlan.Batch batch : plan.batches()) {
                List<String> ids = batch.ids();
                for (int from = 0; from < ids.size(); from += MAX_PARAMETERS) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_PARAMETERS));
                    PreparedStatement statement = bySize.get(chunk.size());
                    if (statement == null) {
                        statement = connection.prepareStatement(
                                DeletionSql.delete(table, plan.column(), plan.match(), chunk.size()));
                        bySize.put(chunk.size(), statement);
                    }
                    for (int i = 0; i < chunk.size(); i++) {
                        statement.setString(i + 1, chunk.get(i));
                    }
                    rows.merge(batch.requestId(), (long) statement.executeUpdate(), Long::sum);
                }
            }
        } finally {
            for (PreparedStatement statement : bySize.values()) {
                statement.close();
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
}
