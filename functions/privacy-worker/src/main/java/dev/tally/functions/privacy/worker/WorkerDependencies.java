package dev.tally.functions.privacy.worker;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbPrivacyStore;
import dev.tally.aws.redshift.DataApiWarehouseDeleter;
import dev.tally.aws.redshift.JdbcWarehouseDeleter;
import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.aws.s3.S3ArchiveExecutor;
import dev.tally.aws.secrets.SecretsManagerSecretSource;
import dev.tally.aws.sqs.SqsWorkQueue;
import dev.tally.aws.stepfunctions.StepFunctionsArchivePass;
import dev.tally.privacy.PrivacyKeys;
import dev.tally.privacy.PrivacyStore;
import dev.tally.privacy.PrivacyWorker;
import dev.tally.privacy.RequestSubjects;
import dev.tally.privacy.SecretSource;
import dev.tally.privacy.archive.DistributedArchiveExecutor;
import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.warehouse.WarehouseExecutor;
import dev.tally.privacy.webhook.WebhookExecutor;
import dev.tally.runtime.Bootstrap;
import dev.tally.runtime.CountMetrics;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the privacy workers need, built once per execution environment ({@link Bootstrap}) from
 * {@link WorkerConfig}: one HTTP client; the DynamoDB, S3, SQS and Secrets Manager clients (and the Redshift Data
 * API's for {@code WAREHOUSE=redshift}); the keys (derived from the secret, read once at cold start); the store, the
 * request subjects (opened for the targets, forgotten once a request is finished), the executors of the three
 * target kinds, the work queue and the worker.
 */
final class WorkerDependencies {
    static final String SERVICE = WorkHandler.SERVICE;
    /** How often a distributed archive pass is asked whether it is done. */
    static final Duration ARCHIVE_PASS_POLL = Duration.ofMinutes(1);
    private static final Bootstrap<WorkerDependencies> BOOTSTRAP = new Bootstrap<>(WorkerDependencies::new);

    private final PrivacyWorker worker;
    private final CountingWorkQueue queue;
    private final MalformedMessages malformed;
    private final CountMetrics metrics;
    private final ArchiveSlices slices;

    private WorkerDependencies(Map<String, String> env) {
        WorkerConfig config = WorkerConfig.fromEnvironment(env);
        AwsConfig aws = AwsConfig.fromEnvironment(env);
        SdkHttpClient http = AwsClients.httpClient();
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        SecretSource secrets = new SecretsManagerSecretSource(AwsClients.secretsManager(aws, http));
        PrivacyKeys keys = PrivacyKeys.fromSecret(secrets.secret(config.keySecretId()), random);
        PrivacyStore store = new DynamoDbPrivacyStore(AwsClients.dynamoDb(aws, http), config.table(),
                config.recordRetention());
        SqsWorkQueue sqs = new SqsWorkQueue(AwsClients.sqs(aws, http), config.workQueueUrl(),
                config.deadLetterQueueUrl());
        queue = new CountingWorkQueue(sqs);
        malformed = sqs::deadLetterMalformed;
        RequestSubjects subjects = new RequestSubjects(store, keys);
        S3Client s3 = AwsClients.s3(aws, http);
        S3ArchiveExecutor archive = new S3ArchiveExecutor(s3);
        worker = new PrivacyWorker(store, subjects, PrivacyWorker.byKind(executors(config, aws, http, secrets, s3,
                archive)), config.privacy(), queue, config.lease(), clock, random);
        slices = new ArchiveSlices(config.privacy(), subjects, archive);
        metrics = BOOTSTRAP.metrics(SERVICE);
    }

    /**
     * One executor per kind; the webhook executor checks its targets as it is built (WorkerConfig did already). The
     * archive is read here, or by the Distributed Map of {@code ARCHIVE_PASS_STATE_MACHINE_ARN} when set.
     */
    private static List<TargetExecutor> executors(WorkerConfig config, AwsConfig aws, SdkHttpClient http,
                                                  SecretSource secrets, S3Client s3, S3ArchiveExecutor archive) {
        List<TargetExecutor> executors = new ArrayList<>();
        executors.add(config.archivePass().<TargetExecutor>map(arn -> new DistributedArchiveExecutor(
                new StepFunctionsArchivePass(AwsClients.sfn(aws, http), s3, arn), ARCHIVE_PASS_POLL)).orElse(archive));
        executors.add(new WebhookExecutor(config.privacy().targets(), secrets));
        if (config.warehouse() == WarehouseEnvironment.Kind.REDSHIFT) {
            executors.add(new WarehouseExecutor(new DataApiWarehouseDeleter(AwsClients.redshiftData(aws, http),
                    config.redshift().orElseThrow())));
        } else if (config.warehouse() == WarehouseEnvironment.Kind.JDBC) {
            WarehouseEnvironment.Jdbc jdbc = config.jdbc().orElseThrow();
            executors.add(new WarehouseExecutor(JdbcWarehouseDeleter.at(jdbc.url(), jdbc.user(), jdbc.password())));
        }
        return executors;
    }

    static WorkerDependencies get() {
        return BOOTSTRAP.get();
    }

    /** For local runs ({@code tally serve}, {@code tally invoke}): the environment to read, and where counts go. */
    static void useLocally(Map<String, String> env, CountMetrics metrics) {
        BOOTSTRAP.useLocally(env, metrics);
    }

    PrivacyWorker worker() {
        return worker;
    }

    CountingWorkQueue queue() {
        return queue;
    }

    MalformedMessages malformed() {
        return malformed;
    }

    ArchiveSlices slices() {
        return slices;
    }

    CountMetrics metrics() {
        return metrics;
    }
}
