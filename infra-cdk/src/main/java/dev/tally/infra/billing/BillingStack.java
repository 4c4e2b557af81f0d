package dev.tally.infra.billing;

import dev.tally.billing.CostBasis;
import dev.tally.delivery.RollupOutputs;
import dev.tally.functions.billing.BillingConfig;
import dev.tally.functions.billing.BillingRollupHandler;
import dev.tally.infra.Deployment;
import dev.tally.infra.config.BillingSection;
import dev.tally.infra.data.DynamoTables;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.messaging.Queues;
import dev.tally.infra.nag.Nag;
import dev.tally.infra.warehouse.DataApiAccess;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bills in, rollups out (docs/billing-function.md): the bill bucket's notifications for deliveries (manifests and
 * DBR zips under the configured prefix) invoke the billing function, which keeps its once-per-delivery decisions in
 * the deliveries table, reads the history, writes runs and finalized tables to the output bucket (with Glue tables
 * over them), and loads them into Redshift when a warehouse is configured; with {@code billing.distributedRollup}, bills
 * of many parts are rolled up by the {@link DistributedRollup} state machine instead.
 *
 * <p>No SnapStart for the billing function: S3 invokes it asynchronously and a run takes minutes, so a cold start
 * of a few seconds delays nobody, and a snapshot would hold the SDK clients and stores built at init.
 */
public final class BillingStack extends Stack {
    /** The service these resources belong to, in the areas file. */
    public static final String SERVICE = "tally-billing";
    /** docs/billing-function.md "Sizing": CPU-bound, about 1.7 vCPUs and a heap over 2 GB. */
    static final int MEMORY_MB = 3008;
    /** Lambda's maximum; a 6M-row month takes one to two minutes. */
    static final Duration TIMEOUT = Duration.minutes(15);
    /** Nothing is written to /tmp: Lambda's default. */
    static final Size EPHEMERAL_STORAGE = Size.mebibytes(512);
    /** A claimed delivery is held longer than an invocation can run. */
    static final Duration DELIVERY_LEASE = Duration.minutes(TIMEOUT.toMinutes().intValue() + 5);

    private final Table deliveries;
    private final TallyFunction function;
    private final IBucket billBucket;
    private final RollupBuckets buckets;
    private final Queue deadLetters;
    private final Optional<DistributedRollup> distributed;
    private final Optional<SpendAlerts> alerts;

    public BillingStack(Construct scope, String id, StackProps props, Deployment deployment, ITable history) {
        super(scope, id, props);
        BillingSection billing = deployment.config().billing();
        buckets = new RollupBuckets(this, "Rollups");
        billBucket = BillBucket.of(this, "BillBucket", billing, buckets.accessLogs());
        deliveries = DynamoTables.deliveries(this, "Deliveries");
        alerts = billing.alerts().map(config -> new SpendAlerts(this, "SpendAlerts", config));

        Map<String, String> environment = environment(deployment, history);
        function = new TallyFunction(this, "BillingRollup", new TallyFunction.Spec(
                "Tally billing rollup: rolls a delivered bill up into S3 and the warehouse",
                deployment.jars().code(FunctionJars.BILLING), BillingRollupHandler.class, MEMORY_MB, TIMEOUT,
                environment, deployment.logRetention()), billing.reservedConcurrency(), EPHEMERAL_STORAGE);
        grant(function, history, billing);
        distributed = billing.distributedRollup().map(config -> new DistributedRollup(this, "DistributedRollup",
                deployment, billing, environment, history, billBucket, buckets.output(), function));
        distributed.ifPresent(rollup -> {
            grant(rollup.merge(), history, billing);
            DataApiAccess.grant(rollup, billing.warehouse(), rollup.merge().role());
        });

        deadLetters = Queues.deadLetterQueue(this, "DeadLetters");
        Nag.suppress(deadLetters, "AwsSolutions-SQS3", "This is the dead-letter queue of the function's asynchronous "
                + "invocations (an on-failure destination), which cdk-nag does not recognize as one");
        function.function().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(deadLetters))
                .build());
        for (String suffix : billing.suffixes()) {
            NotificationKeyFilter.Builder filter = NotificationKeyFilter.builder().suffix(suffix);
            if (!billing.prefix().isEmpty()) {
                filter.prefix(billing.prefix());
            }
            billBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(function.function()),
                    filter.build());
        }
        acceptNotificationsHandlerRole();

        new RollupGlueTables(this, "Glue", billing.glueDatabase(), buckets.output(), outputPrefix(billing),
                billing.costBases());
        WarehouseAccess.grant(this, billing.warehouse(), function, buckets.output(),
                outputPrefix(billing) + "rollups/*");
    }

    private Map<String, String> environment(Deployment deployment, ITable history) {
        BillingSection billing = deployment.config().billing();
        Map<String, String> env = new HashMap<>();
        env.put(BillingConfig.OUTPUT_BUCKET, buckets.output().getBucketName());
        env.put(BillingConfig.OUTPUT_PREFIX, outputPrefix(billing));
        env.put(BillingConfig.DELIVERIES_TABLE, deliveries.getTableName());
        env.put(BillingConfig.HISTORY_TABLE, history.getTableName());
        env.put(BillingConfig.RETENTION_DAYS, String.valueOf(deployment.config().history().retentionDays()));
        env.put(BillingConfig.TAG_KEY, deployment.config().tagKey());
        env.put(BillingConfig.LEASE_MINUTES, String.valueOf(DELIVERY_LEASE.toMinutes()));
        env.put(BillingConfig.LEDGER_RETENTION_DAYS, String.valueOf(deployment.config().history().retentionDays()));
        env.put(BillingConfig.COST_BASES, String.join(",", billing.costBases().stream().map(CostBasis::id).toList()));
        env.put(BillingConfig.ECS_SPLIT, billing.ecsSplit().id());
        billing.upfrontLedgerKey().ifPresent(key -> env.put(BillingConfig.UPFRONT_LEDGER_KEY, key));
        billing.businessMetricsKey().ifPresent(key -> env.put(BillingConfig.BUSINESS_METRICS_KEY, key));
        env.putAll(WarehouseAccess.environment(billing.warehouse()));
        alerts.ifPresent(spend -> env.putAll(spend.environment()));
        return env;
    }

    /** What completing a run needs: the billing function's grants, and the merge function's of a distributed rollup. */
    private void grant(TallyFunction function, ITable history, BillingSection billing) {
        alerts.ifPresent(spend -> spend.grant(function));
        deliveries.grantReadWriteData(function.function());
        history.grantReadData(function.function());
        billBucket.grantRead(function.function(), billing.prefix() + "*");
        buckets.output().grantRead(function.function(), outputPrefix(billing) + "*");
        buckets.output().grantPut(function.function(), outputPrefix(billing) + "*");
        String bills = billing.billBucketName().map(name -> "arn:<AWS::Partition>:s3:::" + name)
                .orElseGet(() -> Nag.arn(billBucket));
        function.acceptWildcards("The function reads the bills under the notification prefix (a manifest's parts "
                        + "are any keys there; GetObject and GetObjectVersion for reads pinned to a version, ListBucket to "
                        + "tell a missing key from a denied one), reads and writes its runs and tables under the output "
                        + "prefix (Abort for multipart puts), and loads the history through the index gsi1",
                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:Abort*",
                "Resource::" + bills + "/" + billing.prefix() + "*",
                "Resource::" + Nag.arn(buckets.output()) + "/" + outputPrefix(billing) + "*",
                Nag.tableIndexes(history));
    }

    /**
     * The CDK's bucket-notifications function (one per stack, the only way to add notifications to a bucket the
     * stack may not own) logs with Lambda's basic execution role.
     */
    private void acceptNotificationsHandlerRole() {
        for (IConstruct child : getNode().getChildren()) {
            if (child.getNode().getId().startsWith("BucketNotificationsHandler")) {
                Nag.suppress(child.getNode().findChild("Role"), "AwsSolutions-IAM4", "The CDK's bucket-notifications "
                                + "function logs with the basic execution role; it may only put this bucket's notifications",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
            }
        }
    }

    /** The output prefix as the function uses it: empty, or ending in {@code /}. */
    static String outputPrefix(BillingSection billing) {
        String prefix = billing.outputPrefix();
        return RollupOutputs.keyPrefix(prefix);
    }

    public TallyFunction function() {
        return function;
    }

    public Table deliveries() {
        return deliveries;
    }

    public IBucket outputBucket() {
        return buckets.output();
    }

    public Queue deadLetters() {
        return deadLetters;
    }

    /** Every function of the stack, for the alarms. */
    public List<TallyFunction> functions() {
        List<TallyFunction> all = new ArrayList<>(List.of(function));
        distributed.ifPresent(rollup -> all.addAll(List.of(rollup.part(), rollup.merge())));
        return List.copyOf(all);
    }

    /** The distributed rollup's state machine, with {@code billing.distributedRollup}, for its alarm. */
    public Optional<StateMachine> distributedRollupStateMachine() {
        return distributed.map(DistributedRollup::stateMachine);
    }

    /** The spend alerts' topic, with {@code billing.alerts}. */
    public Optional<software.amazon.awscdk.services.sns.Topic> spendAlertsTopic() {
        return alerts.map(SpendAlerts::topic);
    }

    /** Every dead-letter queue of the stack, for the alarms. */
    public List<IQueue> deadLetterQueues() {
        return List.of(deadLetters);
    }
}
