package dev.tally.history;

/**
 * An ECS task as the history knows it, after merging every event about it.
 *
 * @param taskArn             the task ARN
 * @param cluster             last part of the cluster ARN
 * @param service             the task group without its {@code service:} prefix; other groups whole
 * @param containerInstanceId id part of the container instance ARN, null for Fargate tasks
 * @param cpuUnits            task CPU units, else the containers' sum, else 2 (ECS's minimum share)
 * @param startedAt           epoch millis, null if the task never started
 * @param stoppedAt           epoch millis, null while it runs
 */
public record EcsTask(
        String taskArn,
        String cluster,
        String service,
        String containerInstanceId,
        int cpuUnits,
        Long startedAt,
        Long stoppedAt) {

    /** CPU share ECS gives a task that reserves none. */
    public static final int MINIMUM_CPU_UNITS = 2;

    /** The service of a task group: {@code service:web} is {@code web}; {@code family:batch} stays whole. */
    public static String serviceOf(String group) {
        if (group == null) {
            return "";
        }
        return group.startsWith("service:") ? group.substring("service:".length()) : group;
    }

    /** The last part of an ARN's resource path ({@code arn:...:cluster/prod} is {@code prod}). */
    public static String lastPart(String arn) {
        if (arn == null) {
            return null;
        }
        int slash = arn.lastIndexOf('/');
        return slash >= 0 ? arn.substring(slash + 1) : arn;
    }
}
