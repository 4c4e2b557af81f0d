package dev.tally.functions.billing;

import dev.tally.allocation.ProductAreaStore;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.Environment;
import dev.tally.aws.dynamodb.DynamoDbDeliveryLedger;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.aws.dynamodb.DynamoDbProductAreaStore;
import dev.tally.aws.redshift.DataApiTarget;
import dev.tally.aws.redshift.DataApiWarehouse;
import dev.tally.aws.redshift.JdbcWarehouse;
import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.aws.redshift.WarehouseSql;
import dev.tally.aws.s3.S3ObjectStore;
import dev.tally.aws.secrets.SecretsManagerSecretSource;
import dev.tally.aws.sns.SnsAlertSink;
import dev.tally.aws.stepfunctions.StepFunctionsBillRuns;
import dev.tally.delivery.DeliveryLedger;
import dev.tally.delivery.DeliveryProcessor;
import dev.tally.delivery.DistributedRollups;
import dev.tally.delivery.Distribution;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.Warehouse;
import dev.tally.history.HistoryStore;
import dev.tally.rollup.RollupRunner;
import dev.tally.runtime.Bootstrap;
import dev.tally.runtime.CountMetrics;
import dev.tally.spend.AlertSink;
import dev.tally.spend.RunReports;
import dev.tally.spend.WebhookAlertSink;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the billing function needs, built once per execution environment ({@link Bootstrap}): one HTTP
 * client; the S3, DynamoDB and (for Redshift) Data API clients — and Step Functions' with a distributed rollup; the
 * stores, the ledger, the warehouse, the processor and the distributed rollups' steps. The warehouse is configured by {@link BillingConfig#WAREHOUSE}: for {@code redshift} the
 * {@link DataApiTarget} variables and {@value #COPY_ROLE} (the role Redshift reads the run's tables from
 * S3 with); for {@code jdbc} (local runs) {@value #JDBC_URL}, {@value #JDBC_USER}, {@value #JDBC_PASSWORD}.
 */
final class BillingDependencies {
    static final String COPY_ROLE = BillingConfig.COPY_ROLE_ARN;
    static final String SCHEMA = "WAREHOUSE_SCHEMA";
    static final String JDBC_URL = WarehouseEnvironment.JDBC_URL;
    static final String JDBC_USER = WarehouseEnvironment.JDBC_USER;
    static final String JDBC_PASSWORD = WarehouseEnvironment.JDBC_PASSWORD;

    private static final Bootstrap<BillingDependencies> BOOTSTRAP = new Bootstrap<>(BillingDependencies::new);

    private final DeliveryProcessor processor;
    private final DistributedRollups rollups;
    private final BillingMetrics metrics;
    private final SpendReportStep reports;

    private BillingDependencies(Map<String, String> env) {
        BillingConfig config = BillingConfig.fromEnvironment(env);
        AwsConfig aws = AwsConfig.fromEnvironment(env);
        SdkHttpClient http = AwsClients.httpClient();
        DynamoDbClient dynamo = AwsClients.dynamoDb(aws, http);
        ObjectStore store = new S3ObjectStore(AwsClients.s3(aws, http));
        Clock clock = Clock.systemUTC();
        DeliveryLedger ledger = new DynamoDbDeliveryLedger(dynamo, config.deliveries(), config.ledgerRetention(), clock);
        HistoryStore history = new DynamoDbHistoryStore(dynamo, config.historyTable(), config.retention(), clock);
        ProductAreaStore areas = new DynamoDbProductAreaStore(dynamo, config.historyTable());
        Warehouse warehouse = warehouse(config, env, aws, http, store);
        DeliveryProcessor.Settings settings = new DeliveryProcessor.Settings(config.outputBucket(),
                config.outputPrefix(), config.tagKey(), config.lease(), RollupRunner.Engine.FAST, config.costBases(),
                config.upfrontLedgerKey(), config.ecsSplit());
        // Bills of many parts go to the distributed rollup's state machine when one is configured.
        Optional<Distribution> distribution = config.distributedRollup().map(arn -> new Distribution(
                new StepFunctionsBillRuns(AwsClients.sfn(aws, http), arn), config.distributedMinParts()));
        processor = new DeliveryProcessor(store, ledger, history, areas, warehouse, settings, clock, distribution);
        rollups = new DistributedRollups(store, ledger, history, areas, warehouse, settings, clock);
        metrics = new BillingMetrics(BOOTSTRAP.metrics(BillingMetrics.SERVICE));
        reports = new SpendReportStep(new RunReports(store, config.outputBucket(), config.outputPrefix(),
                config.costBases().get(0).id(), config.alerts().map(AlertSettings::rules),
                alertSinks(config, aws, http), config.metricsKey(), clock), metrics);
    }

    /** The channels of the spend alerts: the SNS topic, and the webhook whose URL is kept in Secrets Manager. */
    private static List<AlertSink> alertSinks(BillingConfig config, AwsConfig aws, SdkHttpClient http) {
        List<AlertSink> sinks = new ArrayList<>();
        config.alerts().ifPresent(alerts -> {
            alerts.topicArn().ifPresent(arn -> sinks.add(new SnsAlertSink(AwsClients.sns(aws, http), arn)));
            alerts.webhookSecretId().ifPresent(id -> {
                String url = new SecretsManagerSecretSource(AwsClients.secretsManager(aws, http)).secret(id).trim();
                try {
                    sinks.add(new WebhookAlertSink(URI.create(url)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("the secret " + AlertSettings.WEBHOOK_SECRET_ID
                            + " names does not hold an http(s) webhook URL", e);
                }
            });
        });
        return sinks;
    }

    private static Warehouse warehouse(BillingConfig config, Map<String, String> env, AwsConfig aws,
                                       SdkHttpClient http, ObjectStore store) {
        String schema = env.getOrDefault(SCHEMA, WarehouseSql.DEFAULT_SCHEMA).trim();
        return switch (config.warehouse()) {
            case NONE -> Warehouse.NONE;
            case REDSHIFT -> new DataApiWarehouse(AwsClients.redshiftData(aws, http),
                    DataApiTarget.fromEnvironment(env), Environment.required(env, COPY_ROLE),
                    new WarehouseSql(WarehouseSql.Dialect.REDSHIFT, schema));
            case JDBC -> {
                WarehouseEnvironment.Jdbc jdbc = WarehouseEnvironment.jdbc(env);
                yield JdbcWarehouse.at(jdbc.url(), jdbc.user(), jdbc.password(), store,
                        new WarehouseSql(WarehouseSql.Dialect.POSTGRES, schema));
            }
        };
    }

    static BillingDependencies get() {
        return BOOTSTRAP.get();
    }

    /** Dependencies of their own, from an environment (tests build several stacks in one JVM). */
    static BillingDependencies fromEnvironment(Map<String, String> env) {
        return new BillingDependencies(env);
    }

    /** For local runs ({@code tally invoke}, the demo): the environment to read, and where counts go. */
    static void useLocally(Map<String, String> env, CountMetrics metrics) {
        BOOTSTRAP.useLocally(env, metrics);
    }

    DeliveryProcessor processor() {
        return processor;
    }

    /** The part and merge steps of distributed rollups ({@link BillPartHandler}, {@link BillMergeHandler}). */
    DistributedRollups rollups() {
        return rollups;
    }

    BillingMetrics metrics() {
        return metrics;
    }

    /** The spend report written after each run. */
    SpendReportStep reports() {
        return reports;
    }
}
