package dev.tally.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The local AWS stack: emulators of DynamoDB (dynalite), S3 (S3Mock), SQS (ElasticMQ), a PostgreSQL
 * stand-in for Redshift and the Redshift Data API on it, SES v2 (an outbox directory) and Secrets Manager, each on a
 * free loopback port, started on request and stopped by {@link #close()} (and on JVM shutdown, should nobody close it).
 *
 * <pre>{@code
 * try (LocalAws aws = LocalAws.start(LocalService.DYNAMODB)) {
 *     DynamoDbClient dynamo = DynamoDbClient.builder()
 *             .endpointOverride(aws.endpoint(LocalService.DYNAMODB))
 *             .region(Region.of(aws.region()))
 *             .credentialsProvider(StaticCredentialsProvider.create(
 *                     AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
 *             .build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Needs nothing but the JDK for {@link LocalService#DYNAMODB} (Node.js and {@code npm ci} at the repository
 * root) and {@link LocalService#POSTGRES} (the PostgreSQL server binaries). {@link LocalService#S3} and
 * {@link LocalService#SQS} run in this JVM and need S3Mock and ElasticMQ on the classpath, and
 * {@link LocalService#REDSHIFT_DATA} (which brings {@link LocalService#POSTGRES} along) the PostgreSQL JDBC driver;
 * without them only asking for that service fails, with a message naming the artifact. {@link LocalService#SES} and
 * {@link LocalService#SECRETS_MANAGER} run in this JVM on the JDK alone; what they start with (the outbox directory,
 * the secrets) is given by {@link Options}. Thread-safe.
 */
public final class LocalAws implements AwsEndpoints, AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "test";
    public static final String SECRET_ACCESS_KEY = "test";
    public static final String ACCOUNT_ID = "000000000000";

    // Names, not class literals: touching S3MockEmulator or ElasticMqEmulator needs their libraries.
    private static final String S3MOCK_CLASS = "com.adobe.testing.s3mock.S3MockApplication";
    private static final String S3MOCK_ARTIFACT = "com.adobe.testing:s3mock";
    private static final String ELASTICMQ_CLASS = "org.elasticmq.rest.sqs.SQSRestServerBuilder";
    private static final String ELASTICMQ_ARTIFACT = "org.elasticmq:elasticmq-rest-sqs_2.13";
    private static final String POSTGRES_DRIVER_CLASS = "org.postgresql.Driver";
    private static final String POSTGRES_DRIVER_ARTIFACT = "org.postgresql:postgresql";

    private final Supplier<Path> repoRoot;
    private final Path postgresBase;
    private final Options options;
    private final Map<LocalService, Emulator> running = new EnumMap<>(LocalService.class);
    private final Thread shutdownHook;
    private final RedshiftDataFaults redshiftDataFaults = new RedshiftDataFaults();
    /** S3's endpoint while it runs, for the Redshift Data API's COPY (read without this object's lock). */
    private volatile URI s3Endpoint;
    private Path workDir;
    private boolean closed;

    /**
     * What the SES and Secrets Manager emulators start with: the directory SES writes its messages to (kept on
     * {@link #close()}; by default a temporary one, deleted on close) and the secrets, name to value, Secrets Manager
     * serves at first ({@link SecretsManagerEmulator#put} adds more). {@link #toString()} names the secrets, never
     * their values.
     */
    public record Options(Optional<Path> sesOutbox, Map<String, String> secrets) {
        public Options {
            Objects.requireNonNull(sesOutbox, "sesOutbox");
            secrets = Map.copyOf(secrets);
        }

        /** A temporary outbox, no secrets. */
        public static Options defaults() {
            return new Options(Optional.empty(), Map.of());
        }

        public Options withSesOutbox(Path outbox) {
            return new Options(Optional.of(outbox), secrets);
        }

        public Options withSecrets(Map<String, String> secrets) {
            return new Options(sesOutbox, secrets);
        }

        @Override
        public String toString() {
            return "Options[sesOutbox=" + sesOutbox.map(Path::toString).orElse("(temporary)") + ", secrets="
                    + new java.util.TreeSet<>(secrets.keySet()) + "]";
        }
    }

    LocalAws(Supplier<Path> repoRoot, Path postgresBase) {
        this(repoRoot, postgresBase, Options.defaults());
    }

    LocalAws(Supplier<Path> repoRoot, Path postgresBase, Options options) {
        this.repoRoot = repoRoot;
        this.postgresBase = postgresBase;
        this.options = Objects.requireNonNull(options, "options");
        this.shutdownHook = new Thread(this::stopAll, "tally-local-aws-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the given services (none is allowed: add them later with {@link #require}). */
    public static LocalAws start(LocalService... services) {
        return start(Arrays.asList(services));
    }

    /** Starts the given services. On failure, whatever had started is stopped again and the failure thrown. */
    public static LocalAws start(Collection<LocalService> services) {
        return start(Options.defaults(), services);
    }

    /** Starts the given services, SES and Secrets Manager (now or when required later) with {@code options}. */
    public static LocalAws start(Options options, LocalService... services) {
        return start(options, Arrays.asList(services));
    }

    /**
     * Starts the given services, SES and Secrets Manager (now or when required later) with {@code options}. On failure,
     * whatever had started is stopped again and the failure thrown.
     */
    public static LocalAws start(Options options, Collection<LocalService> services) {
        LocalAws aws = new LocalAws(RepoRoot::find, PostgresEmulator.DEFAULT_BASE, options);
        try {
            return aws.require(services);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    /** Starts those of the given services that are not running yet (concurrently); returns this. */
    public LocalAws require(LocalService... services) {
        return require(Arrays.asList(services));
    }

    /**
     * Starts those of the given services that are not running yet (concurrently); returns this. REDSHIFT_DATA
     * brings POSTGRES along (it starts once PostgreSQL runs).
     */
    public synchronized LocalAws require(Collection<LocalService> services) {
        if (closed) {
            throw new IllegalStateException("this LocalAws is closed");
        }
        EnumSet<LocalService> missing = EnumSet.noneOf(LocalService.class);
        for (LocalService service : services) {
            if (!running.containsKey(service)) {
                missing.add(service);
            }
        }
        if (missing.contains(LocalService.REDSHIFT_DATA) && !running.containsKey(LocalService.POSTGRES)) {
            missing.add(LocalService.POSTGRES);
        }
        if (missing.isEmpty()) {
            return this;
        }
        // Everything that can be checked up front is, so nothing starts only to be stopped again.
        Path root = missing.contains(LocalService.DYNAMODB) ? repoRoot.get() : null;
        if (root != null) {
            DynaliteEmulator.script(root);
            DynaliteEmulator.node();
        }
        if (missing.contains(LocalService.POSTGRES)) {
            PostgresEmulator.binaries(postgresBase);
        }
        if (missing.contains(LocalService.S3)) {
            requireClass(S3MOCK_CLASS, S3MOCK_ARTIFACT, LocalService.S3);
        }
        if (missing.contains(LocalService.SQS)) {
            requireClass(ELASTICMQ_CLASS, ELASTICMQ_ARTIFACT, LocalService.SQS);
        }
        if (missing.contains(LocalService.REDSHIFT_DATA)) {
            requireClass(POSTGRES_DRIVER_CLASS, POSTGRES_DRIVER_ARTIFACT, LocalService.REDSHIFT_DATA,
                    "the PostgreSQL JDBC driver");
        }
        Path dir = workDir();

        Map<LocalService, CompletableFuture<Emulator>> starting = new LinkedHashMap<>();
        for (LocalService service : missing) {
            if (service == LocalService.REDSHIFT_DATA) {
                continue; // once PostgreSQL runs, below
            }
            starting.put(service, CompletableFuture.supplyAsync(() -> startOne(service, root, dir),
                    task -> {
                        Thread thread = new Thread(task, "tally-local-aws-start-" + service.name().toLowerCase());
                        thread.setDaemon(true);
                        thread.start();
                    }));
        }
        List<RuntimeException> failures = new ArrayList<>();
        Map<LocalService, Emulator> started = new EnumMap<>(LocalService.class);
        for (Map.Entry<LocalService, CompletableFuture<Emulator>> entry : starting.entrySet()) {
            try {
                started.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failures.add(cause instanceof LocalAwsException local ? local
                        : new LocalAwsException(entry.getKey().emulator() + " did not start: " + cause, cause));
            }
        }
        if (failures.isEmpty() && missing.contains(LocalService.REDSHIFT_DATA)) {
            try {
                PostgresEmulator postgres = (PostgresEmulator) (started.containsKey(LocalService.POSTGRES)
                        ? started.get(LocalService.POSTGRES) : running.get(LocalService.POSTGRES));
                started.put(LocalService.REDSHIFT_DATA, RedshiftDataEmulator.start(postgres.port(),
                        PostgresEmulator.USER, jdbcPassword(), PostgresEmulator.DATABASE, () -> s3Endpoint,
                        redshiftDataFaults));
            } catch (RuntimeException | LinkageError e) {
                failures.add(e instanceof LocalAwsException local ? local : new LocalAwsException(
                        LocalService.REDSHIFT_DATA.emulator() + " did not start: " + e, e));
            }
        }
        if (!failures.isEmpty()) {
            started.values().forEach(Emulator::close);
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
        running.putAll(started);
        if (started.containsKey(LocalService.S3)) {
            s3Endpoint = started.get(LocalService.S3).endpoint();
        }
        return this;
    }

    private Emulator startOne(LocalService service, Path root, Path dir) {
        switch (service) {
            case DYNAMODB:
                return DynaliteEmulator.start(root, dir);
            case POSTGRES:
                return PostgresEmulator.start(postgresBase);
            case S3:
                return S3MockEmulator.start(dir.resolve("s3"), REGION);
            case SQS:
                return ElasticMqEmulator.start(REGION, ACCOUNT_ID);
            case SES:
                return SesEmulator.start(options.sesOutbox().orElse(null));
            case SECRETS_MANAGER:
                return SecretsManagerEmulator.start(REGION, ACCOUNT_ID, options.secrets());
            default: // REDSHIFT_DATA starts after POSTGRES, in require
                throw new IllegalArgumentException(service.name());
        }
    }

    private static void requireClass(String className, String artifact, LocalService service) {
        requireClass(className, artifact, service, service.emulator());
    }

    private static void requireClass(String className, String artifact, LocalService service, String what) {
        try {
            Class.forName(className, false, LocalAws.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new LocalAwsException(what + " is not on the classpath: add the dependency "
                    + artifact + " (test scope) to use LocalService." + service.name());
        }
    }

    private Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory("tally-local-aws-");
            } catch (IOException e) {
                throw new LocalAwsException("cannot create a temporary directory: " + e.getMessage(), e);
            }
        }
        return workDir;
    }

    @Override
    public synchronized Set<LocalService> services() {
        return running.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(running.keySet()));
    }

    /** Whether the service has been started (and this is not closed). */
    public synchronized boolean isRunning(LocalService service) {
        return running.containsKey(service);
    }

    /**
     * Where the service answers: {@code http://127.0.0.1:PORT} for DYNAMODB, S3, SQS, REDSHIFT_DATA, SES and
     * SECRETS_MANAGER;
     * {@code postgresql://tally@127.0.0.1:PORT/dev} for POSTGRES (see {@link #jdbcUrl()} for JDBC).
     */
    @Override
    public URI endpoint(LocalService service) {
        return emulator(service).endpoint();
    }

    /**
     * The endpoint overrides of the running AWS services by the services' names, as AWS SDK clients (and
     * {@code AwsConfig.local}) take them: {@code dynamodb}, {@code s3}, {@code sqs}, {@code redshift-data},
     * {@code sesv2}, {@code secrets-manager}.
     */
    public synchronized Map<String, URI> serviceEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        running.forEach((service, emulator) -> service.endpointServiceName()
                .ifPresent(name -> endpoints.put(name, emulator.endpoint())));
        return Collections.unmodifiableMap(endpoints);
    }

    /**
     * The environment that points the AWS SDKs and CLI (and a handler run by {@code tally invoke}) at this stack:
     * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and, for each running AWS
     * service, its {@link LocalService#endpointVariable()} ({@code AWS_ENDPOINT_URL_DYNAMODB}, ...,
     * {@code AWS_ENDPOINT_URL_REDSHIFT_DATA}, {@code AWS_ENDPOINT_URL_SESV2}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}).
     */
    public synchronized Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", REGION);
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        running.forEach((service, emulator) -> service.endpointVariable()
                .ifPresent(name -> environment.put(name, emulator.endpoint().toString())));
        return Collections.unmodifiableMap(environment);
    }

    /**
     * Test support: fault injection into the running Redshift Data API emulator (REDSHIFT_DATA), e.g.
     * {@code aws.redshiftDataFaults().failStatementsMatching(Pattern.compile("INSERT INTO rollup"), 1)}.
     *
     * @throws LocalAwsException when REDSHIFT_DATA is not running
     */
    public RedshiftDataFaults redshiftDataFaults() {
        emulator(LocalService.REDSHIFT_DATA);
        return redshiftDataFaults;
    }

    /**
     * The directory the running SES emulator writes each accepted message to, one JSON file each; read it with
     * {@link SesOutbox#read}.
     *
     * @throws LocalAwsException when SES is not running
     */
    public Path sesOutbox() {
        return ((SesEmulator) emulator(LocalService.SES)).outbox();
    }

    /**
     * The running Secrets Manager emulator, to {@link SecretsManagerEmulator#put put} (add or replace) or
     * {@link SecretsManagerEmulator#remove remove} secrets.
     *
     * @throws LocalAwsException when SECRETS_MANAGER is not running
     */
    public SecretsManagerEmulator secrets() {
        return (SecretsManagerEmulator) emulator(LocalService.SECRETS_MANAGER);
    }

    synchronized Emulator emulator(LocalService service) {
        Emulator emulator = running.get(service);
        if (emulator == null) {
            throw new LocalAwsException(service + " is not running" + (closed ? " (this LocalAws is closed)"
                    : ": start it with LocalAws.start(..., " + service + ") or require(" + service + ")"));
        }
        return emulator;
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    @Override
    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/dev}. */
    @Override
    public String jdbcUrl() {
        return ((PostgresEmulator) emulator(LocalService.POSTGRES)).jdbcUrl();
    }

    @Override
    public String jdbcUser() {
        return PostgresEmulator.USER;
    }

    @Override
    public String jdbcPassword() {
        return "";
    }

    /** Stops every emulator and deletes what they wrote. Idempotent. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) stopAll, which is idempotent
        }
    }

    private synchronized void stopAll() {
        if (closed) {
            return;
        }
        closed = true;
        s3Endpoint = null;
        List<Emulator> emulators = new ArrayList<>(running.values());
        Collections.reverse(emulators);
        running.clear();
        for (Emulator emulator : emulators) {
            try {
                emulator.close();
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
        Processes.deleteTree(workDir);
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder("LocalAws[");
        running.forEach((service, emulator) -> text.append(text.length() > 9 ? ", " : "")
                .append(service).append('=').append(emulator.endpoint()));
        return text.append(closed ? ", closed]" : "]").toString();
    }
}
