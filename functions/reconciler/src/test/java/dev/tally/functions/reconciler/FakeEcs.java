package dev.tally.functions.reconciler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ECS in memory: clusters with tasks (running or stopped) and container instances; clusters can be made to fail. */
final class FakeEcs implements EcsInventory {
    static final String SCOPE = "arn:aws:ecs:us-east-1:123456789012:";

    private final Map<String, Map<String, Task>> tasksByCluster = new LinkedHashMap<>();
    private final Map<String, Set<String>> unlistedByCluster = new LinkedHashMap<>();
    private final Map<String, List<ContainerInstance>> instancesByCluster = new LinkedHashMap<>();
    private final Set<String> failing = new HashSet<>();
    private boolean listClustersFails;
    final List<List<String>> describeCalls = new ArrayList<>();

    static String clusterArn(String name) {
        return SCOPE + "cluster/" + name;
    }

    FakeEcs cluster(String name) {
        tasksByCluster.putIfAbsent(name, new LinkedHashMap<>());
        instancesByCluster.putIfAbsent(name, new ArrayList<>());
        unlistedByCluster.putIfAbsent(name, new HashSet<>());
        return this;
    }

    /** A task ECS knows: running (listed) while it has no stoppedAt, else only describable. */
    FakeEcs task(String cluster, Task task) {
        cluster(cluster).tasksByCluster.get(cluster).put(task.taskArn(), task);
        return this;
    }

    /** A running task that ListTasks does not return (it started, or was listed, after the listing). */
    FakeEcs unlistedRunningTask(String cluster, Task task) {
        task(cluster, task);
        unlistedByCluster.get(cluster).add(task.taskArn());
        return this;
    }

    FakeEcs containerInstance(String cluster, ContainerInstance instance) {
        cluster(cluster).instancesByCluster.get(cluster).add(instance);
        return this;
    }

    FakeEcs failing(String cluster) {
        failing.add(cluster);
        return this;
    }

    FakeEcs listClustersFails() {
        listClustersFails = true;
        return this;
    }

    @Override
    public List<String> clusterArns() {
        if (listClustersFails) {
            throw new IllegalStateException("ListClusters: throttled");
        }
        return tasksByCluster.keySet().stream().map(FakeEcs::clusterArn).toList();
    }

    @Override
    public List<String> runningTaskArns(String cluster) {
        String name = name(cluster);
        check(name);
        return tasksByCluster.get(name).values().stream()
                .filter(t -> t.stoppedAt() == null && !unlistedByCluster.get(name).contains(t.taskArn()))
                .map(Task::taskArn).toList();
    }

    @Override
    public Descriptions describeTasks(String cluster, Collection<String> taskArns) {
        String name = name(cluster);
        check(name);
        describeCalls.add(List.copyOf(taskArns));
        Map<String, Task> tasks = tasksByCluster.getOrDefault(name, Map.of());
        List<Task> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String arn : taskArns) {
            Task task = tasks.get(arn);
            if (task == null) {
                missing.add(arn);
            } else {
                found.add(task);
            }
        }
        return new Descriptions(found, missing);
    }

    @Override
    public List<ContainerInstance> containerInstances(String cluster) {
        String name = name(cluster);
        check(name);
        return List.copyOf(instancesByCluster.get(name));
    }

    private void check(String name) {
        if (failing.contains(name)) {
            throw new IllegalStateException("AccessDenied on cluster " + name);
        }
    }

    private static String name(String cluster) {
        if (cluster == null) {
            return "default";
        }
        int slash = cluster.lastIndexOf('/');
        return slash >= 0 ? cluster.substring(slash + 1) : cluster;
    }
}
