package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runtime API on its own (as the CLI uses it): start, endpoints, adding services, and a clean stop. */
class LocalAwsIT {

    @Test
    void startsDynaliteAndPostgresAndStopsThemCompletely() {
        long dynalitePid;
        URI dynamo;
        int postgresPort;
        Path postgresDir;
        LocalAws aws = LocalAws.start(LocalService.DYNAMODB, LocalService.POSTGRES);
        try {
            assertThat(aws.services()).containsExactlyInAnyOrder(LocalService.DYNAMODB, LocalService.POSTGRES);
            assertThat(aws.isRunning(LocalService.S3)).isFalse();

            dynamo = aws.endpoint(LocalService.DYNAMODB);
            assertThat(dynamo.getScheme()).isEqualTo("http");
            assertThat(dynamo.getHost()).isEqualTo("127.0.0.1");
            assertThat(Processes.answers(dynamo.getPort())).isTrue();
            dynalitePid = ((DynaliteEmulator) aws.emulator(LocalService.DYNAMODB)).pid();
            assertThat(ProcessHandle.of(dynalitePid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            PostgresEmulator postgres = (PostgresEmulator) aws.emulator(LocalService.POSTGRES);
            postgresPort = postgres.port();
            postgresDir = postgres.workDir();
            assertThat(aws.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgresPort + "/dev");
            assertThat(aws.endpoint(LocalService.POSTGRES))
                    .isEqualTo(URI.create("postgresql://tally@127.0.0.1:" + postgresPort + "/dev"));
            assertThat(aws.jdbcUser()).isEqualTo("tally");
            assertThat(Processes.answers(postgresPort)).isTrue();
            assertThat(postgresDir.resolve("data").resolve("PG_VERSION")).exists();
            assertThat(aws.toString()).contains("DYNAMODB=http://127.0.0.1:" + dynamo.getPort());
        } finally {
            aws.close();
        }

        assertThat(ProcessHandle.of(dynalitePid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(Processes.answers(dynamo.getPort())).isFalse();
        assertThat(Processes.answers(postgresPort)).isFalse();
        assertThat(Files.exists(postgresDir)).isFalse();
        assertThat(aws.services()).isEmpty();
        assertThatThrownBy(() -> aws.endpoint(LocalService.DYNAMODB)).isInstanceOf(LocalAwsException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> aws.require(LocalService.DYNAMODB)).isInstanceOf(IllegalStateException.class);
        aws.close(); // idempotent
    }

    @Test
    void requireStartsOnlyWhatIsNotRunningYet() {
        try (LocalAws aws = LocalAws.start(LocalService.DYNAMODB)) {
            URI dynamo = aws.endpoint(LocalService.DYNAMODB);
            assertThatThrownBy(() -> aws.endpoint(LocalService.POSTGRES)).isInstanceOf(LocalAwsException.class)
                    .hasMessage("POSTGRES is not running: start it with LocalAws.start(..., POSTGRES) or require(POSTGRES)");

            assertThat(aws.require(EnumSet.of(LocalService.DYNAMODB, LocalService.POSTGRES))).isSameAs(aws);

            assertThat(aws.endpoint(LocalService.DYNAMODB)).isEqualTo(dynamo);
            assertThat(aws.services()).containsExactlyInAnyOrder(LocalService.DYNAMODB, LocalService.POSTGRES);
            assertThat(Processes.answers(aws.endpoint(LocalService.POSTGRES).getPort())).isTrue();
        }
    }

    /** The command line (LocalAwsMain) in its own JVM, killed with SIGKILL: no shutdown hook runs, yet dynalite ends. */
    @Test
    void dynaliteDoesNotOutliveAKilledJvm() throws Exception {
        String classes = Path.of(LocalAws.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtally.repo.root=" + RepoRoot.find(), "-cp", classes, LocalAwsMain.class.getName(), "dynamodb")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).startsWith("DYNAMODB  dynalite    http://127.0.0.1:");
            URI endpoint = URI.create(first.substring(first.lastIndexOf(' ') + 1));
            ProcessHandle node = jvm.descendants().filter(p -> p.info().command().orElse("").endsWith("node"))
                    .findFirst().orElseThrow();
            assertThat(Processes.answers(endpoint.getPort())).isTrue();
            List<String> arguments = List.of(node.info().arguments().orElseThrow());
            Path workDir = Path.of(arguments.get(arguments.indexOf("--require") + 1)).getParent();
            assertThat(workDir.resolve("dynalite.log")).exists();

            jvm.destroyForcibly().waitFor();

            node.onExit().get(30, TimeUnit.SECONDS);
            assertThat(node.isAlive()).isFalse();
            assertThat(Processes.answers(endpoint.getPort())).isFalse();
            assertThat(workDir).doesNotExist();
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void redshiftDataBringsPostgresAlong_andIsListedWithItsEndpointVariable() {
        URI endpoint;
        try (LocalAws aws = LocalAws.start(LocalService.REDSHIFT_DATA)) {
            assertThat(aws.services()).containsExactlyInAnyOrder(LocalService.POSTGRES, LocalService.REDSHIFT_DATA);
            endpoint = aws.endpoint(LocalService.REDSHIFT_DATA);
            assertThat(endpoint.getScheme()).isEqualTo("http");
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            assertThat(endpoint.getPort()).isNotEqualTo(aws.endpoint(LocalService.POSTGRES).getPort());
            assertThat(Processes.answers(endpoint.getPort())).isTrue();

            assertThat(aws.serviceEndpoints()).containsExactly(java.util.Map.entry("redshift-data", endpoint));
            assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_REDSHIFT_DATA", endpoint.toString())
                    .containsEntry("AWS_REGION", "us-east-1").containsEntry("AWS_ACCESS_KEY_ID", "test")
                    .containsEntry("AWS_SECRET_ACCESS_KEY", "test")
                    .doesNotContainKey("AWS_ENDPOINT_URL_POSTGRES").hasSize(4);
            assertThat(aws.redshiftDataFaults()).isSameAs(aws.redshiftDataFaults());
            assertThat(aws.toString()).contains("REDSHIFT_DATA=" + endpoint);
        }
        assertThat(Processes.answers(endpoint.getPort())).isFalse();

        try (LocalAws aws = LocalAws.start(LocalService.DYNAMODB)) {
            assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_DYNAMODB",
                    aws.endpoint(LocalService.DYNAMODB).toString());
            assertThatThrownBy(aws::redshiftDataFaults).isInstanceOf(LocalAwsException.class)
                    .hasMessage("REDSHIFT_DATA is not running: start it with LocalAws.start(..., REDSHIFT_DATA) or"
                            + " require(REDSHIFT_DATA)");
        }
    }

    @Test
    void twoStacksRunSideBySideOnDifferentPorts() {
        try (LocalAws one = LocalAws.start(LocalService.DYNAMODB); LocalAws two = LocalAws.start(LocalService.DYNAMODB)) {
            assertThat(one.endpoint(LocalService.DYNAMODB).getPort()).isNotEqualTo(two.endpoint(LocalService.DYNAMODB).getPort());
        }
    }
}
