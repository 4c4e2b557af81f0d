package dev.tally.functions.reconciler;

import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.history.HistoryBuilder;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Repairs the ECS/EBS history from what the ECS and EC2 APIs say now. Events arrive at least once, in
 * any order, and sometimes never; run on a schedule, this fills in what was lost:
 *
 * <ol>
 *   <li><b>Running tasks</b> of every cluster are recorded as task facts with the API's own
 *       {@code version} (the counter the events carry as {@code detail.version}), so a lost RUNNING
 *       event is filled in and a stale description never overrides a newer event; container
 *       instances likewise.</li>
 *   <li><b>Open tasks</b> (started, not stopped in the history) that ECS no longer lists as running
 *       are described: a task ECS describes as stopped gets its real {@code stoppedAt} with its
 *       version; a task ECS reports {@code MISSING} (stopped long enough ago to be forgotten, about an
 *       hour) is closed at the run instant with version {@value #ASSUMED_STOP_VERSION}, below any
 *       event's, so a late real STOPPED event still wins. The run instant is an upper bound of the
 *       real stop.</li>
 *   <li><b>Volumes</b> EC2 reports attached are recorded as ATTACH calls at the API's
 *       {@code AttachTime} (volumes attached at launch have no AttachVolume call in CloudTrail; an
 *       attach CloudTrail did report is the same call and collapses with it). A volume the history
 *       shows attached (its latest call is an ATTACH) that EC2 reports available, deleted, or attached
 *       only elsewhere with no later attach gets a DETACH at the run instant.</li>
 *   <li>Facts still current (running tasks, registered container instances, attachments in place)
 *       are {@linkplain HistoryStore#retain retained} so the store does not expire them.</li>
 * </ol>
 *
 * <p>Every write goes through {@link HistoryStore#record}, whose merge is idempotent and
 * version-guarded, so a run repeated with the same inventory changes nothing, and runs may overlap.
 * A fact the loaded history already shows exactly is not written again (only retained).
 *
 * <p>Failures are contained: one cluster's API error is counted and logged and the other clusters go
 * on; the tasks of a cluster whose running tasks could not be listed are not closed. The summary
 * lists every failure; the caller fails the invocation when there was any.
 *
 * <p>Assumptions: the history belongs to the account and region the reconciler runs in (open tasks
 * whose ARN names another account or region are left alone; volume ids carry no account, so volume
 * calls of other accounts must not be in the same table); one attachment per volume at a time, as in
 * the allocation contract (Multi-Attach volumes are recorded, but their attachments end each other).
 */
public final class Reconciler {
    /**
     * The version of a stop the reconciler assumes for a task ECS reports MISSING: below every real
     * event, including events without a version (read as -1), so any real STOPPED wins over it.
     */
    public static final long ASSUMED_STOP_VERSION = -2;

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final EcsInventory ecs;
    private final Ec2Inventory ec2;
    private final HistoryStore store;
    private final Clock clock;

    public Reconciler(EcsInventory ecs, Ec2Inventory ec2, HistoryStore store, Clock clock) {
        this.ecs = Objects.requireNonNull(ecs);
        this.ec2 = Objects.requireNonNull(ec2);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * One run. Failures of the ECS or EC2 APIs, and of single writes, are counted in the summary and
     * the run goes on; only a failure to load the history ends it (nothing can be compared then).
     */
    public ReconcileSummary run() {
        Run run = new Run(clock.millis());
        History before = store.load(YearMonth.from(Instant.ofEpochMilli(run.now).atZone(ZoneOffset.UTC)));
        reconcileTasks(before, run);
        reconcileVolumes(before, run);
        ReconcileSummary summary = run.summary();
        LOG.info("reconciled at {}: {} clusters, {} running tasks, {} container instances, {} stops closed "
                        + "({} assumed), {} attachments ({} added), {} detaches added, {} errors",
                summary.runAt(), summary.clusters(), summary.tasksSeen(), summary.containerInstancesSeen(),
                summary.stopsClosed(), summary.stopsAssumed(), summary.attachmentsSeen(), summary.attachmentsAdded(),
                summary.detachesAdded(), summary.errors().size());
        return summary;
    }

    // ---- ECS -------------------------------------------------------------------------------------------

    private void reconcileTasks(History before, Run run) {
        List<String> clusterArns;
        try {
            clusterArns = ecs.clusterArns();
        } catch (RuntimeException e) {
            run.error("ListClusters", e);
            return; // without the clusters no task can be said to have stopped
        }
        run.clusters = clusterArns.size();
        Set<String> running = new HashSet<>();
        Set<String> unlisted = new HashSet<>();
        for (String clusterArn : clusterArns) {
            String cluster = EcsTask.lastPart(clusterArn);
            try {
                List<String> arns = ecs.runningTaskArns(clusterArn);
                for (EcsInventory.Task task : ecs.describeTasks(clusterArn, arns).tasks()) {
                    running.add(task.taskArn());
                    run.tasksSeen++;
                    recordTask(before, task, run);
                }
            } catch (RuntimeException e) {
                unlisted.add(cluster);
                run.error("running tasks of cluster " + cluster, e);
            }
            try {
                for (EcsInventory.ContainerInstance instance : ecs.containerInstances(clusterArn)) {
                    run.containerInstancesSeen++;
                    recordContainerInstance(before, instance);
                }
            } catch (RuntimeException e) {
                run.error("container instances of cluster " + cluster, e);
            }
        }
        closeLostStops(before, clusterArns, running, unlisted, run);
    }

    /**
     * Tasks the history has open that ECS did not list as running: described again, they are either
     * stopped (recorded as ECS says), missing (closed at the run instant), or running after all.
     */
    private void closeLostStops(History before, List<String> clusterArns, Set<String> running, Set<String> unlisted,
                                Run run) {
        Set<String> scopes = new HashSet<>();
        clusterArns.forEach(arn -> scopes.add(scopeOf(arn)));
        Map<String, List<EcsTask>> openByCluster = new TreeMap<>();
        for (EcsTask task : before.tasks().values()) {
            if (task.startedAt() == null || task.stoppedAt() != null || running.contains(task.taskArn())
                    || unlisted.contains(task.cluster()) || !scopes.contains(scopeOf(task.taskArn()))) {
                continue;
            }
            openByCluster.computeIfAbsent(task.cluster(), c -> new ArrayList<>()).add(task);
        }
        openByCluster.forEach((cluster, tasks) -> {
            Map<String, EcsTask> byArn = new LinkedHashMap<>();
            tasks.forEach(task -> byArn.put(task.taskArn(), task));
            try {
                EcsInventory.Descriptions described = ecs.describeTasks(cluster.isEmpty() ? null : cluster,
                        byArn.keySet());
                for (EcsInventory.Task task : described.tasks()) {
                    recordTask(before, task, run);
                }
                for (String arn : described.missing()) {
                    EcsTask open = byArn.get(arn);
                    if (open == null) {
                        continue;
                    }
                    long stop = Math.max(run.now, open.startedAt());
                    store.record(new HistoryEvent.TaskStateChange(arn, ASSUMED_STOP_VERSION, null, null, null, null,
                            null, null, stop));
                    run.stopsClosed++;
                    run.stopsAssumed++;
                    LOG.info("task {} is missing from ECS: closed at the run instant {}", arn, Instant.ofEpochMilli(stop));
                }
            } catch (RuntimeException e) {
                run.error("stopped tasks of cluster " + cluster, e);
            }
        });
    }

    /** Records what ECS says about a task (unless the history shows exactly that), and retains it while it runs. */
    private void recordTask(History before, EcsInventory.Task task, Run run) {
        HistoryEvent.TaskStateChange fact = taskFact(task);
        EcsTask known = before.tasks().get(task.taskArn());
        EcsTask described = new HistoryBuilder().add(fact).build().tasks().get(task.taskArn());
        if (!described.equals(known)) {
            store.record(fact);
        }
        if (fact.stoppedAt() == null) {
            store.retain(fact);
        } else if (known != null && known.startedAt() != null && known.stoppedAt() == null) {
            run.stopsClosed++;
        }
    }

    private void recordContainerInstance(History before, EcsInventory.ContainerInstance instance) {
        if (instance.containerInstanceArn() == null || instance.ec2InstanceId() == null) {
            return; // an external (ECS Anywhere) instance: no EC2 instance to allocate
        }
        HistoryEvent.ContainerInstanceChange fact = new HistoryEvent.ContainerInstanceChange(
                instance.containerInstanceArn(), instance.version(), instance.ec2InstanceId());
        String known = before.ec2ByContainerInstance().get(EcsTask.lastPart(instance.containerInstanceArn()));
        if (!instance.ec2InstanceId().equals(known)) {
            store.record(fact);
        }
        store.retain(fact);
    }

    /** A described task as the fact an ECS Task State Change event with the same version would give. */
    static HistoryEvent.TaskStateChange taskFact(EcsInventory.Task task) {
        Integer containersCpu = null;
        if (!task.containersCpu().isEmpty()) {
            int sum = 0;
            for (String cpu : task.containersCpu()) {
                Integer units = cpuUnits(cpu);
                sum += units == null ? 0 : units;
            }
            containersCpu = sum;
        }
        return new HistoryEvent.TaskStateChange(task.taskArn(), task.version(), task.clusterArn(), task.group(),
                task.containerInstanceArn(), cpuUnits(task.cpu()), containersCpu, millis(task.startedAt()),
                millis(task.stoppedAt()));
    }

    /**
     * CPU units as the ECS API writes them: {@code "256"}, or in vCPU {@code "1 vCPU"} / {@code ".25 vcpu"}
     * (1024 units each); null when absent or unreadable (the history then falls back to the containers).
     */
    static Integer cpuUnits(String value) {
        if (value == null) {
            return null;
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return null;
        }
        try {
            if (text.endsWith("vcpu")) {
                return new BigDecimal(text.substring(0, text.length() - 4).trim())
                        .multiply(BigDecimal.valueOf(1024)).intValue();
            }
            return new BigDecimal(text).intValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code arn:aws:ecs:us-east-1:123456789012:} of an ECS ARN: the account and region it belongs to. */
    static String scopeOf(String arn) {
        if (arn == null) {
            return "";
        }
        int colon = -1;
        for (int i = 0; i < 5; i++) {
            colon = arn.indexOf(':', colon + 1);
            if (colon < 0) {
                return "";
            }
        }
        return arn.substring(0, colon + 1);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    // ---- EBS -------------------------------------------------------------------------------------------

    private void reconcileVolumes(History before, Run run) {
        List<Ec2Inventory.Volume> attached;
        try {
            attached = ec2.attachedVolumes();
        } catch (RuntimeException e) {
            run.error("DescribeVolumes", e);
            return; // without the attachments no detach can be inferred
        }
        Map<String, Ec2Inventory.Volume> current = new HashMap<>();
        for (Ec2Inventory.Volume volume : attached) {
            current.put(volume.volumeId(), volume);
            List<HistoryEvent.VolumeCall> known = before.volumeCalls().getOrDefault(volume.volumeId(), List.of());
            for (Ec2Inventory.Attachment attachment : volume.attachments()) {
                if (!attachment.attached() || attachment.instanceId() == null || attachment.attachTime() == null) {
                    continue;
                }
                HistoryEvent.VolumeCall call = new HistoryEvent.VolumeCall(volume.volumeId(),
                        HistoryEvent.VolumeCall.Kind.ATTACH, attachment.attachTime().toEpochMilli(),
                        attachment.instanceId());
                run.attachmentsSeen++;
                try {
                    if (!known.contains(call)) {
                        store.record(call);
                        run.attachmentsAdded++;
                    }
                    store.retain(call);
                } catch (RuntimeException e) {
                    run.error("attachment of " + volume.volumeId(), e);
                }
            }
        }
        closeLostDetaches(before, current, run);
    }

    /** Volumes whose latest call in the history is an ATTACH, checked against what EC2 says now. */
    private void closeLostDetaches(History before, Map<String, Ec2Inventory.Volume> current, Run run) {
        Map<String, HistoryEvent.VolumeCall> lastAttaches = new TreeMap<>();
        before.volumeCalls().forEach((volumeId, calls) -> {
            HistoryEvent.VolumeCall last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
            if (last != null && last.kind() == HistoryEvent.VolumeCall.Kind.ATTACH && last.at() < run.now
                    && needsDetach(last, current.get(volumeId))) {
                lastAttaches.put(volumeId, last);
            }
        });
        if (lastAttaches.isEmpty()) {
            return;
        }
        // Not in the attached listing: available, in flux, or deleted. Ask for exactly these.
        List<String> unlisted = lastAttaches.keySet().stream().filter(id -> !current.containsKey(id)).toList();
        Map<String, Ec2Inventory.Volume> described = new HashMap<>(current);
        if (!unlisted.isEmpty()) {
            try {
                ec2.volumes(unlisted).forEach(volume -> described.put(volume.volumeId(), volume));
            } catch (RuntimeException e) {
                run.error("DescribeVolumes of " + unlisted.size() + " volumes no longer attached", e);
                return;
            }
        }
        lastAttaches.forEach((volumeId, last) -> {
            Ec2Inventory.Volume volume = described.get(volumeId);
            if (!needsDetach(last, volume)) {
                return;
            }
            try {
                store.record(new HistoryEvent.VolumeCall(volumeId, HistoryEvent.VolumeCall.Kind.DETACH, run.now,
                        last.instanceId()));
                run.detachesAdded++;
                LOG.info("volume {} is {} but the history has it attached to {}: detached at the run instant",
                        volumeId, volume == null ? "gone" : volume.state(), last.instanceId());
            } catch (RuntimeException e) {
                run.error("detach of " + volumeId, e);
            }
        });
    }

    /**
     * Whether the attachment {@code last} (the volume's latest call in the history) has ended without a
     * detach being recorded, given the volume as EC2 shows it now ({@code null}: it no longer exists, or
     * is not in the attached listing yet to be described).
     */
    static boolean needsDetach(HistoryEvent.VolumeCall last, Ec2Inventory.Volume now) {
        if (now == null) {
            return true;
        }
        for (Ec2Inventory.Attachment attachment : now.attachments()) {
            boolean detached = Ec2Inventory.Attachment.DETACHED.equals(attachment.state());
            if (detached) {
                continue;
            }
            if (Objects.equals(attachment.instanceId(), last.instanceId())) {
                return false; // still there (or detaching right now: the next run will see)
            }
            if (!attachment.attached()) {
                return false; // attaching elsewhere: once attached, its ATTACH ends ours
            }
            if (attachment.attachTime() != null && attachment.attachTime().toEpochMilli() >= last.at()) {
                return false; // attached elsewhere later: that ATTACH, recorded from the listing, ends ours
            }
        }
        return true;
    }

    // ---- one run's counts --------------------------------------------------------------------------------

    private static final class Run {
        final long now;
        int clusters;
        int tasksSeen;
        int containerInstancesSeen;
        int stopsClosed;
        int stopsAssumed;
        int attachmentsSeen;
        int attachmentsAdded;
        int detachesAdded;
        final List<String> errors = new ArrayList<>();

        Run(long now) {
            this.now = now;
        }

        void error(String what, RuntimeException e) {
            errors.add(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.warn("reconciler: {} failed; going on with the rest", what, e);
        }

        ReconcileSummary summary() {
            return new ReconcileSummary(Instant.ofEpochMilli(now), clusters, tasksSeen, containerInstancesSeen,
                    stopsClosed, stopsAssumed, attachmentsSeen, attachmentsAdded, detachesAdded, errors);
        }
    }
}
