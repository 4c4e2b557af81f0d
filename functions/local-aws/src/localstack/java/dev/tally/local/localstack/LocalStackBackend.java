package dev.tally.local.localstack;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalAwsException;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsBackend;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The {@code localstack} backend ({@code mvn -Plocalstack verify}): DynamoDB, S3 and SQS from one LocalStack
 * container, the Redshift stand-in from a PostgreSQL container, both through Testcontainers. Without a Docker
 * engine every {@code @LocalAwsTest} class is skipped, with the reason.
 *
 * <p>Images: {@value #LOCALSTACK_IMAGE_PROPERTY} (default {@value #DEFAULT_LOCALSTACK_IMAGE}; a newer LocalStack
 * may want {@code LOCALSTACK_AUTH_TOKEN} in the environment, which is passed on) and
 * {@value #POSTGRES_IMAGE_PROPERTY} (default {@value #DEFAULT_POSTGRES_IMAGE}).
 */
public final class LocalStackBackend implements LocalAwsBackend {
    static final String LOCALSTACK_IMAGE_PROPERTY = "tally.localstack.image";
    static final String DEFAULT_LOCALSTACK_IMAGE = "localstack/localstack:4.4.0";
    static final String POSTGRES_IMAGE_PROPERTY = "tally.localstack.postgres.image";
    static final String DEFAULT_POSTGRES_IMAGE = "postgres:16-alpine";

    private LocalStackContainer localstack;
    private PostgreSQLContainer<?> postgres;
    private final Set<LocalService> running = EnumSet.noneOf(LocalService.class);

    @Override
    public String name() {
        return "localstack";
    }

    @Override
    public Optional<String> unavailableReason() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        return docker ? Optional.empty() : Optional.of("Docker is not available: the -Plocalstack integration tests"
                + " need a Docker engine for LocalStack, so they are skipped (run without -Plocalstack to use the"
                + " local emulators)");
    }

    @Override
    public synchronized AwsEndpoints require(Set<LocalService> services) {
        // LocalStack's community image has no Redshift Data API; these emulators are this module's own (SES's outbox
        // and the secrets put into the emulator have no LocalStack counterpart here).
        for (LocalService own : EnumSet.of(LocalService.REDSHIFT_DATA, LocalService.SES, LocalService.SECRETS_MANAGER)) {
            if (services.contains(own)) {
                throw new LocalAwsException("LocalService." + own + " is not offered by the localstack backend: mark"
                        + " the test class @LocalAwsTest(emulatorSpecific = true) or run it without -Plocalstack");
            }
        }
        EnumSet<LocalService> aws = EnumSet.copyOf(services);
        aws.remove(LocalService.POSTGRES);
        if (!aws.isEmpty() && localstack == null) {
            LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(
                    System.getProperty(LOCALSTACK_IMAGE_PROPERTY, DEFAULT_LOCALSTACK_IMAGE))
                    .asCompatibleSubstituteFor("localstack/localstack"))
                    .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.S3,
                            LocalStackContainer.Service.SQS);
            String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
            if (token != null && !token.isBlank()) {
                container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
            }
            container.start();
            localstack = container;
            running.addAll(EnumSet.of(LocalService.DYNAMODB, LocalService.S3, LocalService.SQS));
        }
        if (services.contains(LocalService.POSTGRES) && postgres == null) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(
                    System.getProperty(POSTGRES_IMAGE_PROPERTY, DEFAULT_POSTGRES_IMAGE))
                    .asCompatibleSubstituteFor("postgres"))
                    .withDatabaseName("dev").withUsername("tally").withPassword("tally");
            container.start();
            postgres = container;
            running.add(LocalService.POSTGRES);
        }
        return new Endpoints();
    }

    @Override
    public synchronized void close() {
        if (localstack != null) {
            localstack.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        running.clear();
    }

    private final class Endpoints implements AwsEndpoints {
        @Override
        public Set<LocalService> services() {
            synchronized (LocalStackBackend.this) {
                return Collections.unmodifiableSet(EnumSet.copyOf(running.isEmpty()
                        ? EnumSet.noneOf(LocalService.class) : running));
            }
        }

        @Override
        public URI endpoint(LocalService service) {
            if (service == LocalService.POSTGRES) {
                PostgreSQLContainer<?> db = postgres();
                return URI.create("postgresql://" + db.getUsername() + "@" + db.getHost() + ":"
                        + db.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + db.getDatabaseName());
            }
            return localstack().getEndpoint();
        }

        @Override
        public String region() {
            return localstack == null ? "us-east-1" : localstack.getRegion();
        }

        @Override
        public String accessKeyId() {
            return localstack == null ? "test" : localstack.getAccessKey();
        }

        @Override
        public String secretAccessKey() {
            return localstack == null ? "test" : localstack.getSecretKey();
        }

        @Override
        public String jdbcUrl() {
            return postgres().getJdbcUrl();
        }

        @Override
        public String jdbcUser() {
            return postgres().getUsername();
        }

        @Override
        public String jdbcPassword() {
            return postgres().getPassword();
        }

        private LocalStackContainer localstack() {
            if (localstack == null) {
                throw new LocalAwsException("LocalStack is not running");
            }
            return localstack;
        }

        private PostgreSQLContainer<?> postgres() {
            if (postgres == null) {
                throw new LocalAwsException("the PostgreSQL container is not running");
            }
            return postgres;
        }

        @Override
        public String toString() {
            return "LocalStack" + services();
        }
    }
}
