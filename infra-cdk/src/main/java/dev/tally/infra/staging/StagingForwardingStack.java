package dev.tally.infra.staging;

import dev.tally.infra.history.HistoryEventPatterns;
import dev.tally.infra.messaging.Queues;
import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.EventBusProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.List;

/**
 * One staging account's part of the history: rules with the history's own patterns ({@link HistoryEventPatterns})
 * that put the account's ECS events and instance terminations on the production account's history bus, where the history stack's rules
 * take them as they take the production account's (its bus policy lets exactly the configured staging accounts put
 * events). Each rule's target has the role the CDK creates for it ({@code events:PutEvents} on that bus alone; a role
 * of this account, no cross-account assumption) and a dead-letter queue for what EventBridge could not deliver.
 *
 * <p>Volume calls are not forwarded ({@link HistoryEventPatterns#FORWARDED} says why): the production reconciler
 * would end every staging attachment at its next run. ECS tasks of another account it leaves alone.
 */
public final class StagingForwardingStack extends Stack {
    private final String productionBusArn;
    private final Queue deadLetters;

    /** @param props its env is the staging account, in the production region */
    public StagingForwardingStack(Construct scope, String id, StackProps props, String productionAccount,
                                  String productionRegion) {
        super(scope, id, props);
        productionBusArn = HistoryEventPatterns.busArn(getPartition(), productionAccount, productionRegion);
        IEventBus productionBus = EventBus.fromEventBusArn(this, "ProductionBus", productionBusArn);
        deadLetters = Queues.deadLetterQueue(this, "ForwardingDeadLetters");
        Nag.suppress(deadLetters, "AwsSolutions-SQS3", "This is the dead-letter queue of the forwarding rules' target "
                + "(EventBridge), which cdk-nag does not recognize as one");
        for (HistoryEventPatterns.Named pattern : HistoryEventPatterns.FORWARDED) {
            Rule.Builder.create(this, pattern.id())
                    .description("Forwarded to the production history bus: " + pattern.description())
                    .eventPattern(pattern.pattern())
                    .targets(List.of(new software.amazon.awscdk.services.events.targets.EventBus(productionBus,
                            EventBusProps.builder().deadLetterQueue(deadLetters).build())))
                    .build();
        }
    }

    /** The production history bus the rules put the events on. */
    public String productionBusArn() {
        return productionBusArn;
    }

    /** Where an event goes that EventBridge could not put on the production bus. */
    public Queue deadLetters() {
        return deadLetters;
    }
}
