package dev.tally.functions.reconciler;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * What ECS says now, in the reconciler's terms (no AWS SDK types). The SDK adapter is
 * {@link SdkEcsInventory}; every method may throw a {@link RuntimeException} when the API fails.
 */
public interface EcsInventory {

    /** Every cluster of the account and region (ListClusters, all pages), as ARNs. */
    List<String> clusterArns();

    /** The tasks whose desired status is RUNNING in a cluster (ListTasks, all pages), as ARNs. */
    List<String> runningTaskArns(String cluster);

    /**
     * Describes tasks of one cluster (DescribeTasks, in batches of 100).
     *
     * @param cluster the cluster's name or ARN; null for the {@code default} cluster
     * @return the tasks ECS knows (in any state) and the ARNs it reports {@code MISSING}: stopped long
     *         enough ago to be forgotten (about an hour), or never there. A cluster that does not
     *         exist any more reports all of them missing.
     */
    Descriptions describeTasks(String cluster, Collection<String> taskArns);

    /** The container instances of a cluster (ListContainerInstances + DescribeContainerInstances). */
    List<ContainerInstance> containerInstances(String cluster);

    /**
     * A task as DescribeTasks shows it.
     *
     * @param version       the API's {@code version}: the same counter as the events' {@code detail.version}
     * @param cpu           the task-level CPU as the API writes it ({@code "256"}, {@code "1 vCPU"}), or null
     * @param containersCpu each container's {@code cpu} as written (null entries allowed); empty if none listed
     */
    record Task(String taskArn, long version, String clusterArn, String group, String containerInstanceArn,
                String cpu, List<String> containersCpu, String lastStatus, Instant startedAt, Instant stoppedAt) {
        public Task {
            containersCpu = containersCpu == null ? List.of()
                    : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(containersCpu));
        }
    }

    /** A container instance and the EC2 instance under it, with the API's {@code version}. */
    record ContainerInstance(String containerInstanceArn, long version, String ec2InstanceId) {
    }

    /** The answer of DescribeTasks: the tasks found and the ARNs reported MISSING. */
    record Descriptions(List<Task> tasks, List<String> missing) {
        public Descriptions {
            tasks = List.copyOf(tasks);
            missing = List.copyOf(missing);
        }
    }
}
