package dev.tally.infra.history;

import dev.tally.history.EventParser;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The EventBridge rules on the default bus that feed the history, with patterns as narrow as the handlers' use
 * ({@link EventParser}): ECS task and container-instance state changes to the ECS queue; successful CloudTrail
 * {@code AttachVolume}/{@code DetachVolume} calls and EC2 terminations to the EC2 queue. A delivery EventBridge cannot
 * make goes to the queue's dead-letter queue.
 */
final class HistoryRules extends Construct {
    HistoryRules(Construct scope, String id, IQueue ecsQueue, IQueue ecsDeadLetters, IQueue ec2Queue,
                 IQueue ec2DeadLetters) {
        super(scope, id);
        rule("EcsStateChanges", "ECS task and container instance state changes for the history", EventPattern.builder()
                .source(List.of("aws.ecs"))
                .detailType(List.of(EventParser.TASK_STATE_CHANGE, EventParser.CONTAINER_INSTANCE_STATE_CHANGE))
                .build(), ecsQueue, ecsDeadLetters);
        rule("VolumeCalls", "Successful EBS AttachVolume/DetachVolume calls (CloudTrail) for the history",
                EventPattern.builder()
                        .source(List.of("aws.ec2"))
                        .detailType(List.of(EventParser.CLOUDTRAIL_API_CALL))
                        .detail(Map.of(
                                "eventSource", List.of("ec2.amazonaws.com"),
                                "eventName", List.of("AttachVolume", "DetachVolume"),
                                "errorCode", List.of(Map.of("exists", false))))
                        .build(), ec2Queue, ec2DeadLetters);
        rule("InstanceTerminations", "EC2 instance terminations (they end volume attachments) for the history",
                EventPattern.builder()
                        .source(List.of("aws.ec2"))
                        .detailType(List.of(EventParser.EC2_STATE_CHANGE))
                        .detail(Map.of("state", List.of("terminated")))
                        .build(), ec2Queue, ec2DeadLetters);
    }

    private void rule(String id, String description, EventPattern pattern, IQueue queue, IQueue deadLetters) {
        Rule.Builder.create(this, id)
                .description(description)
                .eventPattern(pattern)
                .targets(List.of(SqsQueue.Builder.create(queue).deadLetterQueue(deadLetters).build()))
                .build();
    }
}
