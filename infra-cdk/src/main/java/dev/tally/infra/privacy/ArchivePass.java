package dev.tally.infra.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.stepfunctions.StepFunctionsArchivePass;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import dev.tally.functions.privacy.worker.ArchiveSliceHandler;
import dev.tally.functions.privacy.worker.ArchiveSliceRetryException;
import dev.tally.functions.privacy.worker.WorkerConfig;
import dev.tally.infra.Deployment;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.archive.ArchiveTarget;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

import java.util.List;

/**
 * The distributed archive pass (docs/privacy-archive.md, "Distributed passes"), when {@code privacy.distributedArchivePass}
 * is on: a state machine whose one state is a Distributed Map over the objects under the run's prefix
 * ({@code s3:listObjectsV2} item reader), batches of {@value #KEYS_PER_SLICE} keys handed to the slice function
 * ({@link ArchiveSliceHandler}) with the run's input, slices retried on {@link ArchiveSliceRetryException} and
 * Lambda's transient errors, any slice failing the run, and the slices' outputs written to a results bucket
 * ({@code ResultWriter}) that the work function reads the evidence from. A slice that throws
 * {@code ArchiveSliceFailedException} (or anything else) is not retried: the run fails, and the work function starts
 * the pass again or fails the receipt. The work function starts runs
 * ({@code ARCHIVE_PASS_STATE_MACHINE_ARN}) and no longer reads the archive itself.
 */
final class ArchivePass extends Construct {
    static final int KEYS_PER_SLICE = 100;
    static final int MAX_CONCURRENT_SLICES = 40;
    static final Duration SLICE_TIMEOUT = Duration.minutes(15);
    static final int SLICE_MEMORY_MB = 2048;
    static final String RESULTS_PREFIX = "runs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TallyFunction slices;
    private final StateMachine stateMachine;
    private final Bucket results;
    private final String stateMachineArn;

    ArchivePass(Construct scope, String id, Deployment deployment, PrivacyRecords records, PrivacyWorkers workers,
                PrivacyConfig document) {
        super(scope, id);
        Stack stack = Stack.of(this);
        slices = new TallyFunction(this, "Slice", new TallyFunction.Spec(
                "Tally privacy: one slice (a batch of keys) of a distributed archive pass",
                deployment.jars().code(FunctionJars.PRIVACY_WORKER), ArchiveSliceHandler.class, SLICE_MEMORY_MB,
                SLICE_TIMEOUT, workers.environment(), deployment.logRetention()));
        records.table().grantReadData(slices.function());
        records.keySecret().grantRead(slices.function());
        slices.acceptWildcards("The CDK's read grant on the table covers its indexes; a slice reads a request's "
                + "subjects by its key only", Nag.tableIndexes(records.table()));
        TargetAccess.grantArchives(this, document, slices);

        results = Bucket.Builder.create(this, "Results")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(14)).build()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(false)
                .build();
        Nag.suppress(results, "AwsSolutions-S1", "Holds only the counts of map runs (request ids and numbers, no "
                + "personal data) for 14 days; the work function reads them once; server access logs would add "
                + "nothing to the state machine's own execution log");

        String name = stack.getStackName() + "-archive-pass";
        stateMachineArn = "arn:" + stack.getPartition() + ":states:" + stack.getRegion() + ":" + stack.getAccount()
                + ":stateMachine:" + name;
        String executions = "arn:" + stack.getPartition() + ":states:" + stack.getRegion() + ":" + stack.getAccount()
                + ":execution:" + name;
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description("Tally distributed archive pass: lists the archive, runs slices, writes their results")
                .build();
        slices.function().grantInvoke(role);
        results.grantReadWrite(role);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(archiveBuckets(stack, document))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:StartExecution"))
                .resources(List.of(stateMachineArn))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                .resources(List.of(executions + ":*", executions + "/*"))
                .build());
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(deployment.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(name)
                .comment("Tally: one distributed archive pass over the objects under one prefix")
                .definitionBody(DefinitionBody.fromString(definition(slices.function().getFunctionArn(),
                        results.getBucketName())))
                .role(role)
                .tracingEnabled(true)
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(false).build())
                .build();
        Nag.suppress(role.getNode().findChild("DefaultPolicy"), "AwsSolutions-IAM5", "A Distributed Map starts "
                        + "child executions of its own state machine and manages them by their ARNs; the results "
                        + "bucket's objects are the map runs' result files; the slice function is invoked by its "
                        + "version-qualified ARN; log delivery and X-Ray take no resource-level permissions",
                "Resource::*", "Resource::" + Nag.arn(slices.function()) + ":*",
                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*",
                "Action::s3:Abort*", "Resource::" + Nag.arn(results) + "/*",
                RegexAppliesTo.builder()
                        .regex("/^Resource::arn:<AWS::Partition>:states:.*:execution:.*-archive-pass[:/]\\*$/").build());

        TallyFunction work = workers.worker();
        work.function().addEnvironment(WorkerConfig.ARCHIVE_PASS_STATE_MACHINE_ARN, stateMachineArn);
        work.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:StartExecution"))
                .resources(List.of(stateMachineArn))
                .build());
        work.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:DescribeExecution"))
                .resources(List.of(executions + ":*"))
                .build());
        results.grantRead(work.role(), RESULTS_PREFIX + "/*");
        work.acceptWildcards("The work function asks about the executions it started (their ARNs end in a name made "
                        + "at each start) and reads the map runs' result files under " + RESULTS_PREFIX + "/",
                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                "Resource::" + Nag.arn(results) + "/" + RESULTS_PREFIX + "/*",
                RegexAppliesTo.builder()
                        .regex("/^Resource::arn:<AWS::Partition>:states:.*:execution:.*-archive-pass:\\*$/").build());
    }

    /**
     * The state machine (Amazon States Language): the Distributed Map over the run's prefix, as
     * {@link StepFunctionsArchivePass} starts runs and reads their results.
     */
    static String definition(String sliceFunctionArn, String resultsBucket) {
        ObjectNode batchInput = JSON.createObjectNode();
        for (String field : List.of(StepFunctionsArchivePass.BUCKET, StepFunctionsArchivePass.PREFIX,
                StepFunctionsArchivePass.TARGET, StepFunctionsArchivePass.REQUEST_TYPE,
                StepFunctionsArchivePass.SUBJECT_TYPE, StepFunctionsArchivePass.REQUEST_IDS)) {
            batchInput.put(field + ".$", "$." + field);
        }
        ObjectNode slice = JSON.createObjectNode()
                .put("Type", "Task")
                .put("Resource", "arn:aws:states:::lambda:invoke");
        slice.putObject("Parameters").put("FunctionName", sliceFunctionArn).put("Payload.$", "$");
        slice.putObject("ResultSelector")
                .put(StepFunctionsArchivePass.EVIDENCE + ".$", "$.Payload." + StepFunctionsArchivePass.EVIDENCE)
                .put("keys.$", "$.Payload.keys");
        ArrayNode retryOn = JSON.createArrayNode();
        for (Class<?> retryable : List.of(ArchiveSliceRetryException.class)) {
            retryOn.add(retryable.getName()).add(retryable.getSimpleName());
        }
        retryOn.add("Lambda.ServiceException").add("Lambda.AWSLambdaException").add("Lambda.SdkClientException")
                .add("Lambda.TooManyRequestsException");
        ObjectNode retry = slice.putArray("Retry").addObject();
        retry.set("ErrorEquals", retryOn);
        retry.put("IntervalSeconds", 10).put("MaxAttempts", 5).put("BackoffRate", 2.0).put("JitterStrategy", "FULL");
        slice.put("End", true);

        ObjectNode map = JSON.createObjectNode().put("Type", "Map");
        ObjectNode reader = map.putObject("ItemReader").put("Resource", "arn:aws:states:::s3:listObjectsV2");
        reader.putObject("Parameters").put("Bucket.$", "$." + StepFunctionsArchivePass.BUCKET)
                .put("Prefix.$", "$." + StepFunctionsArchivePass.PREFIX);
        ObjectNode batcher = map.putObject("ItemBatcher").put("MaxItemsPerBatch", KEYS_PER_SLICE);
        batcher.set("BatchInput", batchInput);
        map.put("MaxConcurrency", MAX_CONCURRENT_SLICES).put("ToleratedFailurePercentage", 0);
        ObjectNode processor = map.putObject("ItemProcessor");
        processor.putObject("ProcessorConfig").put("Mode", "DISTRIBUTED").put("ExecutionType", "STANDARD");
        processor.put("StartAt", "Slice").putObject("States").set("Slice", slice);
        ObjectNode writer = map.putObject("ResultWriter").put("Resource", "arn:aws:states:::s3:putObject");
        writer.putObject("Parameters").put("Bucket", resultsBucket).put("Prefix", RESULTS_PREFIX);
        map.put("Label", "Slices").put("End", true);

        ObjectNode root = JSON.createObjectNode()
                .put("Comment", "Tally: one distributed archive pass (privacy deletion) over the objects under one "
                        + "prefix; the slices never see a subject id, they open them from the privacy table")
                .put("StartAt", "Slices");
        root.putObject("States").set("Slices", map);
        return root.toString();
    }

    /** The buckets of the document's archive targets (the item reader lists them). */
    private static List<String> archiveBuckets(Stack stack, PrivacyConfig document) {
        return document.targets().stream().filter(t -> t.kind() == TargetKind.S3_ARCHIVE)
                .map(t -> "arn:" + stack.getPartition() + ":s3:::" + ArchiveTarget.from(t).bucket())
                .distinct().toList();
    }

    TallyFunction slices() {
        return slices;
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    Bucket results() {
        return results;
    }
}
