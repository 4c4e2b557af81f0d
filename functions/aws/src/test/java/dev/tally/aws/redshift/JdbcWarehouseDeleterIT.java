package dev.tally.aws.redshift;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.warehouse.WarehouseDeleter;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** The deletion contract over JDBC on PostgreSQL, every id bound; faults by a wrapped DataSource. */
@LocalAwsTest(services = LocalService.POSTGRES)
class JdbcWarehouseDeleterIT extends WarehouseDeleterContract {
    private static AwsEndpoints endpoints;
    private static FaultyDataSource faulty;

    @BeforeAll
    static void dataSource(AwsEndpoints aws) {
        endpoints = aws;
        faulty = new FaultyDataSource(new DriverManagerDataSource(aws.jdbcUrl(), aws.jdbcUser(), aws.jdbcPassword()));
    }

    @Override
    protected WarehouseDeleter deleter() {
        return new JdbcWarehouseDeleter(faulty.dataSource());
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword());
    }

    @Override
    protected void failNextStatementMatching(Pattern sql, boolean transientFailure) {
        faulty.failNextStatementMatching(sql, transientFailure ? "40001" : "XX000");
    }

    @Override
    protected void clearFaults() {
        faulty.clear();
    }
}
