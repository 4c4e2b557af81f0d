package dev.tally.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.InputException;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.PrivacyTable;
import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.functions.privacy.PrivacyApiConfig;
import dev.tally.functions.privacy.worker.WorkerConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The privacy functions' world on this machine ({@code tally serve}): the local stack with SES writing to
 * {@code <state>/outbox} and Secrets Manager serving the config document's {@code secrets} and the privacy key
 * (made once and kept in the state directory); the privacy table, the processing queue with its dead-letter queue,
 * the workers' work queue with the dead-letter queue they park failed work in, and the archive targets' buckets,
 * each created only if absent (nothing is ever emptied); and the functions' environment pointing there.
 * {@link #writeServeFile} says where everything is, for scripts and tests.
 */
final class LocalPrivacyStack implements AutoCloseable {
    static final String TABLE = "tally-privacy";
    static final String QUEUE = "tally-privacy-processing";
    static final String DEAD_LETTER_QUEUE = QUEUE + "-dlq";
    static final String WORK_QUEUE = "tally-privacy-work";
    static final String WORK_DEAD_LETTER_QUEUE = WORK_QUEUE + "-dlq";
    /** Receives of one message before SQS moves it to the dead-letter queue. */
    static final int MAX_RECEIVES = 5;
    /**
     * The work queue's visibility timeout, seconds: short locally, so that an item whose handling threw (returned in
     * {@code batchItemFailures}) comes back within seconds, in tests and demos. In AWS it is longer than the work
     * function's timeout.
     */
    static final int WORK_VISIBILITY_SECONDS = 10;
    static final String KEY_SECRET_ID = "tally-privacy-key";
    static final String KEY_FILE = "privacy-key.secret";
    static final String CODE_FROM = "privacy@tally.local";
    static final String SERVE_FILE = "serve.json";
    static final String OUTBOX = "outbox";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final LocalAws aws;
    final Path stateDir;
    final Path outbox;
    final String queueUrl;
    final String deadLetterQueueUrl;
    final String workQueueUrl;
    final String workDeadLetterQueueUrl;
    final Map<String, String> environment;

    private LocalPrivacyStack(LocalAws aws, Path stateDir, PrivacyConfig config, Optional<Path> configFile,
                              Optional<Duration> codeTtl) {
        this.aws = aws;
        this.stateDir = stateDir;
        this.outbox = aws.sesOutbox();
        SdkHttpClient http = AwsClients.httpClient();
        AwsConfig local = AwsConfig.local(aws.serviceEndpoints());
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(local, http); SqsClient sqs = AwsClients.sqs(local, http);
             S3Client s3 = AwsClients.s3(local, http)) {
            PrivacyTable.create(dynamo, TABLE);
            deadLetterQueueUrl = queueIfAbsent(sqs, DEAD_LETTER_QUEUE, Map.of());
            String deadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            queueUrl = queueIfAbsent(sqs, QUEUE, Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVES + "\"}",
                    QueueAttributeName.VISIBILITY_TIMEOUT, "120"));
            // Work the worker parks on purpose (failed for good, malformed) goes to its own dead-letter queue;
            // messages whose handling keeps throwing go there too, by the redrive policy.
            workDeadLetterQueueUrl = queueIfAbsent(sqs, WORK_DEAD_LETTER_QUEUE, Map.of());
            String workDeadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(workDeadLetterQueueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            workQueueUrl = queueIfAbsent(sqs, WORK_QUEUE, Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + workDeadLetterArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVES
                            + "\"}", QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(WORK_VISIBILITY_SECONDS)));
            for (Target target : config.targets()) {
                String bucket = target.settings().path("bucket").asText("");
                if (target.kind() == TargetKind.S3_ARCHIVE && !bucket.isEmpty()) {
                    bucketIfAbsent(s3, bucket);
                }
            }
        } finally {
            http.close();
        }
        Map<String, String> env = new TreeMap<>(aws.environment());
        env.put(PrivacyApiConfig.TABLE, TABLE);
        env.put(PrivacyApiConfig.QUEUE_URL, queueUrl);
        env.put(PrivacyApiConfig.KEY_SECRET_ID, KEY_SECRET_ID);
        env.put(PrivacyApiConfig.CODE_FROM, CODE_FROM);
        env.put(PrivacyApiConfig.ADMIN_PRINCIPALS, "");
        configFile.ifPresent(file -> env.put(PrivacyApiConfig.CONFIG_FILE, file.toAbsolutePath().toString()));
        codeTtl.ifPresent(ttl -> env.put(PrivacyApiConfig.CODE_TTL_SECONDS, String.valueOf(ttl.toSeconds())));
        env.put(WorkerConfig.WORK_QUEUE_URL, workQueueUrl);
        env.put(WorkerConfig.DEAD_LETTER_QUEUE_URL, workDeadLetterQueueUrl);
        if (config.targets().stream().anyMatch(target -> target.kind() == TargetKind.WAREHOUSE)) {
            // The workers delete warehouse rows in the stack's PostgreSQL, as the billing function writes them.
            env.put(WarehouseEnvironment.KIND, "jdbc");
            env.put(WarehouseEnvironment.JDBC_URL, aws.jdbcUrl());
            env.put(WarehouseEnvironment.JDBC_USER, aws.jdbcUser());
            env.put(WarehouseEnvironment.JDBC_PASSWORD, aws.jdbcPassword());
        }
        this.environment = Map.copyOf(env);
    }

    /**
     * Starts the stack for {@code stateDir} (absolute, existing).
     *
     * @param configFile the privacy config document; none: no targets, the default due days
     * @param codeTtl    how long confirmation codes live, whole seconds (tests and demos); none: the default
     * @throws InputException when the config document cannot be read or used
     */
    static LocalPrivacyStack start(Path stateDir, Optional<Path> configFile, Optional<Duration> codeTtl)
            throws IOException {
        PrivacyConfig config = config(configFile);
        Map<String, String> secrets = new LinkedHashMap<>(config.secrets());
        secrets.put(KEY_SECRET_ID, StateFiles.readOrCreate(stateDir.resolve(KEY_FILE), LocalPrivacyStack::newKey)
                .trim());
        LocalAws aws = LocalAws.start(new LocalAws.Options(Optional.of(stateDir.resolve(OUTBOX)), secrets),
                LocalService.DYNAMODB, LocalService.S3, LocalService.SQS, LocalService.POSTGRES, LocalService.SES,
                LocalService.SECRETS_MANAGER);
        try {
            return new LocalPrivacyStack(aws, stateDir, config, configFile, codeTtl);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    static PrivacyConfig config(Optional<Path> file) throws IOException {
        if (file.isEmpty()) {
            return PrivacyConfig.defaults();
        }
        if (!Files.isRegularFile(file.get())) {
            throw new InputException(file.get() + ": no such file (--config)");
        }
        try {
            return PrivacyConfig.parse(Files.readString(file.get()));
        } catch (PrivacyConfig.InvalidConfigException e) {
            throw new InputException(file.get() + ": " + e.getMessage());
        }
    }

    /** 64 characters from 48 random bytes: the secret the hash and sealing keys derive from. */
    static String newKey() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String queueIfAbsent(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException absent) {
            return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        }
    }

    private static void bucketIfAbsent(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException absent) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Writes {@code serve.json} whole (readers never see half of it); returns its path. */
    Path writeServeFile(URI url) throws IOException {
        ObjectNode serve = JSON.createObjectNode()
                .put("url", url.toString())
                .put("s3", aws.endpoint(LocalService.S3).toString())
                .put("dynamodb", aws.endpoint(LocalService.DYNAMODB).toString())
                .put("sqs", aws.endpoint(LocalService.SQS).toString())
                .put("jdbc_url", aws.jdbcUrl())
                .put("jdbc_user", aws.jdbcUser())
                .put("outbox", outbox.toAbsolutePath().toString())
                .put("queue_url", queueUrl)
                .put("dead_letter_queue_url", deadLetterQueueUrl)
                .put("work_queue_url", workQueueUrl)
                .put("work_dead_letter_queue_url", workDeadLetterQueueUrl)
                .put("secrets_manager", aws.endpoint(LocalService.SECRETS_MANAGER).toString())
                .put("ses", aws.endpoint(LocalService.SES).toString())
                .put("privacy_table", TABLE)
                .put("region", aws.region())
                .put("pid", ProcessHandle.current().pid());
        Path file = stateDir.resolve(SERVE_FILE);
        StateFiles.replace(file, JSON.writeValueAsString(serve) + "\n");
        return file;
    }

    /** Deletes {@code serve.json} and stops the stack. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(stateDir.resolve(SERVE_FILE));
        } catch (IOException e) {
            // the stack stops all the same; a stale serve.json names a pid that is gone
        }
        aws.close();
    }
}
