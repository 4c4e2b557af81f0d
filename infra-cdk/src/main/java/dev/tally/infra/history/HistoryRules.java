package dev.tally.infra.history;

import dev.tally.history.EventParser;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.List;

/**
 * The EventBridge rules on the default bus that feed the history, with the patterns of {@link HistoryEventPatterns}
 * (as narrow as the handlers' use, {@link EventParser}); they match the events of the staging accounts forwarded to
 * this bus as well: ECS task and container-instance state changes to the ECS queue; successful CloudTrail
 * {@code AttachVolume}/{@code DetachVolume} calls and EC2 terminations to the EC2 queue. A delivery EventBridge cannot
 * make goes to the queue's dead-letter queue.
 */
final class HistoryRules extends Construct {
    HistoryRules(Construct scope, String id, IQueue ecsQueue, IQueue ecsDeadLetters, IQueue ec2Queue,
                 IQueue ec2DeadLetters) {
        super(scope, id);
        rule(HistoryEventPatterns.ECS_STATE_CHANGES_RULE, ecsQueue, ecsDeadLetters);
        rule(HistoryEventPatterns.VOLUME_CALLS_RULE, ec2Queue, ec2DeadLetters);
        rule(HistoryEventPatterns.INSTANCE_TERMINATIONS_RULE, ec2Queue, ec2DeadLetters);
    }

    private void rule(HistoryEventPatterns.Named rule, IQueue queue, IQueue deadLetters) {
        Rule.Builder.create(this, rule.id())
                .description(rule.description())
                .eventPattern(rule.pattern())
                .targets(List.of(SqsQueue.Builder.create(queue).deadLetterQueue(deadLetters).build()))
                .build();
    }
}
