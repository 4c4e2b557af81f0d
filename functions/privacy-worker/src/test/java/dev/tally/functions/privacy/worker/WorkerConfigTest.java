package dev.tally.functions.privacy.worker;

import dev.tally.aws.redshift.WarehouseEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerConfigTest {
    private static final String WORK = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-privacy-work";
    private static final String DEAD_LETTERS = WORK + "-dlq";
    private static final String WAREHOUSE_TARGET = """
            {"targets": [{"name": "warehouse", "kind": "WAREHOUSE", "tables": ["analytics.tracks"],
                          "columns": {"USER_ID": "user_id"}}]}""";

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(WorkerConfig.TABLE, "tally-privacy",
                WorkerConfig.KEY_SECRET_ID, "tally-privacy-key", WorkerConfig.WORK_QUEUE_URL, WORK,
                WorkerConfig.DEAD_LETTER_QUEUE_URL, DEAD_LETTERS));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void shouldReadTheRequiredVariables_withTheDefaults() {
        WorkerConfig config = WorkerConfig.fromEnvironment(env());

        assertThat(config.table()).isEqualTo("tally-privacy");
        assertThat(config.keySecretId()).isEqualTo("tally-privacy-key");
        assertThat(config.workQueueUrl()).isEqualTo(WORK);
        assertThat(config.deadLetterQueueUrl()).isEqualTo(DEAD_LETTERS);
        assertThat(config.lease()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.recordRetention()).isEqualTo(Duration.ofDays(760));
        assertThat(config.warehouse()).isEqualTo(WarehouseEnvironment.Kind.NONE);
        assertThat(config.privacy().targets()).isEmpty();
    }

    @Test
    void shouldNameTheVariable_thatIsMissing() {
        for (String name : new String[] {WorkerConfig.TABLE, WorkerConfig.KEY_SECRET_ID, WorkerConfig.WORK_QUEUE_URL,
                WorkerConfig.DEAD_LETTER_QUEUE_URL}) {
            Map<String, String> env = env();
            env.remove(name);
            assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env)).isInstanceOf(IllegalStateException.class)
                    .hasMessage(name + " is not set");
        }
    }

    @Test
    void shouldRefuseQueuesThatCannotWork_namingTheVariable() {
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.WORK_QUEUE_URL, WORK + ".fifo")))
                .hasMessageStartingWith("WORK_QUEUE_URL must be a standard queue");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.DEAD_LETTER_QUEUE_URL, WORK)))
                .hasMessageStartingWith("WORK_DEAD_LETTER_QUEUE_URL must be another queue");
    }

    @Test
    void shouldReadTheArchivePassStateMachine_whenSet_namingTheVariableWhenItIsNoStateMachine() {
        String arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:tally-archive-pass";

        assertThat(WorkerConfig.fromEnvironment(env()).archivePass()).isEmpty();
        assertThat(WorkerConfig.fromEnvironment(env(WorkerConfig.ARCHIVE_PASS_STATE_MACHINE_ARN, arn)).archivePass())
                .contains(arn);
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.ARCHIVE_PASS_STATE_MACHINE_ARN,
                "tally-archive-pass"))).hasMessageStartingWith("ARCHIVE_PASS_STATE_MACHINE_ARN must be a Step "
                + "Functions state machine ARN");
    }

    @Test
    void shouldReadTheLease_andTheRetention_namingThemWhenWrong() {
        assertThat(WorkerConfig.fromEnvironment(env(WorkerConfig.LEASE_MINUTES, "20")).lease())
                .isEqualTo(Duration.ofMinutes(20));
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.LEASE_MINUTES, "0")))
                .hasMessageContaining("WORK_LEASE_MINUTES");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.RECORD_RETENTION_DAYS, "365")))
                .hasMessageContaining("RECORD_RETENTION_DAYS must be at least 730");
    }

    @Test
    void shouldFailTheColdStart_onATargetItsExecutorWouldRefuse_namingTheVariableAndTheField() {
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.CONFIG,
                "{\"targets\": [{\"name\": \"crm\", \"kind\": \"WEBHOOK\", \"url\": \"https://crm.example/x\"}]}")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("PRIVACY_CONFIG: ").hasMessageContaining("targets[crm]");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.CONFIG,
                "{\"targets\": [{\"name\": \"archive\", \"kind\": \"S3_ARCHIVE\", \"prefixes\": [\"raw/\"]}]}")))
                .hasMessage("PRIVACY_CONFIG: target archive: bucket must be a non-empty string");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.WAREHOUSE, "jdbc",
                WarehouseEnvironment.JDBC_URL, "jdbc:postgresql://127.0.0.1/dev", WarehouseEnvironment.JDBC_USER, "u",
                WorkerConfig.CONFIG, WAREHOUSE_TARGET.replace("analytics.tracks", "Analytics.Tracks"))))
                .hasMessageStartingWith("PRIVACY_CONFIG: ").hasMessageContaining("targets[warehouse].tables");
    }

    @Test
    void shouldRefuseAWarehouseTarget_withoutAWarehouse() {
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.CONFIG, WAREHOUSE_TARGET)))
                .hasMessage("PRIVACY_CONFIG: targets[warehouse] is a WAREHOUSE target, but WAREHOUSE is none: set it "
                        + "to redshift or jdbc");
    }

    @Test
    void shouldReadTheWarehouseAsTheBillingFunctionDoes() {
        WorkerConfig jdbc = WorkerConfig.fromEnvironment(env(WorkerConfig.WAREHOUSE, "jdbc", WorkerConfig.CONFIG,
                WAREHOUSE_TARGET, WarehouseEnvironment.JDBC_URL, "jdbc:postgresql://127.0.0.1/dev",
                WarehouseEnvironment.JDBC_USER, "tally", WarehouseEnvironment.JDBC_PASSWORD, "hunter2-secret"));
        assertThat(jdbc.jdbc()).hasValue(new WarehouseEnvironment.Jdbc("jdbc:postgresql://127.0.0.1/dev", "tally",
                "hunter2-secret"));
        assertThat(jdbc.toString()).doesNotContain("hunter2-secret");

        WorkerConfig redshift = WorkerConfig.fromEnvironment(env(WorkerConfig.WAREHOUSE, "redshift",
                "TALLY_REDSHIFT_WORKGROUP", "analytics"));
        assertThat(redshift.redshift().orElseThrow().workgroup()).hasValue("analytics");

        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.WAREHOUSE, "jdbc")))
                .hasMessage("WAREHOUSE_JDBC_URL is not set");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.WAREHOUSE, "redshift")))
                .hasMessageContaining("TALLY_REDSHIFT_CLUSTER");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.WAREHOUSE, "snowflake")))
                .hasMessageContaining("WAREHOUSE must be none, redshift or jdbc");
    }

    @Test
    void shouldReadTheConfigDocumentFromAFile_namingThatVariableWhenItIsWrong(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("privacy.json");
        Files.writeString(file, "{\"targets\": [{\"name\": \"archive\", \"kind\": \"S3_ARCHIVE\", \"bucket\": \"b\", "
                + "\"prefixes\": [\"raw/\"], \"match\": {\"USER_ID\": [\"userId\"]}}], "
                + "\"secrets\": {\"crm-key\": \"local-secret-value\"}}");

        WorkerConfig config = WorkerConfig.fromEnvironment(env(WorkerConfig.CONFIG_FILE, file.toString()));
        assertThat(config.privacy().targets()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("archive"));
        assertThat(config.toString()).doesNotContain("local-secret-value");

        Files.writeString(file, "{\"targets\": [{\"name\": \"archive\", \"kind\": \"S3_ARCHIVE\", \"bucket\": \"b\"}]}");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(env(WorkerConfig.CONFIG_FILE, file.toString())))
                .hasMessageStartingWith("PRIVACY_CONFIG_FILE: target archive: prefixes");
    }
}
