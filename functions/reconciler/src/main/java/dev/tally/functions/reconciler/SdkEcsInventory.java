package dev.tally.functions.reconciler;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link EcsInventory} on the ECS API (AWS SDK v2). */
public final class SdkEcsInventory implements EcsInventory {
    /** The most ARNs DescribeTasks and DescribeContainerInstances take at once. */
    static final int DESCRIBE_BATCH = 100;
    /** The reason DescribeTasks gives for a task it does not know (any more). */
    static final String MISSING = "MISSING";
    /** What the API's version would be if a description carried none: ranks as an event without version. */
    private static final long NO_VERSION = -1;

    private final EcsClient ecs;

    public SdkEcsInventory(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public List<String> clusterArns() {
        return ecs.listClustersPaginator(b -> b.maxResults(100)).clusterArns().stream().toList();
    }

    @Override
    public List<String> runningTaskArns(String cluster) {
        return ecs.listTasksPaginator(b -> b.cluster(cluster).desiredStatus(DesiredStatus.RUNNING).maxResults(100))
                .taskArns().stream().toList();
    }

    @Override
    public Descriptions describeTasks(String cluster, Collection<String> taskArns) {
        List<Task> tasks = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (List<String> batch : batches(taskArns)) {
            DescribeTasksResponse response;
            try {
                response = ecs.describeTasks(b -> b.cluster(cluster).tasks(batch));
            } catch (ClusterNotFoundException gone) {
                missing.addAll(batch); // the cluster was deleted, and its tasks with it
                continue;
            }
            response.tasks().forEach(task -> tasks.add(new Task(task.taskArn(),
                    task.version() == null ? NO_VERSION : task.version(), task.clusterArn(), task.group(),
                    task.containerInstanceArn(), task.cpu(), task.containers().stream().map(Container::cpu).toList(),
                    task.lastStatus(), task.startedAt(), task.stoppedAt())));
            for (Failure failure : response.failures()) {
                if (MISSING.equals(failure.reason()) && failure.arn() != null) {
                    missing.add(failure.arn());
                }
            }
        }
        return new Descriptions(tasks, missing);
    }

    @Override
    public List<ContainerInstance> containerInstances(String cluster) {
        List<String> arns = ecs.listContainerInstancesPaginator(b -> b.cluster(cluster).maxResults(100))
                .containerInstanceArns().stream().toList();
        List<ContainerInstance> instances = new ArrayList<>();
        for (List<String> batch : batches(arns)) {
            ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(batch)).containerInstances()
                    .forEach(ci -> instances.add(new ContainerInstance(ci.containerInstanceArn(),
                            ci.version() == null ? NO_VERSION : ci.version(), ci.ec2InstanceId())));
        }
        return instances;
    }

    static List<List<String>> batches(Collection<String> items) {
        List<String> all = List.copyOf(items);
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += DESCRIBE_BATCH) {
            batches.add(all.subList(from, Math.min(all.size(), from + DESCRIBE_BATCH)));
        }
        return batches;
    }
}
