package dev.tally.infra.history;

import dev.tally.history.EventParser;
import software.amazon.awscdk.services.events.EventPattern;

import java.util.List;
import java.util.Map;

/**
 * The events the history is built from, as EventBridge patterns as narrow as the handlers' use ({@link EventParser}),
 * written once: the history stack's rules route them to the event functions ({@code HistoryRules}), and each staging
 * account's forwarding stack sends the same events, but for volume calls ({@link #FORWARDED}), to the production bus. The patterns match on source, detail type
 * and detail, never on {@code account}, so an event forwarded from a staging account (its {@code account} is the
 * staging account's) matches the production rules too.
 */
public final class HistoryEventPatterns {
    /**
     * The bus the history's rules listen on: the account's default bus, where AWS services put their events and where
     * the staging accounts' forwarding rules put theirs.
     */
    public static final String BUS = "default";

    /** A rule's construct id, description and pattern (the same in both stacks). */
    public record Named(String id, String description, EventPattern pattern) {
    }

    /** ECS task and container-instance state changes (to the ECS event function). */
    public static final Named ECS_STATE_CHANGES_RULE = new Named("EcsStateChanges",
            "ECS task and container instance state changes for the history", EventPattern.builder()
                    .source(List.of("aws.ecs"))
                    .detailType(List.of(EventParser.TASK_STATE_CHANGE, EventParser.CONTAINER_INSTANCE_STATE_CHANGE))
                    .build());
    /** Successful CloudTrail {@code AttachVolume}/{@code DetachVolume} calls (to the EC2 event function). */
    public static final Named VOLUME_CALLS_RULE = new Named("VolumeCalls",
            "Successful EBS AttachVolume/DetachVolume calls (CloudTrail) for the history", EventPattern.builder()
                    .source(List.of("aws.ec2"))
                    .detailType(List.of(EventParser.CLOUDTRAIL_API_CALL))
                    .detail(Map.of(
                            "eventSource", List.of("ec2.amazonaws.com"),
                            "eventName", List.of("AttachVolume", "DetachVolume"),
                            "errorCode", List.of(Map.of("exists", false))))
                    .build());
    /** EC2 instance terminations, which end volume attachments (to the EC2 event function). */
    public static final Named INSTANCE_TERMINATIONS_RULE = new Named("InstanceTerminations",
            "EC2 instance terminations (they end volume attachments) for the history", EventPattern.builder()
                    .source(List.of("aws.ec2"))
                    .detailType(List.of(EventParser.EC2_STATE_CHANGE))
                    .detail(Map.of("state", List.of("terminated")))
                    .build());

    /** Every pattern of the history, in the order of the history stack's rules. */
    public static final List<Named> ALL = List.of(ECS_STATE_CHANGES_RULE, VOLUME_CALLS_RULE, INSTANCE_TERMINATIONS_RULE);

    /**
     * What a staging account forwards: its ECS state changes and instance terminations, not its volume calls. The
     * production reconciler sees only its own account's volumes, and volume ids carry no account (see
     * {@code Reconciler}'s assumptions): it would end every forwarded attachment at its next run, as lost. Staging
     * volumes are allocated by their tags until the history records the account of a volume call.
     */
    public static final List<Named> FORWARDED = List.of(ECS_STATE_CHANGES_RULE, INSTANCE_TERMINATIONS_RULE);

    /** The ARN of the history's bus in the production account and region. */
    public static String busArn(String partition, String account, String region) {
        return "arn:" + partition + ":events:" + region + ":" + account + ":event-bus/" + BUS;
    }

    private HistoryEventPatterns() {
    }
}
