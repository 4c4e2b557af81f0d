package dev.tally.infra.billing;

import dev.tally.delivery.DistributedRun;
import dev.tally.functions.billing.BillMergeHandler;
import dev.tally.functions.billing.BillPartHandler;
import dev.tally.functions.billing.BillingConfig;
import dev.tally.infra.Deployment;
import dev.tally.infra.config.BillingSection;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.DistributedMap;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.S3JsonItemReader;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The distributed rollup (docs/billing-function.md, "Bills beyond one function"), with {@code billing.distributedRollup}:
 * a state machine whose Distributed Map reads the run's parts list from the output bucket (the billing function wrote
 * it, {@link DistributedRun#PARTS_KEY}), hands each part with the run to the part function ({@link BillPartHandler},
 * {@code maxConcurrency} at once), then gives the run to the merge function ({@link BillMergeHandler}), which
 * completes it as the billing function would. The billing function starts the executions
 * ({@code DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN}) for manifests of at least {@code minParts} parts. Both steps are
 * retried — every step is idempotent — and any part that still fails fails the execution (the monitoring stack
 * alarms on it; redriving the execution finishes it).
 */
final class DistributedRollup extends Construct {
    /** A part is one function's worth of a bill, read as the billing function reads one (CPU-bound, a large heap). */
    static final int MEMORY_MB = BillingStack.MEMORY_MB;
    static final Duration TIMEOUT = BillingStack.TIMEOUT;
    /** Longer than a run of {@value BillingSection.DistributedRollup#MAX_CONCURRENCY} parts can take. */
    static final Duration EXECUTION_TIMEOUT = Duration.hours(12);
    /** Parts' reads and lists are work of one run: kept two weeks, then expired. */
    static final Duration WORK_RETENTION = Duration.days(14);

    private final TallyFunction part;
    private final TallyFunction merge;
    private final StateMachine stateMachine;

    /**
     * @param environment the billing function's environment (before the state machine's ARN is added to it)
     * @param output      the output bucket, where the work goes under {@code <outputPrefix>work/}
     */
    DistributedRollup(Construct scope, String id, Deployment deployment, BillingSection billing,
                      Map<String, String> environment, ITable history, IBucket bills, Bucket output,
                      TallyFunction billingFunction) {
        super(scope, id);
        BillingSection.DistributedRollup config = billing.distributedRollup().orElseThrow();
        part = new TallyFunction(this, "Part", new TallyFunction.Spec(
                "Tally billing: one part of a bill of many parts, read for a distributed rollup",
                deployment.jars().code(FunctionJars.BILLING), BillPartHandler.class, MEMORY_MB, TIMEOUT, environment,
                deployment.logRetention()));
        merge = new TallyFunction(this, "Merge", new TallyFunction.Spec(
                "Tally billing: merges the parts of a distributed rollup and completes its run",
                deployment.jars().code(FunctionJars.BILLING), BillMergeHandler.class, MEMORY_MB, TIMEOUT, environment,
                deployment.logRetention()));
        String work = BillingStack.outputPrefix(billing) + "work/";
        output.addLifecycleRule(LifecycleRule.builder().prefix(work).expiration(WORK_RETENTION)
                .noncurrentVersionExpiration(Duration.days(1)).build());
        history.grantReadData(part.function());
        bills.grantRead(part.function(), billing.prefix() + "*");
        output.grantPut(part.function(), work + "*");
        String billsArn = billing.billBucketName().map(name -> "arn:<AWS::Partition>:s3:::" + name)
                .orElseGet(() -> Nag.arn(bills));
        part.acceptWildcards("A part function reads one bill part under the notification prefix (GetObject and "
                        + "GetObjectVersion for reads pinned to a version, ListBucket to tell a missing key from a "
                        + "denied one), writes its read under the output prefix's work/ (Abort for multipart puts), "
                        + "and loads the history through the index gsi1",
                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:Abort*",
                "Resource::" + billsArn + "/" + billing.prefix() + "*",
                "Resource::" + Nag.arn(output) + "/" + work + "*", Nag.tableIndexes(history));

        stateMachine = stateMachine(Stack.of(this), deployment, config, output);
        billingFunction.function().addEnvironment(BillingConfig.DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN,
                stateMachine.getStateMachineArn());
        billingFunction.function().addEnvironment(BillingConfig.DISTRIBUTED_MIN_PARTS,
                String.valueOf(config.minParts()));
        stateMachine.grantStartExecution(billingFunction.function());
        acceptWildcards(output);
    }

    private StateMachine stateMachine(Stack stack, Deployment deployment, BillingSection.DistributedRollup config,
                                      IBucket output) {
        LambdaInvoke readPart = LambdaInvoke.Builder.create(this, "ReadPart")
                .stateName("ReadPart")
                .comment("reads one part of the bill and writes its read beside the parts list")
                .lambdaFunction(part.function())
                .payloadResponseOnly(true)
                .build();
        readPart.addRetry(retryAnyTaskFailure());
        DistributedMap parts = DistributedMap.Builder.create(this, "Parts")
                .stateName("Parts")
                .comment("every part of the bill, in the order of the parts list")
                .itemReader(S3JsonItemReader.Builder.create().bucket(output)
                        .key(JsonPath.stringAt("$." + DistributedRun.PARTS_KEY)).build())
                .itemSelector(Map.of(BillPartHandler.RUN, JsonPath.objectAt("$"),
                        BillPartHandler.PART, JsonPath.objectAt("$$.Map.Item.Value")))
                .maxConcurrency(config.maxConcurrency())
                .toleratedFailurePercentage(0)
                .resultPath(JsonPath.DISCARD)
                .label("Parts")
                .build();
        parts.itemProcessor(readPart);
        LambdaInvoke mergeParts = LambdaInvoke.Builder.create(this, "MergeParts")
                .stateName("Merge")
                .comment("merges the parts' reads and completes the run as the billing function does")
                .lambdaFunction(merge.function())
                .payloadResponseOnly(true)
                .build();
        mergeParts.addRetry(retryAnyTaskFailure());
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(deployment.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        return StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(stack.getStackName() + "-distributed-rollup")
                .comment("Tally: the distributed rollup of one bill delivery of many parts")
                .definitionBody(DefinitionBody.fromChainable(parts.next(mergeParts)))
                .timeout(EXECUTION_TIMEOUT)
                .tracingEnabled(true)
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(false).build())
                .build();
    }

    /**
     * Every task failure is tried again (after Lambda's own transient errors, which the task retries first): a part
     * or a merge is idempotent, and what fails in them is mostly S3, DynamoDB or the warehouse for a moment.
     */
    private static RetryProps retryAnyTaskFailure() {
        return RetryProps.builder().errors(List.of("States.TaskFailed")).interval(Duration.seconds(30))
                .maxAttempts(2).backoffRate(2).build();
    }

    /** The wildcards of the state machine's grants (the CDK's, for the map, its item reader and its tasks). */
    private void acceptWildcards(IBucket output) {
        Nag.suppress(stateMachine.getRole().getNode().findChild("DefaultPolicy"), "AwsSolutions-IAM5", "The item "
                        + "reader reads the parts list whose key each execution's input names (the billing function "
                        + "writes it under the output prefix's work/); the functions are invoked by their "
                        + "version-qualified ARNs; log delivery and X-Ray take no resource-level permissions",
                "Resource::*", "Resource::" + Nag.arn(part.function()) + ":*",
                "Resource::" + Nag.arn(merge.function()) + ":*",
                "Resource::arn:<AWS::Partition>:s3:::" + Nag.ref(output) + "/*");
        Nag.suppress(stateMachine.getNode().findChild("DistributedMapPolicy"), "AwsSolutions-IAM5", "A Distributed "
                        + "Map manages the child executions it starts of its own state machine by their ARNs, which "
                        + "end in names Step Functions makes",
                RegexAppliesTo.builder().regex("/^Resource::arn:<AWS::Partition>:states:[^:]+:[^:]+:execution:.*"
                        + Nag.logicalId(stateMachine) + ".*:\\*$/").build());
    }

    TallyFunction part() {
        return part;
    }

    TallyFunction merge() {
        return merge;
    }

    StateMachine stateMachine() {
        return stateMachine;
    }
}
