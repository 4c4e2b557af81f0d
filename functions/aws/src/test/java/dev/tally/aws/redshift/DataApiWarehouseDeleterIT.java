package dev.tally.aws.redshift;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.warehouse.WarehouseDeleter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The deletion contract through the Redshift Data API: the ids as Redshift string literals in one
 * {@code BatchExecuteStatement} a table, sent by the real {@link RedshiftDataClient} to the local endpoint, which
 * runs them on PostgreSQL — so a literal that only Redshift's backslash rules would read right fails here. Seeded
 * and read back over JDBC from the same PostgreSQL; faults by the emulator's fault injection.
 */
@LocalAwsTest(services = {LocalService.REDSHIFT_DATA, LocalService.POSTGRES})
class DataApiWarehouseDeleterIT extends WarehouseDeleterContract {
    private static final DataApiTarget TARGET = DataApiTarget.cluster("tally-local", "dev",
            "arn:aws:secretsmanager:us-east-1:000000000000:secret:tally-privacy");
    private static LocalAws stack;
    private static SdkHttpClient http;
    private static RedshiftDataClient redshift;

    @BeforeAll
    static void clients() {
        AwsConfig config = AwsConfig.local(Map.of("redshift-data", stack.endpoint(LocalService.REDSHIFT_DATA)));
        http = AwsClients.httpClient();
        redshift = AwsClients.configure(RedshiftDataClient.builder(), config, "redshift-data").httpClient(http).build();
    }

    @AfterAll
    static void disconnect() {
        redshift.close();
        http.close();
    }

    @Override
    protected WarehouseDeleter deleter() {
        return new DataApiWarehouseDeleter(redshift, TARGET, Duration.ofMinutes(1));
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
    }

    @Override
    protected void failNextStatementMatching(Pattern sql, boolean transientFailure) {
        if (transientFailure) {
            stack.redshiftDataFaults().failStatementsMatching(sql, 1,
                    "ERROR: could not serialize access due to concurrent update");
        } else {
            stack.redshiftDataFaults().failStatementsMatching(sql, 1);
        }
    }

    @Override
    protected void clearFaults() {
        stack.redshiftDataFaults().clear();
    }
}
