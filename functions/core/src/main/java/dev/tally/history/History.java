package dev.tally.history;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to ECS tasks, container instances and EBS volumes, independent of any billing
 * period: merged tasks, container instance to EC2 instance, each volume's successful attach/detach
 * calls in time order, and the instant each terminated instance went away.
 */
public final class History {
    private final Map<String, EcsTask> tasksByArn;
    private final Map<String, String> ec2ByContainerInstance;
    private final Map<String, List<HistoryEvent.VolumeCall>> volumeCalls;
    private final Map<String, Long> terminations;

    History(Map<String, EcsTask> tasksByArn,
            Map<String, String> ec2ByContainerInstance,
            Map<String, List<HistoryEvent.VolumeCall>> volumeCalls,
            Map<String, Long> terminations) {
        this.tasksByArn = Collections.unmodifiableMap(tasksByArn);
        this.ec2ByContainerInstance = Collections.unmodifiableMap(ec2ByContainerInstance);
        this.volumeCalls = Collections.unmodifiableMap(volumeCalls);
        this.terminations = Collections.unmodifiableMap(terminations);
    }

    public static History empty() {
        return new HistoryBuilder().build();
    }

    /** Tasks by ARN (in no particular order). */
    public Map<String, EcsTask> tasks() {
        return tasksByArn;
    }

    /** EC2 instance id by container instance id (the last part of the container instance ARN). */
    public Map<String, String> ec2ByContainerInstance() {
        return ec2ByContainerInstance;
    }

    /** Successful attach/detach calls per volume, ordered by time (detach before attach at one instant). */
    public Map<String, List<HistoryEvent.VolumeCall>> volumeCalls() {
        return volumeCalls;
    }

    /** Earliest termination instant per EC2 instance. */
    public Map<String, Long> terminations() {
        return terminations;
    }

    /**
     * This history without the tasks that cannot matter to {@code period}: those that stopped before
     * it began, or started after it ended. Container instances, volume calls and terminations are
     * kept whole (an attachment of the period may have begun long before it). Stores return at least
     * this much; comparing two stores' histories through this view ignores what they were free to add.
     */
    public History relevantTo(YearMonth period) {
        long start = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        long end = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        Map<String, EcsTask> tasks = new java.util.HashMap<>();
        tasksByArn.forEach((arn, task) -> {
            if (isRelevant(task, start, end)) {
                tasks.put(arn, task);
            }
        });
        return new History(tasks, ec2ByContainerInstance, volumeCalls, terminations);
    }

    /**
     * A task matters to [start, end) if it ran in it, or never started and had not stopped before it
     * (rule 2 knows tasks by ARN even when they have no interval).
     */
    public static boolean isRelevant(EcsTask task, long start, long end) {
        Long started = task.startedAt();
        Long stopped = task.stoppedAt();
        if (started == null) {
            return stopped == null || stopped >= start;
        }
        return started < end && (stopped == null || stopped > start);
    }

    /** The EC2 instance a task ran on, or null (Fargate, or its container instance is unknown). */
    public String ec2InstanceOf(EcsTask task) {
        return task.containerInstanceId() == null ? null : ec2ByContainerInstance.get(task.containerInstanceId());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof History h
                && tasksByArn.equals(h.tasksByArn)
                && ec2ByContainerInstance.equals(h.ec2ByContainerInstance)
                && volumeCalls.equals(h.volumeCalls)
                && terminations.equals(h.terminations);
    }

    @Override
    public int hashCode() {
        return tasksByArn.hashCode() * 31 + volumeCalls.hashCode();
    }

    @Override
    public String toString() {
        return "History[" + tasksByArn.size() + " tasks, " + ec2ByContainerInstance.size() + " container instances, "
                + volumeCalls.size() + " volumes, " + terminations.size() + " terminations]";
    }
}
