package dev.tally.aws.redshift;

import dev.tally.delivery.RunRecord;
import dev.tally.delivery.Warehouse.WarehouseException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.CancelStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.CancelStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatementStatusString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Data API adapter's requests and its waiting, against a scripted client (the ITs use the local endpoint). */
class DataApiWarehouseTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/tally-copy";
    private static final DataApiTarget CLUSTER = DataApiTarget.cluster("tally", "dev",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:loader");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-02T04:00:00Z"), ZoneOffset.UTC);
    private static final RunRecord RUN = WarehouseSqlTest.run("20240602T030000Z-1a2b3c4d", "2024-05",
            "s3://bills/private-looking/source.zip", true);

    /** Answers batches by a script (the schema is at the newest version already); records what was asked. */
    private static final class ScriptedClient implements RedshiftDataClient {
        final List<BatchExecuteStatementRequest> batches = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        final Function<BatchExecuteStatementRequest, DescribeStatementResponse> loadOutcome;

        ScriptedClient(Function<BatchExecuteStatementRequest, DescribeStatementResponse> loadOutcome) {
            this.loadOutcome = loadOutcome;
        }

        @Override
        public BatchExecuteStatementResponse batchExecuteStatement(BatchExecuteStatementRequest request) {
            batches.add(request);
            return BatchExecuteStatementResponse.builder().id("batch-" + batches.size()).build();
        }

        @Override
        public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
            return ExecuteStatementResponse.builder().id("query").build();
        }

        @Override
        public GetStatementResultResponse getStatementResult(GetStatementResultRequest request) {
            return GetStatementResultResponse.builder().records(List.of(List.of(Field.fromLongValue(
                    (long) new WarehouseSql(WarehouseSql.Dialect.REDSHIFT).migrations().size())))).build();
        }

        @Override
        public DescribeStatementResponse describeStatement(DescribeStatementRequest request) {
            BatchExecuteStatementRequest batch = request.id().startsWith("batch-")
                    ? batches.get(Integer.parseInt(request.id().substring(6)) - 1) : null;
            if (batch == null || !batch.statementName().startsWith("tally-load-")) {
                return DescribeStatementResponse.builder().id(request.id()).status(StatusString.FINISHED).build();
            }
            return loadOutcome.apply(batch);
        }

        @Override
        public CancelStatementResponse cancelStatement(CancelStatementRequest request) {
            cancelled.add(request.id());
            return CancelStatementResponse.builder().status(true).build();
        }

        @Override
        public String serviceName() {
            return "redshift-data";
        }

        @Override
        public void close() {
        }

        List<BatchExecuteStatementRequest> loads() {
            return batches.stream().filter(b -> b.statementName().startsWith("tally-load-")).toList();
        }
    }

    private static DescribeStatementResponse status(StatusString status) {
        return DescribeStatementResponse.builder().status(status).build();
    }

    private static DataApiWarehouse warehouse(ScriptedClient client, Duration timeout) {
        return new DataApiWarehouse(client, CLUSTER, ROLE, new WarehouseSql(WarehouseSql.Dialect.REDSHIFT), CLOCK,
                timeout);
    }

    @Test
    void shouldSendALoadAsOneBatchToTheTarget_withTheRowsCopiedFromTheRunsObjects() throws Exception {
        ScriptedClient client = new ScriptedClient(batch -> status(StatusString.FINISHED));

        warehouse(client, Duration.ofSeconds(5)).load(RUN);

        assertThat(client.loads()).hasSize(1);
        BatchExecuteStatementRequest load = client.loads().get(0);
        assertThat(load.clusterIdentifier()).isEqualTo("tally");
        assertThat(load.database()).isEqualTo("dev");
        assertThat(load.secretArn()).isEqualTo("arn:aws:secretsmanager:eu-west-1:123456789012:secret:loader");
        assertThat(load.workgroupName()).isNull();
        assertThat(load.statementName()).isEqualTo("tally-load-20240602T030000Z-1a2b3c4d");
        assertThat(load.sqls()).hasSizeLessThanOrEqualTo(DataApiWarehouse.MAX_BATCH)
                .filteredOn(sql -> sql.startsWith("COPY ")).hasSize(5)
                .allSatisfy(sql -> assertThat(sql).contains("FROM 's3://tally-out/rollups/", "IAM_ROLE '" + ROLE + "'"));
    }

    @Test
    void shouldMigrateTheSchemaOnTheFirstLoadOnly() throws Exception {
        ScriptedClient client = new ScriptedClient(batch -> status(StatusString.FINISHED));
        DataApiWarehouse warehouse = warehouse(client, Duration.ofSeconds(5));

        warehouse.load(RUN);
        warehouse.load(RUN);

        assertThat(client.batches).extracting(BatchExecuteStatementRequest::statementName)
                .containsExactly("tally-schema-bootstrap", "tally-load-" + RUN.runId(), "tally-load-" + RUN.runId());
    }

    @Test
    void shouldFailNamingTheStatementAndTheError_butNoValues_whenTheBatchFails() {
        ScriptedClient client = new ScriptedClient(batch -> DescribeStatementResponse.builder()
                .status(StatusString.FAILED).error("ERROR: value too long for type character varying(8)")
                .subStatements(SubStatementData.builder().status(StatementStatusString.FINISHED).build(),
                        SubStatementData.builder().status(StatementStatusString.FINISHED).build(),
                        SubStatementData.builder().status(StatementStatusString.FAILED).build())
                .build());

        assertThatThrownBy(() -> warehouse(client, Duration.ofSeconds(5)).load(RUN))
                .isInstanceOf(WarehouseException.class)
                .hasMessageContaining("FAILED at statement 3 of 33 (INSERT INTO tally.rollup_runs)")
                .hasMessageContaining("ERROR: value too long")
                .hasMessageNotContaining("private-looking");
    }

    @Test
    void shouldCancelTheBatchAndFail_whenItDoesNotEndInTime() {
        ScriptedClient client = new ScriptedClient(batch -> status(StatusString.STARTED));

        assertThatThrownBy(() -> warehouse(client, Duration.ofMillis(300)).load(RUN))
                .isInstanceOf(WarehouseException.class).hasMessageContaining("did not end within PT0.3S");

        assertThat(client.cancelled).containsExactly("batch-2");
    }

    @Test
    void shouldRefuseASecondDialect_andARoleThatIsNoRoleArn() {
        ScriptedClient client = new ScriptedClient(batch -> status(StatusString.FINISHED));

        assertThatThrownBy(() -> new DataApiWarehouse(client, CLUSTER, ROLE,
                new WarehouseSql(WarehouseSql.Dialect.POSTGRES))).hasMessageContaining("Redshift SQL");
        assertThatThrownBy(() -> new DataApiWarehouse(client, CLUSTER, "tally-copy",
                new WarehouseSql(WarehouseSql.Dialect.REDSHIFT))).hasMessageContaining("IAM role ARN");
    }

    @Test
    void shouldTakeTheTargetFromTheEnvironment_namingWhatIsMissing() {
        assertThat(DataApiTarget.fromEnvironment(Map.of(DataApiTarget.WORKGROUP, "tally", DataApiTarget.DATABASE,
                "warehouse"))).isEqualTo(DataApiTarget.workgroup("tally", "warehouse"));
        assertThat(DataApiTarget.fromEnvironment(Map.of(DataApiTarget.CLUSTER, "c", DataApiTarget.DB_USER, "loader")))
                .isEqualTo(DataApiTarget.clusterAsUser("c", "dev", "loader"));
        assertThatThrownBy(() -> DataApiTarget.fromEnvironment(Map.of()))
                .hasMessage("TALLY_REDSHIFT_CLUSTER or TALLY_REDSHIFT_WORKGROUP is not set");
        assertThatThrownBy(() -> DataApiTarget.fromEnvironment(Map.of(DataApiTarget.CLUSTER, "c")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secret ARN or a database user");
    }
}
