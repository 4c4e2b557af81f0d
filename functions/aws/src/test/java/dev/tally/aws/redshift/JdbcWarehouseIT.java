package dev.tally.aws.redshift;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RunRecord;
import dev.tally.delivery.Warehouse;
import dev.tally.local.AwsEndpoints;
import dev.tally.rollup.RollupTables;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warehouse contract over JDBC on PostgreSQL, the rows read from the S3 emulator; faults by a wrapped DataSource. */
@LocalAwsTest(services = {LocalService.POSTGRES, LocalService.S3})
class JdbcWarehouseIT extends WarehouseContract {
    private static final String BUCKET = "tally-warehouse-jdbc-it";
    private static AwsEndpoints endpoints;
    private static S3Client s3;
    private static ObjectStore store;
    private static FaultyDataSource faulty;

    @BeforeAll
    static void clients(AwsEndpoints aws) {
        endpoints = aws;
        s3 = AwsClients.configure(S3Client.builder(), AwsConfig.local(Map.of("s3", aws.endpoint(LocalService.S3))), "s3")
                .forcePathStyle(true).httpClient(AwsClients.httpClient()).build();
        s3.createBucket(b -> b.bucket(BUCKET));
        store = new dev.tally.aws.s3.S3ObjectStore(s3);
        faulty = new FaultyDataSource(new DriverManagerDataSource(aws.jdbcUrl(), aws.jdbcUser(), aws.jdbcPassword()));
    }

    @AfterAll
    static void disconnect() {
        s3.close();
    }

    @Test
    void shouldRefuseATable_whoseHeaderIsNotTheTablesColumnsWithoutThePeriod() throws Exception {
        RunRecord run = writeRun("20240602T000000Z-0000000f", MAY, false, false, Instant.parse("2024-06-02T00:00:00Z"),
                "1.0000000000");
        store.put(BUCKET, run.tables().get(RollupTables.PRODUCT_AREA_COSTS),
                "billing_period,product_area,cost\n2024-05,search,1.0000000000\n".getBytes(StandardCharsets.UTF_8),
                "text/csv");

        assertThatThrownBy(() -> warehouse(schema).load(run)).isInstanceOf(Warehouse.WarehouseException.class)
                .hasMessageContaining("the header is not product_area,cost");
    }

    @Override
    protected Warehouse warehouse(String schema) {
        return new JdbcWarehouse(faulty.dataSource(), store, new WarehouseSql(WarehouseSql.Dialect.POSTGRES, schema));
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword());
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
        faulty.failNextStatementMatching(sql);
    }

    @Override
    protected void clearFaults() {
        faulty.clear();
    }
}
