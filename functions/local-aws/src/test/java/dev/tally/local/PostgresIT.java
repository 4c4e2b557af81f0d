package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.junit.LocalAwsTest;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** JDBC against the Redshift stand-in: DDL, batch insert, exact decimal sums, delete, transactions. */
@LocalAwsTest(services = LocalService.POSTGRES)
class PostgresIT {

    private static Connection connect(AwsEndpoints aws) throws SQLException {
        return DriverManager.getConnection(aws.jdbcUrl(), aws.jdbcUser(), aws.jdbcPassword());
    }

    @Test
    void createInsertSumDelete(AwsEndpoints aws) throws SQLException {
        String table = "costs_" + UUID.randomUUID().toString().replace('-', '_');
        try (Connection db = connect(aws); Statement sql = db.createStatement()) {
            assertThat(db.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            sql.execute("CREATE TABLE " + table + " (billing_period CHAR(7) NOT NULL, product_area VARCHAR(64) NOT NULL,"
                    + " cost NUMERIC(38, 10) NOT NULL, PRIMARY KEY (billing_period, product_area))");
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                String[][] rows = {{"2024-05", "payments", "6.3250420168"}, {"2024-05", "search", "0.0000000001"},
                        {"2024-05", "(unallocated)", "3.6749579831"}, {"2024-04", "payments", "1"}};
                for (String[] row : rows) {
                    insert.setString(1, row[0]);
                    insert.setString(2, row[1]);
                    insert.setBigDecimal(3, new BigDecimal(row[2]));
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).containsExactly(1, 1, 1, 1);
            }
            try (ResultSet sum = sql.executeQuery("SELECT count(*), sum(cost) FROM " + table
                    + " WHERE billing_period = '2024-05'")) {
                assertThat(sum.next()).isTrue();
                assertThat(sum.getInt(1)).isEqualTo(3);
                assertThat(sum.getBigDecimal(2)).isEqualByComparingTo("10.0000000000");
            }

            assertThat(sql.executeUpdate("DELETE FROM " + table + " WHERE billing_period = '2024-05'")).isEqualTo(3);
            try (ResultSet left = sql.executeQuery("SELECT billing_period, product_area FROM " + table)) {
                assertThat(left.next()).isTrue();
                assertThat(left.getString(1) + "/" + left.getString(2)).isEqualTo("2024-04/payments");
                assertThat(left.next()).isFalse();
            }
            sql.execute("DROP TABLE " + table);
        }
    }

    @Test
    void aRolledBackTransactionLeavesNothingAndKeysAreEnforced(AwsEndpoints aws) throws SQLException {
        String table = "runs_" + UUID.randomUUID().toString().replace('-', '_');
        try (Connection db = connect(aws); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE " + table + " (run_id VARCHAR(36) PRIMARY KEY)");
            db.setAutoCommit(false);
            sql.execute("INSERT INTO " + table + " VALUES ('a'), ('b')");
            db.rollback();
            db.setAutoCommit(true);
            try (ResultSet count = sql.executeQuery("SELECT count(*) FROM " + table)) {
                count.next();
                assertThat(count.getInt(1)).isZero();
            }

            sql.execute("INSERT INTO " + table + " VALUES ('a')");
            assertThatThrownBy(() -> sql.execute("INSERT INTO " + table + " VALUES ('a')"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
        }
    }
}
