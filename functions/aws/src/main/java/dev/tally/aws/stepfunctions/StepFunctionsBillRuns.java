package dev.tally.aws.stepfunctions;

import dev.tally.delivery.DistributedRun;
import dev.tally.delivery.DistributedRuns;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * The distributed rollups of bills in many parts as executions of a Step Functions state machine (the CDK's
 * {@code DistributedRollup}): one per delivery, named by {@link DistributedRun#executionName()}, its input the run's
 * JSON (bill keys and counts, nothing personal; it stays in the execution history). Step Functions starts one
 * execution per name: a second start of a delivery, whatever its input, is {@code ExecutionAlreadyExists}, and starts
 * nothing.
 */
public final class StepFunctionsBillRuns implements DistributedRuns {
    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsBillRuns(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public boolean start(DistributedRun run) {
        try {
            sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(run.executionName())
                    .input(run.toJson().toString()));
            return true;
        } catch (ExecutionAlreadyExistsException started) {
            return false;
        }
    }
}
