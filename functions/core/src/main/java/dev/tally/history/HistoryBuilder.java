package dev.tally.history;

import dev.tally.billing.ByteInterner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>A month can have hundreds of thousands of task events, so tasks are kept in a few arrays,
 * not objects: a task's ARN is a {@link ByteInterner} id and its merge state (each field with the
 * version that set it) a row of those arrays; the strings many tasks share (cluster, group,
 * container instance) are kept once. The fast task scanner writes here straight from the line's bytes.
 */
public final class HistoryBuilder implements TaskEventScanner.TaskSink {
    private static final Comparator<HistoryEvent.VolumeCall> CALL_ORDER = Comparator
            .comparingLong(HistoryEvent.VolumeCall::at)
            .thenComparing(HistoryEvent.VolumeCall::kind)
            .thenComparing(call -> call.instanceId() == null ? "" : call.instanceId());
    private static final long NONE = Long.MIN_VALUE;

    // per task (index = id of its ARN): versions and values, see TaskTable
    private ByteInterner taskArns = new ByteInterner();
    private TaskTable tasks = new TaskTable();
    private Map<String, Versioned<String>> containerInstances = new HashMap<>();
    private Map<String, Set<HistoryEvent.VolumeCall>> volumeCalls = new HashMap<>();
    private Map<String, Long> terminations = new HashMap<>();
    private Map<String, String> strings = new HashMap<>();

    public HistoryBuilder add(HistoryEvent event) {
        if (event instanceof HistoryEvent.TaskStateChange t) {
            byte[] arn = t.taskArn().getBytes(StandardCharsets.UTF_8);
            task(arn, 0, arn.length, t.version(), t.clusterArn(), t.group(), t.containerInstanceArn(),
                    t.cpu() == null ? TaskEventScanner.ABSENT : t.cpu(),
                    t.containersCpu() == null ? TaskEventScanner.ABSENT : t.containersCpu(),
                    t.startedAt() == null ? TaskEventScanner.ABSENT : t.startedAt(),
                    t.stoppedAt() == null ? TaskEventScanner.ABSENT : t.stoppedAt());
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

    /** A task event, straight from bytes: absent numbers are {@link TaskEventScanner#ABSENT}. */
    @Override
    public void task(byte[] arn, int arnFrom, int arnTo, long version, String clusterArn, String group,
                     String containerInstanceArn, long cpu, long containersCpu, long startedAt, long stoppedAt) {
        int id = tasks.open(taskArns.intern(arn, arnFrom, arnTo));
        if (clusterArn != null) {
            tasks.mergeText(id, TaskTable.CLUSTER, version, clusterArn, this);
        }
        if (group != null) {
            tasks.mergeText(id, TaskTable.GROUP, version, group, this);
        }
        if (containerInstanceArn != null) {
            tasks.mergeText(id, TaskTable.CONTAINER_INSTANCE, version, containerInstanceArn, this);
        }
        if (cpu != TaskEventScanner.ABSENT) {
            tasks.mergeNumber(id, TaskTable.CPU, version, cpu);
        }
        if (containersCpu != TaskEventScanner.ABSENT) {
            tasks.mergeNumber(id, TaskTable.CONTAINERS_CPU, version, containersCpu);
        }
        if (startedAt != TaskEventScanner.ABSENT) {
            tasks.mergeNumber(id, TaskTable.STARTED_AT, version, startedAt);
        }
        if (stoppedAt != TaskEventScanner.ABSENT) {
            tasks.mergeNumber(id, TaskTable.STOPPED_AT, version, stoppedAt);
        }
    }

    private void addContainerInstance(String id, Versioned<String> ec2) {
        containerInstances.merge(id, ec2, (a, b) -> Versioned.merge(a, b.version(), b.value()));
    }

    /**
     * Like {@link #merge}, for a builder that is discarded afterwards: when this one is still empty it
     * takes the other's contents as they are instead of copying them.
     */
    HistoryBuilder absorb(HistoryBuilder other) {
        if (tasks.size() == 0 && containerInstances.isEmpty() && volumeCalls.isEmpty() && terminations.isEmpty()) {
            taskArns = other.taskArns;
            tasks = other.tasks;
            containerInstances = other.containerInstances;
            volumeCalls = other.volumeCalls;
            terminations = other.terminations;
            strings = other.strings;
            other.taskArns = new ByteInterner();
            other.tasks = new TaskTable();
            other.containerInstances = new HashMap<>();
            other.volumeCalls = new HashMap<>();
            other.terminations = new HashMap<>();
            other.strings = new HashMap<>();
            return this;
        }
        return merge(other);
    }

    /** Adds everything another builder holds, as if its events had been added here. */
    public HistoryBuilder merge(HistoryBuilder other) {
        for (int theirs = 0; theirs < other.tasks.size(); theirs++) {
            if (other.tasks.present(theirs)) {
                tasks.merge(tasks.open(taskArns.intern(other.taskArns, theirs)), other.tasks, theirs, this);
            }
        }
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
        for (int id = 0; id < tasks.size(); id++) {
            if (tasks.present(id)) {
                String arn = taskArns.string(id);
                builtTasks.put(arn, tasks.toTask(id, arn, once));
            }
        }
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
     * Per-field merge state of every task, one row per task id: each field with the version that set
     * it. The higher version wins; at equal versions the larger value (see {@link Versioned}).
     */
    private static final class TaskTable {
        static final int CLUSTER = 0;
        static final int GROUP = 1;
        static final int CONTAINER_INSTANCE = 2;
        static final int CPU = 3;
        static final int CONTAINERS_CPU = 4;
        static final int STARTED_AT = 5;
        static final int STOPPED_AT = 6;
        private static final int FIELDS = 7;
        private static final int TEXTS = 3;
        /** Per task: FIELDS versions, then the values of the number fields (CPU..STOPPED_AT). */
        private static final int STRIDE = FIELDS + (FIELDS - TEXTS);

        // rows in pages of PAGE tasks: growing adds pages and copies nothing, so no large arrays are
        // left behind for a full collection
        private static final int PAGE_BITS = 12;
        private static final int PAGE = 1 << PAGE_BITS;
        private long[][] numbers = new long[0][];
        private String[][] texts = new String[0][];
        private boolean[][] present = new boolean[0][];
        private int size;

        int size() {
            return size;
        }

        boolean present(int id) {
            return id < size && present[id >>> PAGE_BITS][id & (PAGE - 1)];
        }

        /** Makes room for task {@code id} and marks it seen (a task with no field set still exists). */
        int open(int id) {
            int page = id >>> PAGE_BITS;
            if (page >= present.length) {
                int pages = Math.max(page + 1, present.length * 2);
                int old = present.length;
                present = Arrays.copyOf(present, pages);
                texts = Arrays.copyOf(texts, pages);
                numbers = Arrays.copyOf(numbers, pages);
                for (int p = old; p < pages; p++) {
                    present[p] = new boolean[PAGE];
                    texts[p] = new String[PAGE * TEXTS];
                    long[] rows = new long[PAGE * STRIDE];
                    for (int row = 0; row < PAGE; row++) {
                        Arrays.fill(rows, row * STRIDE, row * STRIDE + FIELDS, NONE);
                    }
                    numbers[p] = rows;
                }
            }
            present[page][id & (PAGE - 1)] = true;
            size = Math.max(size, id + 1);
            return id;
        }

        private long version(int id, int field) {
            return numbers[id >>> PAGE_BITS][(id & (PAGE - 1)) * STRIDE + field];
        }

        private long number(int id, int field) {
            return numbers[id >>> PAGE_BITS][(id & (PAGE - 1)) * STRIDE + FIELDS + field - TEXTS];
        }

        private String text(int id, int field) {
            return texts[id >>> PAGE_BITS][(id & (PAGE - 1)) * TEXTS + field];
        }

        void mergeText(int id, int field, long version, String value, HistoryBuilder owner) {
            long current = version(id, field);
            if (current == NONE || version > current
                    || (version == current && value.compareTo(text(id, field)) > 0)) {
                texts[id >>> PAGE_BITS][(id & (PAGE - 1)) * TEXTS + field] = owner.intern(value);
                numbers[id >>> PAGE_BITS][(id & (PAGE - 1)) * STRIDE + field] = version;
            }
        }

        void mergeNumber(int id, int field, long version, long value) {
            long current = version(id, field);
            if (current == NONE || version > current || (version == current && value > number(id, field))) {
                long[] rows = numbers[id >>> PAGE_BITS];
                int row = (id & (PAGE - 1)) * STRIDE;
                rows[row + FIELDS + field - TEXTS] = value;
                rows[row + field] = version;
            }
        }

        /** Merges another table's task field by field, exactly as if its events had been merged here. */
        void merge(int id, TaskTable other, int theirs, HistoryBuilder owner) {
            for (int field = 0; field < TEXTS; field++) {
                long version = other.version(theirs, field);
                if (version != NONE) {
                    mergeText(id, field, version, other.text(theirs, field), owner);
                }
            }
            for (int field = TEXTS; field < FIELDS; field++) {
                long version = other.version(theirs, field);
                if (version != NONE) {
                    mergeNumber(id, field, version, other.number(theirs, field));
                }
            }
        }

        EcsTask toTask(int id, String taskArn, java.util.function.UnaryOperator<String> once) {
            String cluster = EcsTask.lastPart(text(id, CLUSTER));
            if (cluster == null) {
                cluster = clusterFromTaskArn(taskArn);
            }
            int units = version(id, CPU) == NONE ? 0 : (int) number(id, CPU);
            if (units <= 0) {
                units = version(id, CONTAINERS_CPU) == NONE ? 0 : (int) number(id, CONTAINERS_CPU);
            }
            if (units <= 0) {
                units = EcsTask.MINIMUM_CPU_UNITS;
            }
            return new EcsTask(taskArn, once.apply(cluster), once.apply(EcsTask.serviceOf(text(id, GROUP))),
                    once.apply(EcsTask.lastPart(text(id, CONTAINER_INSTANCE))), units,
                    version(id, STARTED_AT) == NONE ? null : number(id, STARTED_AT),
                    version(id, STOPPED_AT) == NONE ? null : number(id, STOPPED_AT));
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
