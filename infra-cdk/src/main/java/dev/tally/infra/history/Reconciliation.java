package dev.tally.infra.history;

import dev.tally.functions.reconciler.ReconcilerConfig;
import dev.tally.functions.reconciler.ReconcilerHandler;
import dev.tally.infra.Deployment;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.messaging.Queues;
import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The reconciler on a schedule: it lists what ECS and EC2 report now and fills the history's gaps (events lost or
 * never sent), and keeps long-lived facts from expiring. A failed run is retried by EventBridge, then lands in a
 * dead-letter queue.
 *
 * <p>No SnapStart: the run is scheduled, so a cold start costs nobody a wait, and the snapshot would hold the SDK
 * clients built at init.
 */
final class Reconciliation extends Construct {
    static final Duration TIMEOUT = Duration.minutes(10);
    static final int MEMORY_MB = 1024;

    private final TallyFunction function;
    private final Queue deadLetters;

    Reconciliation(Construct scope, String id, Deployment deployment, ITable table) {
        super(scope, id);
        function = new TallyFunction(this, "Reconciler", new TallyFunction.Spec(
                "Tally reconciler: fills the ECS/EBS history from what ECS and EC2 report",
                deployment.jars().code(FunctionJars.RECONCILER), ReconcilerHandler.class, MEMORY_MB, TIMEOUT,
                Map.of(ReconcilerConfig.TABLE, table.getTableName(),
                        ReconcilerConfig.RETENTION_DAYS, String.valueOf(deployment.config().history().retentionDays())),
                deployment.logRetention()));
        table.grantReadWriteData(function.function());
        function.acceptWildcards("The history is loaded through the table's index gsi1 (docs/history-store.md)",
                Nag.tableIndexes(table));
        inventoryPolicy();

        deadLetters = Queues.deadLetterQueue(this, "DeadLetters");
        Nag.suppress(deadLetters, "AwsSolutions-SQS3", "This is the dead-letter queue of the schedule's target "
                + "(EventBridge), which cdk-nag does not recognize as one");
        Rule.Builder.create(this, "Schedule")
                .description("Runs the Tally reconciler")
                .schedule(Schedule.rate(Duration.hours(deployment.config().history().reconcileEveryHours())))
                .targets(List.of(LambdaFunction.Builder.create(function.function())
                        .retryAttempts(2)
                        .maxEventAge(Duration.hours(1))
                        .deadLetterQueue(deadLetters)
                        .build()))
                .build();
    }

    /** What the reconciler lists and describes: ECS clusters, tasks and container instances, and EBS volumes. */
    private void inventoryPolicy() {
        Stack stack = Stack.of(this);
        String ecs = "arn:" + stack.getPartition() + ":ecs:" + stack.getRegion() + ":" + stack.getAccount() + ":";
        Policy policy = Policy.Builder.create(this, "Inventory").statements(List.of(
                PolicyStatement.Builder.create()
                        .actions(List.of("ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListContainerInstances",
                                "ecs:DescribeContainerInstances"))
                        .resources(List.of(ecs + "cluster/*", ecs + "task/*", ecs + "container-instance/*"))
                        .build(),
                PolicyStatement.Builder.create()
                        .actions(List.of("ecs:ListClusters", "ec2:DescribeVolumes"))
                        .resources(List.of("*"))
                        .build())).build();
        policy.attachToRole(function.role());
        String nagEcs = "Resource::arn:<AWS::Partition>:ecs:" + stack.getRegion() + ":" + stack.getAccount() + ":";
        Nag.suppress(policy, "AwsSolutions-IAM5", "The reconciler reads every ECS cluster, task and container instance "
                        + "of the account and region; ecs:ListClusters and ec2:DescribeVolumes take no resource-level "
                        + "permissions", "Resource::*", nagEcs + "cluster/*", nagEcs + "task/*",
                nagEcs + "container-instance/*");
    }

    TallyFunction function() {
        return function;
    }

    Queue deadLetters() {
        return deadLetters;
    }
}
