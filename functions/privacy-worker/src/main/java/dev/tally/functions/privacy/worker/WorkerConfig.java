package dev.tally.functions.privacy.worker;

import dev.tally.aws.Environment;
import dev.tally.aws.PrivacyEnvironment;
import dev.tally.aws.redshift.DataApiTarget;
import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.Target;
import dev.tally.privacy.archive.ArchiveTarget;
import dev.tally.privacy.warehouse.WarehouseTargetConfig;
import dev.tally.privacy.webhook.WebhookConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.tally.aws.Environment.positive;
import static dev.tally.aws.Environment.required;

/**
 * Configuration of the privacy workers (the start and the work function), read once from the environment and
 * validated at start; a wrong value fails the cold start with a message naming the variable — and, for a target of
 * the config document, the field. The variables the privacy API has too are read as it reads them
 * ({@link PrivacyEnvironment}); so are the billing function's warehouse variables ({@link WarehouseEnvironment},
 * {@link DataApiTarget}).
 *
 * <p>The workers send no confirmation codes and hand nothing to the processing queue (the start function is fed by
 * it through its event source mapping), so they read neither {@code CODE_FROM_ADDRESS} nor
 * {@code PROCESSING_QUEUE_URL}.
 *
 * @param table              {@code PRIVACY_TABLE}: the DynamoDB table of requests and receipts
 * @param keySecretId        {@code PRIVACY_KEY_SECRET_ID}: the secret the keys derive from (the sealed subject ids
 *                           are opened with it)
 * @param recordRetention    {@code RECORD_RETENTION_DAYS} (760, at least 730)
 * @param privacy            the config document, {@code PRIVACY_CONFIG} or {@code PRIVACY_CONFIG_FILE}: every
 *                           target is checked here, by its kind
 * @param workQueueUrl       {@code WORK_QUEUE_URL}: the SQS queue of work items (a standard queue: items wait there
 *                           for their retry delay)
 * @param deadLetterQueueUrl {@code WORK_DEAD_LETTER_QUEUE_URL}: where items whose receipt failed for good, and
 *                           messages that are not ours, are parked (a standard queue, not the work queue)
 * @param lease              {@code WORK_LEASE_MINUTES} (15): how long a taken receipt belongs to its worker; set it
 *                           longer than the work function's timeout
 * @param warehouse          {@code WAREHOUSE}: {@code none}, {@code redshift} (the Data API, {@link DataApiTarget}'s
 *                           variables) or {@code jdbc} (local runs: {@code WAREHOUSE_JDBC_URL}, {@code _USER},
 *                           {@code _PASSWORD}); a {@code WAREHOUSE} target needs one that is not {@code none}
 * @param archivePass        {@code ARCHIVE_PASS_STATE_MACHINE_ARN}: when set, archive targets are carried out by
 *                           that Step Functions state machine (a Distributed Map over the archive's objects, for
 *                           archives beyond one function's reach); unset, the work function reads the archive itself
 */
public record WorkerConfig(String table, String keySecretId, Duration recordRetention, PrivacyConfig privacy,
                           String workQueueUrl, String deadLetterQueueUrl, Duration lease,
                           WarehouseEnvironment.Kind warehouse, Optional<DataApiTarget> redshift,
                           Optional<WarehouseEnvironment.Jdbc> jdbc, Optional<String> archivePass) {
    public static final String TABLE = PrivacyEnvironment.TABLE;
    public static final String KEY_SECRET_ID = PrivacyEnvironment.KEY_SECRET_ID;
    public static final String RECORD_RETENTION_DAYS = PrivacyEnvironment.RECORD_RETENTION_DAYS;
    public static final String CONFIG = PrivacyEnvironment.CONFIG;
    public static final String CONFIG_FILE = PrivacyEnvironment.CONFIG_FILE;
    public static final String WORK_QUEUE_URL = "WORK_QUEUE_URL";
    public static final String DEAD_LETTER_QUEUE_URL = "WORK_DEAD_LETTER_QUEUE_URL";
    public static final String LEASE_MINUTES = "WORK_LEASE_MINUTES";
    public static final String WAREHOUSE = WarehouseEnvironment.KIND;
    public static final String ARCHIVE_PASS_STATE_MACHINE_ARN = "ARCHIVE_PASS_STATE_MACHINE_ARN";

    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String table = required(env, TABLE);
        String keySecretId = required(env, KEY_SECRET_ID);
        Duration retention = PrivacyEnvironment.recordRetention(env);
        PrivacyConfig privacy = PrivacyEnvironment.privacyConfig(env);
        String work = standardQueue(env, WORK_QUEUE_URL);
        String deadLetters = standardQueue(env, DEAD_LETTER_QUEUE_URL);
        if (work.equals(deadLetters)) {
            throw new IllegalStateException(DEAD_LETTER_QUEUE_URL + " must be another queue than " + WORK_QUEUE_URL);
        }
        Duration lease = Duration.ofMinutes(positive(env, LEASE_MINUTES, 15));
        WarehouseEnvironment.Kind warehouse = WarehouseEnvironment.kind(env);
        Optional<DataApiTarget> redshift = warehouse == WarehouseEnvironment.Kind.REDSHIFT
                ? Optional.of(DataApiTarget.fromEnvironment(env)) : Optional.empty();
        Optional<WarehouseEnvironment.Jdbc> jdbc = warehouse == WarehouseEnvironment.Kind.JDBC
                ? Optional.of(WarehouseEnvironment.jdbc(env)) : Optional.empty();
        checkTargets(privacy, warehouse, PrivacyEnvironment.configVariable(env));
        Optional<String> archivePass = Environment.stateMachineArn(env, ARCHIVE_PASS_STATE_MACHINE_ARN);
        return new WorkerConfig(table, keySecretId, retention, privacy, work, deadLetters, lease, warehouse, redshift,
                jdbc, archivePass);
    }

    private static String standardQueue(Map<String, String> env, String name) {
        String url = required(env, name);
        if (url.endsWith(".fifo")) {
            throw new IllegalStateException(name + " must be a standard queue (a FIFO queue takes no per-message "
                    + "delay), was " + url);
        }
        return url;
    }

    /**
     * Each target read as its kind's executor will read it, so that a mistake fails the cold start naming the
     * field rather than the first request that reaches it. A warehouse target without a warehouse would end
     * {@code NOT_SUPPORTED} and its data would stay: that is a mistake too. The CDK app checks the document it deploys
     * with this too, so that the mistake fails synthesis.
     */
    public static void checkTargets(PrivacyConfig privacy, WarehouseEnvironment.Kind warehouse, String variable) {
        for (Target target : privacy.targets()) {
            try {
                switch (target.kind()) {
                    case S3_ARCHIVE -> ArchiveTarget.from(target);
                    case WEBHOOK -> WebhookConfig.from(target);
                    case WAREHOUSE -> {
                        WarehouseTargetConfig.of(target);
                        if (warehouse == WarehouseEnvironment.Kind.NONE) {
                            throw new IllegalStateException("targets[" + target.name() + "] is a WAREHOUSE target, "
                                    + "but " + WAREHOUSE + " is none: set it to redshift or jdbc");
                        }
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                // InvalidConfigException is an IllegalStateException; the archive's checks throw IllegalArgumentException
                throw new IllegalStateException(variable + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "WorkerConfig[table=" + table + ", keySecretId=" + keySecretId + ", recordRetention=" + recordRetention
                + ", targets=" + privacy.targets().stream().map(Target::name).toList() + ", workQueueUrl="
                + workQueueUrl + ", deadLetterQueueUrl=" + deadLetterQueueUrl + ", lease=" + lease + ", warehouse="
                + warehouse + ", redshift=" + redshift + ", jdbc=" + jdbc + ", archivePass=" + archivePass + "]";
    }
}
