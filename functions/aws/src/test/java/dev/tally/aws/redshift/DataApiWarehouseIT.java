package dev.tally.aws.redshift;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RunRecord;
import dev.tally.delivery.Warehouse;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The warehouse contract through the Redshift Data API: Redshift SQL (keys, {@code LOCK}, {@code COPY} from S3)
 * sent by the real {@link RedshiftDataClient} to the local Data API endpoint, which runs it on PostgreSQL and reads
 * the {@code COPY} sources from the S3 emulator; read back over JDBC from the same PostgreSQL. Faults by the
 * emulator's fault injection.
 */
@LocalAwsTest(services = {LocalService.REDSHIFT_DATA, LocalService.POSTGRES, LocalService.S3})
class DataApiWarehouseIT extends WarehouseContract {
    private static final String BUCKET = "tally-warehouse-data-api-it";
    private static final String COPY_ROLE = "arn:aws:iam::000000000000:role/tally-redshift-copy";
    private static final DataApiTarget TARGET = DataApiTarget.cluster("tally-local", "dev",
            "arn:aws:secretsmanager:us-east-1:000000000000:secret:tally-loader");
    private static LocalAws stack;
    private static SdkHttpClient http;
    private static RedshiftDataClient redshift;
    private static S3Client s3;
    private static ObjectStore store;

    @BeforeAll
    static void clients() {
        AwsConfig config = AwsConfig.local(Map.of("redshift-data", stack.endpoint(LocalService.REDSHIFT_DATA),
                "s3", stack.endpoint(LocalService.S3)));
        http = AwsClients.httpClient();
        redshift = AwsClients.configure(RedshiftDataClient.builder(), config, "redshift-data").httpClient(http).build();
        s3 = AwsClients.configure(S3Client.builder(), config, "s3").forcePathStyle(true).httpClient(http).build();
        s3.createBucket(b -> b.bucket(BUCKET));
        store = new dev.tally.aws.s3.S3ObjectStore(s3);
    }

    @AfterAll
    static void disconnect() {
        redshift.close();
        s3.close();
        http.close();
    }

    @Test
    void shouldNameTheFailedStatementOfTheBatch_byItsPlaceAndFirstWords() throws Exception {
        RunRecord run = writeRun("20240602T000000Z-00000009", MAY, true, true, Instant.parse("2024-06-02T00:00:00Z"),
                "1.0000000000");
        failNextStatementMatching(Pattern.compile("INSERT INTO " + schema + "\\.service_costs_finalized"));

        assertThatThrownBy(() -> warehouse(schema).load(run)).isInstanceOf(Warehouse.WarehouseException.class)
                .hasMessageContaining("FAILED at statement 29 of 33 (INSERT INTO " + schema
                        + ".service_costs_finalized): ERROR: injected fault");
    }

    @Override
    protected Warehouse warehouse(String schema) {
        return new DataApiWarehouse(redshift, TARGET, COPY_ROLE, new WarehouseSql(WarehouseSql.Dialect.REDSHIFT, schema),
                Clock.systemUTC(), Duration.ofMinutes(1));
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected String bucket() {
        return BUCKET;
    }

    @Override
    protected void failNextStatementMatching(Pattern sql) {
        stack.redshiftDataFaults().failStatementsMatching(sql, 1);
    }

    @Override
    protected void clearFaults() {
        stack.redshiftDataFaults().clear();
    }
}
