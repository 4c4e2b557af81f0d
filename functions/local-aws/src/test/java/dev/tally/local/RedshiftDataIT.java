package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.junit.LocalAwsTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatementStatusString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real {@link RedshiftDataClient} against the local Redshift Data API on PostgreSQL: asynchronous statements
 * with named parameters, Redshift's field kinds, paging, batches in one transaction, errors, Redshift's CREATE TABLE
 * clauses, COPY from the S3 emulator, cancelling, and fault injection. Emulator-specific: LocalStack has no such API.
 */
@LocalAwsTest(services = {LocalService.REDSHIFT_DATA, LocalService.S3}, emulatorSpecific = true)
class RedshiftDataIT {
    private static final String CLUSTER = "tally-local";
    private static final String DATABASE = "dev";
    private static final String DB_USER = "tally_loader";
    private static final String ROLE = "arn:aws:iam::000000000000:role/tally-redshift-load";

    private static LocalAws stack;
    private static RedshiftDataClient redshift;
    private static S3Client s3;

    @BeforeAll
    static void clients(AwsEndpoints aws) {
        redshift = Clients.redshiftData(aws);
        s3 = Clients.s3(aws);
    }

    @AfterAll
    static void close() {
        if (redshift != null) {
            redshift.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @AfterEach
    void noFaultsLeft() {
        stack.redshiftDataFaults().clear();
    }

    private static String table(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace('-', '_');
    }

    private static SqlParameter parameter(String name, String value) {
        return SqlParameter.builder().name(name).value(value).build();
    }

    private static String submit(String sql, SqlParameter... parameters) {
        ExecuteStatementResponse submitted = redshift.executeStatement(b -> {
            b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(DB_USER).sql(sql);
            if (parameters.length > 0) {
                b.parameters(parameters);
            }
        });
        return submitted.id();
    }

    /** Polls DescribeStatement until the statement has ended, as a client of Redshift does. */
    private static DescribeStatementResponse await(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            DescribeStatementResponse statement = redshift.describeStatement(b -> b.id(id));
            if (statement.status() == StatusString.FINISHED || statement.status() == StatusString.FAILED
                    || statement.status() == StatusString.ABORTED) {
                return statement;
            }
            assertThat(System.nanoTime()).as("statement %s still %s", id, statement.status()).isLessThan(deadline);
            sleep(20);
        }
    }

    private static DescribeStatementResponse run(String sql, SqlParameter... parameters) {
        DescribeStatementResponse statement = await(submit(sql, parameters));
        assertThat(statement.status()).as("%s: %s", sql, statement.error()).isEqualTo(StatusString.FINISHED);
        return statement;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long count(String table) {
        String id = run("SELECT count(*) FROM " + table).id();
        return redshift.getStatementResult(b -> b.id(id)).records().get(0).get(0).longValue();
    }

    @Test
    void shouldRunDdlAndAnInsertWithNamedParameters_andAnswerWithRedshiftsFieldKinds() {
        String table = table("rollup");
        DescribeStatementResponse created = run("CREATE TABLE " + table + " (id BIGINT NOT NULL, product_area"
                + " VARCHAR(64), cost NUMERIC(38,10), note VARCHAR(16), active BOOLEAN, loaded_at TIMESTAMP,"
                + " ratio DOUBLE PRECISION)");
        assertThat(created.hasResultSet()).isFalse();

        String insert = "INSERT INTO " + table + " VALUES (:id, :area, :cost, NULL, :active, :loaded_at, :ratio)";
        ExecuteStatementResponse submitted = redshift.executeStatement(b -> b.clusterIdentifier(CLUSTER)
                .database(DATABASE).dbUser(DB_USER).sql(insert).statementName("load-rollup").withEvent(false)
                .parameters(parameter("id", "42"), parameter("area", "payments"), parameter("cost", "12.34"),
                        parameter("active", "true"), parameter("loaded_at", "2024-05-01 12:34:56"),
                        parameter("ratio", "0.5")));
        assertThat(submitted.id()).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
        assertThat(submitted.clusterIdentifier()).isEqualTo(CLUSTER);
        assertThat(submitted.database()).isEqualTo(DATABASE);
        assertThat(submitted.dbUser()).isEqualTo(DB_USER);
        assertThat(submitted.createdAt()).isNotNull();

        DescribeStatementResponse inserted = await(submitted.id());
        assertThat(inserted.status()).as(inserted.error()).isEqualTo(StatusString.FINISHED);
        assertThat(inserted.error()).isNull();
        assertThat(inserted.queryString()).isEqualTo(insert);
        assertThat(inserted.resultRows()).isEqualTo(1);
        assertThat(inserted.hasResultSet()).isFalse();
        assertThat(inserted.redshiftPid()).isPositive();
        assertThat(inserted.duration()).isPositive();
        assertThat(inserted.updatedAt()).isAfterOrEqualTo(inserted.createdAt());
        assertThat(inserted.queryParameters()).extracting(SqlParameter::name)
                .containsExactly("id", "area", "cost", "active", "loaded_at", "ratio");

        DescribeStatementResponse selected = run("SELECT id, product_area, cost, note, active, loaded_at, ratio FROM "
                + table);
        assertThat(selected.hasResultSet()).isTrue();
        assertThat(selected.resultRows()).isEqualTo(1);
        assertThat(selected.resultSize()).isPositive();
        GetStatementResultResponse result = redshift.getStatementResult(b -> b.id(selected.id()));
        assertThat(result.totalNumRows()).isEqualTo(1);
        assertThat(result.nextToken()).isNull();
        List<Field> row = result.records().get(0);
        assertThat(row).extracting(Field::type).containsExactly(Field.Type.LONG_VALUE, Field.Type.STRING_VALUE,
                Field.Type.STRING_VALUE, Field.Type.IS_NULL, Field.Type.BOOLEAN_VALUE, Field.Type.STRING_VALUE,
                Field.Type.DOUBLE_VALUE);
        assertThat(row.get(0).longValue()).isEqualTo(42L);
        assertThat(row.get(1).stringValue()).isEqualTo("payments");
        assertThat(row.get(2).stringValue()).isEqualTo("12.3400000000");
        assertThat(row.get(3).isNull()).isTrue();
        assertThat(row.get(4).booleanValue()).isTrue();
        assertThat(row.get(5).stringValue()).isEqualTo("2024-05-01 12:34:56");
        assertThat(row.get(6).doubleValue()).isEqualTo(0.5);

        assertThat(result.columnMetadata()).extracting(ColumnMetadata::name)
                .containsExactly("id", "product_area", "cost", "note", "active", "loaded_at", "ratio");
        assertThat(result.columnMetadata()).extracting(ColumnMetadata::typeName)
                .containsExactly("int8", "varchar", "numeric", "varchar", "bool", "timestamp", "float8");
        ColumnMetadata cost = result.columnMetadata().get(2);
        assertThat(cost.precision()).isEqualTo(38);
        assertThat(cost.scale()).isEqualTo(10);
        assertThat(cost.tableName()).isEqualTo(table);
        assertThat(cost.schemaName()).isEqualTo("public");
        assertThat(cost.isSigned()).isTrue();
        assertThat(result.columnMetadata().get(0).nullable()).isZero(); // NOT NULL
        assertThat(result.columnMetadata().get(1).nullable()).isEqualTo(1);
    }

    @Test
    void shouldPageResultsOfMoreThanAThousandRowsWithNextToken() {
        String id = run("SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 2500) AS g ORDER BY g").id();
        List<Long> seen = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetStatementResultResponse page = redshift.getStatementResult(b -> b.id(id).nextToken(next));
            assertThat(page.totalNumRows()).isEqualTo(2500);
            assertThat(page.columnMetadata()).extracting(ColumnMetadata::label).containsExactly("n", "label");
            pages.add(page.records().size());
            page.records().forEach(record -> seen.add(record.get(0).longValue()));
            token = page.nextToken();
        } while (token != null);

        assertThat(pages).containsExactly(1000, 1000, 500);
        assertThat(seen).isEqualTo(LongStream.rangeClosed(1, 2500).boxed().collect(Collectors.toList()));
        // The SDK's paginator follows the same tokens.
        assertThat(redshift.getStatementResultPaginator(b -> b.id(id)).records().stream().count()).isEqualTo(2500);
        assertThatThrownBy(() -> redshift.getStatementResult(b -> b.id(id).nextToken("bm9wZQ")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void shouldRunABatchInOneTransaction_andRollItBackOnFailure() {
        String table = table("batch");
        run("CREATE TABLE " + table + " (run_id VARCHAR(36) PRIMARY KEY, cost NUMERIC(38,10))");

        String failed = redshift.batchExecuteStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE)
                .dbUser(DB_USER).sqls("INSERT INTO " + table + " VALUES ('a', 1.5)",
                        "INSERT INTO " + table + " VALUES ('b', 2.5)",
                        "INSERT INTO " + table + "_missing VALUES ('c', 3.5)",
                        "INSERT INTO " + table + " VALUES ('d', 4.5)")).id();
        DescribeStatementResponse batch = await(failed);
        assertThat(batch.status()).isEqualTo(StatusString.FAILED);
        assertThat(batch.error()).isEqualTo("ERROR: relation \"" + table + "_missing\" does not exist");
        assertThat(batch.subStatements()).extracting(SubStatementData::id)
                .containsExactly(failed + ":1", failed + ":2", failed + ":3", failed + ":4");
        assertThat(batch.subStatements()).extracting(sub -> sub.status().toString())
                .containsExactly("FINISHED", "FINISHED", "FAILED", "ABORTED");
        assertThat(batch.subStatements().get(2).error()).isEqualTo(batch.error());
        assertThat(redshift.describeStatement(b -> b.id(failed + ":3")).status()).isEqualTo(StatusString.FAILED);
        assertThat(count(table)).as("the first two inserts were rolled back").isZero();

        String ok = redshift.batchExecuteStatement(b -> b.workgroupName("tally").database(DATABASE)
                .secretArn("arn:aws:secretsmanager:us-east-1:000000000000:secret:tally-redshift")
                .sqls("INSERT INTO " + table + " VALUES ('a', 1.5), ('b', 2.5)",
                        "UPDATE " + table + " SET cost = cost * 2 WHERE run_id = 'b'",
                        "SELECT run_id, cost FROM " + table + " ORDER BY run_id")).id();
        DescribeStatementResponse done = await(ok);
        assertThat(done.status()).as(done.error()).isEqualTo(StatusString.FINISHED);
        assertThat(done.workgroupName()).isEqualTo("tally");
        assertThat(done.hasResultSet()).isTrue();
        assertThat(done.subStatements()).extracting(SubStatementData::resultRows).containsExactly(2L, 1L, 2L);
        assertThat(done.subStatements()).extracting(SubStatementData::hasResultSet).containsExactly(false, false, true);
        GetStatementResultResponse rows = redshift.getStatementResult(b -> b.id(ok + ":3"));
        assertThat(rows.records()).extracting(r -> r.get(0).stringValue() + "=" + r.get(1).stringValue())
                .containsExactly("a=1.5000000000", "b=5.0000000000");
        assertThatThrownBy(() -> redshift.getStatementResult(b -> b.id(ok)))
                .isInstanceOf(ValidationException.class).hasMessageContaining(ok + ":<n>");
    }

    @Test
    void shouldFailWithPostgresqlsMessage_andAnswerUnknownIdsWithResourceNotFound() {
        String missing = table("nothing");
        DescribeStatementResponse failed = await(submit("SELECT * FROM " + missing));
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).isEqualTo("ERROR: relation \"" + missing + "\" does not exist");
        assertThatThrownBy(() -> redshift.getStatementResult(b -> b.id(failed.id())))
                .isInstanceOf(ResourceNotFoundException.class);

        String unknown = UUID.randomUUID().toString();
        assertThatThrownBy(() -> redshift.describeStatement(b -> b.id(unknown)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Query does not exist");
        assertThatThrownBy(() -> redshift.getStatementResult(b -> b.id(unknown)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> redshift.cancelStatement(b -> b.id(unknown)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> redshift.describeStatement(b -> b.id("not-a-statement-id")))
                .isInstanceOf(ValidationException.class);

        String ddl = run("CREATE TABLE " + table("noresult") + " (id INT)").id();
        assertThatThrownBy(() -> redshift.getStatementResult(b -> b.id(ddl)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("does not have result");
        assertThatThrownBy(() -> redshift.executeStatement(b -> b.database(DATABASE).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("ClusterIdentifier or WorkgroupName");
    }

    @Test
    void shouldAnswerAnOperationItDoesNotEmulateWithUnknownOperationException() {
        assertThatThrownBy(() -> redshift.listStatements(b -> b.maxResults(10)))
                .isInstanceOfSatisfying(RedshiftDataException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                });
    }

    @Test
    void shouldCreateATableWithRedshiftsDistributionSortAndEncodingClauses() {
        String table = table("dist");
        run("CREATE TABLE " + table + " (\n"
                + "  billing_period CHAR(7) NOT NULL ENCODE zstd DISTKEY,\n"
                + "  product_area VARCHAR(64) NOT NULL ENCODE lzo SORTKEY,\n"
                + "  cost NUMERIC(38,10) ENCODE az64,\n"
                + "  \"sortkey\" VARCHAR(8) DEFAULT 'DISTKEY'\n"
                + ") BACKUP NO DISTSTYLE KEY DISTKEY(billing_period) COMPOUND SORTKEY(billing_period, product_area)");
        String other = table("dist_all");
        run("CREATE TABLE IF NOT EXISTS " + other + " (id BIGINT ENCODE RAW, note VARCHAR(10))"
                + " DISTSTYLE ALL INTERLEAVED SORTKEY (id, note) ENCODE AUTO");
        String auto = table("dist_auto");
        run("create table " + auto + " (id bigint) diststyle auto sortkey auto backup yes");

        run("INSERT INTO " + table + " (billing_period, product_area, cost) VALUES ('2024-05', 'payments', 1.25)");
        String id = run("SELECT billing_period, product_area, cost, \"sortkey\" FROM " + table).id();
        List<Field> row = redshift.getStatementResult(b -> b.id(id)).records().get(0);
        assertThat(row).extracting(Field::stringValue).containsExactly("2024-05", "payments", "1.2500000000",
                "DISTKEY");
        assertThat(count(other)).isZero();
        assertThat(count(auto)).isZero();
    }

    private static String newBucket() {
        String bucket = "tally-load-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldCopyCsvFromTheS3Emulator_plainAndGzip_skippingTheHeader() {
        String bucket = newBucket();
        String table = table("copy");
        run("CREATE TABLE " + table + " (billing_period CHAR(7), product_area VARCHAR(64), cost NUMERIC(38,10),"
                + " loaded_at TIMESTAMP) DISTSTYLE EVEN");
        s3.putObject(b -> b.bucket(bucket).key("rollup/period=2024-05/part 0.csv"), RequestBody.fromString(
                "billing_period,product_area,cost,loaded_at\n"
                        + "2024-05,payments,6.3250420168,2024-06-01 00:00:00\n"
                        + "2024-05,\"search, ads\",0.0000000001,2024-06-01T01:02:03\n"));
        s3.putObject(b -> b.bucket(bucket).key("rollup/period=2024-05/part 1.csv.gz"), RequestBody.fromBytes(gzip(
                "product_area,billing_period,cost\n(unallocated),2024-05,3.6749579831\n")));

        DescribeStatementResponse plain = run("COPY " + table + " FROM 's3://" + bucket
                + "/rollup/period=2024-05/part 0.csv' IAM_ROLE '" + ROLE + "' FORMAT AS CSV IGNOREHEADER 1"
                + " TIMEFORMAT 'auto' REGION 'us-east-1'");
        assertThat(plain.resultRows()).isEqualTo(2);
        DescribeStatementResponse gzipped = run("copy " + table + " (product_area, billing_period, cost)\n from 's3://"
                + bucket + "/rollup/period=2024-05/part 1.csv.gz'\n gzip ignoreheader as 1 csv iam_role default;");
        assertThat(gzipped.resultRows()).isEqualTo(1);

        String id = run("SELECT product_area, sum(cost), max(loaded_at) FROM " + table
                + " GROUP BY product_area ORDER BY product_area").id();
        assertThat(redshift.getStatementResult(b -> b.id(id)).records())
                .extracting(r -> r.get(0).stringValue() + "|" + r.get(1).stringValue() + "|"
                        + (r.get(2).isNull() != null && r.get(2).isNull() ? "null" : r.get(2).stringValue()))
                .containsExactly("(unallocated)|3.6749579831|null", "payments|6.3250420168|2024-06-01 00:00:00",
                        "search, ads|0.0000000001|2024-06-01 01:02:03");
    }

    @Test
    void shouldFailACopyFromAMissingKey_andRollBackTheBatchItIsIn() {
        String bucket = newBucket();
        String table = table("copy_missing");
        run("CREATE TABLE " + table + " (product_area VARCHAR(64), cost NUMERIC(38,10))");

        DescribeStatementResponse missing = await(submit("COPY " + table + " FROM 's3://" + bucket
                + "/rollup/missing.csv' IAM_ROLE '" + ROLE + "' CSV"));
        assertThat(missing.status()).isEqualTo(StatusString.FAILED);
        assertThat(missing.error()).isEqualTo("ERROR: The specified S3 prefix 'rollup/missing.csv' does not exist");

        String load = redshift.batchExecuteStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE)
                .sqls("INSERT INTO " + table + " VALUES ('payments', 1)",
                        "COPY " + table + " FROM 's3://" + bucket + "/rollup/missing.csv' IAM_ROLE '" + ROLE + "' CSV"))
                .id();
        DescribeStatementResponse batch = await(load);
        assertThat(batch.status()).isEqualTo(StatusString.FAILED);
        assertThat(batch.error()).contains("rollup/missing.csv");
        assertThat(count(table)).isZero();

        DescribeStatementResponse noCsv = await(submit("COPY " + table + " FROM 's3://" + bucket + "/x.csv'"
                + " IAM_ROLE '" + ROLE + "' DELIMITER '|'"));
        assertThat(noCsv.status()).isEqualTo(StatusString.FAILED);
        assertThat(noCsv.error()).contains("DELIMITER").contains("not emulated");
    }

    @Test
    void shouldFailAStatementMatchingAnInjectedFaultOnce_thenRunItAgain() {
        String table = table("faults");
        run("CREATE TABLE " + table + " (product_area VARCHAR(64), cost NUMERIC(38,10))");
        run("INSERT INTO " + table + " VALUES ('before', 1)");
        RedshiftDataFaults faults = stack.redshiftDataFaults()
                .failStatementsMatching(Pattern.compile("INSERT INTO " + table + " VALUES \\('late'"), 1);
        assertThat(faults.remaining()).isEqualTo(1);

        List<String> load = List.of("DELETE FROM " + table, "INSERT INTO " + table + " VALUES ('early', 2)",
                "INSERT INTO " + table + " VALUES ('late', 3)");
        DescribeStatementResponse first = await(redshift.batchExecuteStatement(b -> b.clusterIdentifier(CLUSTER)
                .database(DATABASE).sqls(load)).id());
        assertThat(first.status()).isEqualTo(StatusString.FAILED);
        assertThat(first.error()).startsWith("ERROR: injected fault");
        assertThat(first.subStatements()).extracting(sub -> sub.status().toString())
                .containsExactly("FINISHED", "FINISHED", "FAILED");
        assertThat(faults.remaining()).isZero();
        String kept = run("SELECT product_area FROM " + table).id();
        assertThat(redshift.getStatementResult(b -> b.id(kept)).records())
                .as("the delete and the first insert were rolled back").extracting(r -> r.get(0).stringValue())
                .containsExactly("before");

        DescribeStatementResponse second = await(redshift.batchExecuteStatement(b -> b.clusterIdentifier(CLUSTER)
                .database(DATABASE).sqls(load)).id());
        assertThat(second.status()).as(second.error()).isEqualTo(StatusString.FINISHED);
        assertThat(count(table)).isEqualTo(2);

        faults.failStatementsMatching(Pattern.compile("(?i)^select 1\\b"), 1,
                "ERROR: could not complete because of conflict with concurrent transaction");
        DescribeStatementResponse single = await(submit("select 1 AS one"));
        assertThat(single.status()).isEqualTo(StatusString.FAILED);
        assertThat(single.error()).isEqualTo("ERROR: could not complete because of conflict with concurrent transaction");
        assertThat(run("select 1 AS one").hasResultSet()).isTrue();
    }

    @Test
    void shouldCancelARunningStatement() {
        String id = submit("SELECT pg_sleep(20)");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (redshift.describeStatement(b -> b.id(id)).status() != StatusString.STARTED) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            sleep(10);
        }
        assertThat(redshift.cancelStatement(b -> b.id(id)).status()).isTrue();
        DescribeStatementResponse cancelled = await(id);
        assertThat(cancelled.status()).isEqualTo(StatusString.ABORTED);
        assertThat(cancelled.duration()).isLessThan(Duration.ofSeconds(10).toNanos());
        assertThatThrownBy(() -> redshift.cancelStatement(b -> b.id(id))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("ABORTED");
    }

    @Test
    void shouldWaitWhenAskedTo_andKeepOneStatementPerClientToken() {
        ExecuteStatementResponse waited = redshift.executeStatement(b -> b.clusterIdentifier(CLUSTER)
                .database(DATABASE).sql("SELECT 7 AS seven").waitTimeSeconds(20));
        assertThat(waited.status()).isEqualTo(StatementStatusString.FINISHED);
        assertThat(waited.hasResultSet()).isTrue();
        assertThat(redshift.getStatementResult(b -> b.id(waited.id())).records().get(0).get(0).longValue())
                .isEqualTo(7L);

        String token = UUID.randomUUID().toString();
        String first = redshift.executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE)
                .sql("SELECT 1").clientToken(token)).id();
        String again = redshift.executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE)
                .sql("SELECT 1").clientToken(token)).id();
        assertThat(again).isEqualTo(first);
    }
}
