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
 * permutation of the same events, with or without duplicates, builds an equal {@link History} —
 * and builders filled separately (by parallel readers) can be merged into one.
 *
 * <p>A month can have hundreds of thousands of task events, so a task's merge state is kept in
 * primitive fields, and the strings many tasks share (cluster, group, container instance) are kept
 * once.
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
    private final Map<String, String> strings = new HashMap<>();

    public HistoryBuilder add(HistoryEvent event) {
        if (event instanceof HistoryEvent.TaskStateChange task) {
            tasks.computeIfAbsent(task.taskArn(), arn -> new TaskState()).merge(task, this);
        } else if (event instanceof HistoryEvent.ContainerInstanceChange ci) {
            addContainerInstance(EcsTask.lastPart(ci.containerInstanceArn()),
                    new Versioned<>(ci.version(), ci.ec2InstanceId()));
        } else if (event instanceof HistoryEvent.VolumeCall call) {
            volumeCalls.computeIfAbsent(call.volumeId(), v -> new LinkedHashSet<>()).add(call);
        } else if (event instanceof HistoryEvent.InstanceTerminated terminated) {
            terminations.merge(terminated.instanceId(), terminated.at(), Math::min);
        }
        return this;
    }

    private void addContainerInstance(String id, Versioned<String> ec2) {
        containerInstances.merge(id, ec2, (a, b) -> Versioned.merge(a, b.version(), b.value()));
    }

    /** Adds everything another builder holds, as if its events had been added here. */
    public HistoryBuilder merge(HistoryBuilder other) {
        other.tasks.forEach((arn, state) -> {
            TaskState mine = tasks.get(arn);
            if (mine == null) {
                tasks.put(arn, state.copyInto(this));
            } else {
                mine.merge(state);
            }
        });
        other.containerInstances.forEach(this::addContainerInstance);
        other.volumeCalls.forEach((volume, calls) ->
                volumeCalls.computeIfAbsent(volume, v -> new LinkedHashSet<>()).addAll(calls));
        other.terminations.forEach((instance, at) -> terminations.merge(instance, at, Math::min));
        return this;
    }

    private String intern(String value) {
        if (value == null) {
            return null;
        }
        String known = strings.putIfAbsent(value, value);
        return known != null ? known : value;
    }

    public History build() {
        Map<String, EcsTask> builtTasks = new HashMap<>(tasks.size() * 4 / 3 + 16);
        // clusters, services and container instances repeat across tasks: one String each, not one per task
        Map<String, String> shared = new HashMap<>();
        java.util.function.UnaryOperator<String> once = value -> value == null ? null
                : shared.computeIfAbsent(value, v -> v);
        tasks.forEach((arn, state) -> builtTasks.put(arn, state.toTask(arn, once)));
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

    /**
     * Per-field merge state of one task: each field with the version that set it. The higher
     * version wins; at equal versions the larger value (see {@link Versioned}).
     */
    private static final class TaskState {
        private static final long NONE = Long.MIN_VALUE;

        private String clusterArn;
        private long clusterArnVersion = NONE;
        private String group;
        private long groupVersion = NONE;
        private String containerInstanceArn;
        private long containerInstanceArnVersion = NONE;
        private int cpu;
        private long cpuVersion = NONE;
        private int containersCpu;
        private long containersCpuVersion = NONE;
        private long startedAt;
        private long startedAtVersion = NONE;
        private long stoppedAt;
        private long stoppedAtVersion = NONE;

        void merge(HistoryEvent.TaskStateChange e, HistoryBuilder owner) {
            long v = e.version();
            if (e.clusterArn() != null && wins(v, clusterArnVersion, e.clusterArn(), clusterArn)) {
                clusterArn = owner.intern(e.clusterArn());
                clusterArnVersion = v;
            }
            if (e.group() != null && wins(v, groupVersion, e.group(), group)) {
                group = owner.intern(e.group());
                groupVersion = v;
            }
            if (e.containerInstanceArn() != null
                    && wins(v, containerInstanceArnVersion, e.containerInstanceArn(), containerInstanceArn)) {
                containerInstanceArn = owner.intern(e.containerInstanceArn());
                containerInstanceArnVersion = v;
            }
            if (e.cpu() != null && wins(v, cpuVersion, e.cpu(), cpu)) {
                cpu = e.cpu();
                cpuVersion = v;
            }
            if (e.containersCpu() != null && wins(v, containersCpuVersion, e.containersCpu(), containersCpu)) {
                containersCpu = e.containersCpu();
                containersCpuVersion = v;
            }
            if (e.startedAt() != null && wins(v, startedAtVersion, e.startedAt(), startedAt)) {
                startedAt = e.startedAt();
                startedAtVersion = v;
            }
            if (e.stoppedAt() != null && wins(v, stoppedAtVersion, e.stoppedAt(), stoppedAt)) {
                stoppedAt = e.stoppedAt();
                stoppedAtVersion = v;
            }
        }

        /** Merges another state field by field, exactly as if its events had been merged here. */
        void merge(TaskState o) {
            if (o.clusterArnVersion != NONE && wins(o.clusterArnVersion, clusterArnVersion, o.clusterArn, clusterArn)) {
                clusterArn = o.clusterArn;
                clusterArnVersion = o.clusterArnVersion;
            }
            if (o.groupVersion != NONE && wins(o.groupVersion, groupVersion, o.group, group)) {
                group = o.group;
                groupVersion = o.groupVersion;
            }
            if (o.containerInstanceArnVersion != NONE && wins(o.containerInstanceArnVersion,
                    containerInstanceArnVersion, o.containerInstanceArn, containerInstanceArn)) {
                containerInstanceArn = o.containerInstanceArn;
                containerInstanceArnVersion = o.containerInstanceArnVersion;
            }
            if (o.cpuVersion != NONE && wins(o.cpuVersion, cpuVersion, o.cpu, cpu)) {
                cpu = o.cpu;
                cpuVersion = o.cpuVersion;
            }
            if (o.containersCpuVersion != NONE
                    && wins(o.containersCpuVersion, containersCpuVersion, o.containersCpu, containersCpu)) {
                containersCpu = o.containersCpu;
                containersCpuVersion = o.containersCpuVersion;
            }
            if (o.startedAtVersion != NONE && wins(o.startedAtVersion, startedAtVersion, o.startedAt, startedAt)) {
                startedAt = o.startedAt;
                startedAtVersion = o.startedAtVersion;
            }
            if (o.stoppedAtVersion != NONE && wins(o.stoppedAtVersion, stoppedAtVersion, o.stoppedAt, stoppedAt)) {
                stoppedAt = o.stoppedAt;
                stoppedAtVersion = o.stoppedAtVersion;
            }
        }

        TaskState copyInto(HistoryBuilder owner) {
            TaskState copy = new TaskState();
            copy.merge(this);
            copy.clusterArn = owner.intern(clusterArn);
            copy.group = owner.intern(group);
            copy.containerInstanceArn = owner.intern(containerInstanceArn);
            return copy;
        }

        private static boolean wins(long version, long currentVersion, String value, String current) {
            return currentVersion == NONE || version > currentVersion
                    || (version == currentVersion && value.compareTo(current) > 0);
        }

        private static boolean wins(long version, long currentVersion, long value, long current) {
            return currentVersion == NONE || version > currentVersion
                    || (version == currentVersion && value > current);
        }

        EcsTask toTask(String taskArn, java.util.function.UnaryOperator<String> once) {
            String cluster = EcsTask.lastPart(clusterArn);
            if (cluster == null) {
                cluster = clusterFromTaskArn(taskArn);
            }
            int units = cpuVersion == NONE ? 0 : cpu;
            if (units <= 0) {
                units = containersCpuVersion == NONE ? 0 : containersCpu;
            }
            if (units <= 0) {
                units = EcsTask.MINIMUM_CPU_UNITS;
            }
            return new EcsTask(taskArn, once.apply(cluster), once.apply(EcsTask.serviceOf(group)),
                    once.apply(EcsTask.lastPart(containerInstanceArn)),
                    units, startedAtVersion == NONE ? null : startedAt, stoppedAtVersion == NONE ? null : stoppedAt);
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
