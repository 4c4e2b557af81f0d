package dev.tally.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges history events in whatever order and multiplicity they arrive. Every merge is commutative
 * and idempotent (per-field highest version, set of volume calls, earliest termination), so any
 * permutation of the same events, with or without duplicates, builds an equal {@link History}.
 */
public final class HistoryBuilder {
    private static final Comparator<HistoryEvent.VolumeCall> CALL_ORDER = Comparator
            .comparingLong(HistoryEvent.VolumeCall::at)
            .thenComparing(HistoryEvent.VolumeCall::kind)
            .thenComparing(call -> call.instanceId() == null ? "" : call.instanceId());

    private final Map<String, TaskState> tasks = new HashMap<>();
    private final Map<String, Versioned<String>> containerInstances = new HashMap<>();
    private final Map<String, Set<HistoryEvent.VolumeCall>> volumeCalls = new HashMap<>();
    private final Map<String, Long> terminations = new HashMap<>();

    public HistoryBuilder add(HistoryEvent event) {
        if (event instanceof HistoryEvent.TaskStateChange task) {
            tasks.computeIfAbsent(task.taskArn(), arn -> new TaskState()).merge(task);
        } else if (event instanceof HistoryEvent.ContainerInstanceChange ci) {
            containerInstances.merge(EcsTask.lastPart(ci.containerInstanceArn()),
                    new Versioned<>(ci.version(), ci.ec2InstanceId()),
                    (a, b) -> Versioned.merge(a, b.version(), b.value()));
        } else if (event instanceof HistoryEvent.VolumeCall call) {
            volumeCalls.computeIfAbsent(call.volumeId(), v -> new LinkedHashSet<>()).add(call);
        } else if (event instanceof HistoryEvent.InstanceTerminated terminated) {
            terminations.merge(terminated.instanceId(), terminated.at(), Math::min);
        }
        return this;
    }

    public History build() {
        Map<String, EcsTask> builtTasks = new TreeMap<>();
        tasks.forEach((arn, state) -> builtTasks.put(arn, state.toTask(arn)));
        Map<String, String> ec2 = new TreeMap<>();
        containerInstances.forEach((id, versioned) -> ec2.put(id, versioned.value()));
        Map<String, List<HistoryEvent.VolumeCall>> calls = new TreeMap<>();
        volumeCalls.forEach((volume, set) -> {
            List<HistoryEvent.VolumeCall> sorted = new ArrayList<>(set);
            sorted.sort(CALL_ORDER);
            calls.put(volume, List.copyOf(sorted));
        });
        return new History(builtTasks, ec2, calls, new TreeMap<>(terminations));
    }

    /** Per-field merge state of one task. */
    private static final class TaskState {
        private Versioned<String> clusterArn;
        private Versioned<String> group;
        private Versioned<String> containerInstanceArn;
        private Versioned<Integer> cpu;
        private Versioned<Integer> containersCpu;
        private Versioned<Long> startedAt;
        private Versioned<Long> stoppedAt;

        void merge(HistoryEvent.TaskStateChange e) {
            long v = e.version();
            clusterArn = Versioned.merge(clusterArn, v, e.clusterArn());
            group = Versioned.merge(group, v, e.group());
            containerInstanceArn = Versioned.merge(containerInstanceArn, v, e.containerInstanceArn());
            cpu = Versioned.merge(cpu, v, e.cpu());
            containersCpu = Versioned.merge(containersCpu, v, e.containersCpu());
            startedAt = Versioned.merge(startedAt, v, e.startedAt());
            stoppedAt = Versioned.merge(stoppedAt, v, e.stoppedAt());
        }

        EcsTask toTask(String taskArn) {
            String cluster = EcsTask.lastPart(Versioned.valueOf(clusterArn));
            if (cluster == null) {
                cluster = clusterFromTaskArn(taskArn);
            }
            Integer units = Versioned.valueOf(cpu);
            if (units == null || units <= 0) {
                units = Versioned.valueOf(containersCpu);
            }
            if (units == null || units <= 0) {
                units = EcsTask.MINIMUM_CPU_UNITS;
            }
            return new EcsTask(taskArn, cluster, EcsTask.serviceOf(Versioned.valueOf(group)),
                    EcsTask.lastPart(Versioned.valueOf(containerInstanceArn)), units,
                    Versioned.valueOf(startedAt), Versioned.valueOf(stoppedAt));
        }

        /** New-style task ARNs carry the cluster: {@code task/<cluster>/<id>}. */
        private static String clusterFromTaskArn(String taskArn) {
            int task = taskArn.indexOf(":task/");
            if (task < 0) {
                return "";
            }
            String path = taskArn.substring(task + ":task/".length());
            int slash = path.indexOf('/');
            return slash > 0 ? path.substring(0, slash) : "";
        }
    }
}
