package dev.tally.history;

/**
 * One fact about ECS tasks, container instances or EBS volumes, taken from an event.
 * Facts are merged by {@link HistoryBuilder} so that duplicates and any delivery order give the
 * same history.
 */
public sealed interface HistoryEvent
        permits HistoryEvent.TaskStateChange, HistoryEvent.ContainerInstanceChange,
        HistoryEvent.VolumeCall, HistoryEvent.InstanceTerminated {

    /**
     * What an ECS Task State Change event says about a task. Any field may be absent (null): events
     * carry what they know at that moment, and {@code version} decides between events that disagree.
     *
     * @param cpu           task-level CPU units, null if the event has none
     * @param containersCpu sum of the containers' CPU units, null if the event lists no containers
     */
    record TaskStateChange(
            String taskArn,
            long version,
            String clusterArn,
            String group,
            String containerInstanceArn,
            Integer cpu,
            Integer containersCpu,
            Long startedAt,
            Long stoppedAt) implements HistoryEvent {
    }

    /** An ECS container instance and the EC2 instance it runs on. */
    record ContainerInstanceChange(String containerInstanceArn, long version, String ec2InstanceId)
            implements HistoryEvent {
    }

    /** A successful CloudTrail {@code AttachVolume} or {@code DetachVolume} call. */
    record VolumeCall(String volumeId, Kind kind, long at, String instanceId) implements HistoryEvent {
        public enum Kind { DETACH, ATTACH }
    }

    /** An EC2 instance entered the {@code terminated} state. */
    record InstanceTerminated(String instanceId, long at) implements HistoryEvent {
    }
}
