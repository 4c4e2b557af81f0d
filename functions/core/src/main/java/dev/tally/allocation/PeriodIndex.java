package dev.tally.allocation;

import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.history.HistoryEvent;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history resolved for one billing period: open task intervals end at the period's end, each
 * volume's attachments have their ends, and everything is indexed for the per-row lookups.
 *
 * <p>An attachment starts at its attach call and ends, as the contract words it, at the volume's next
 * detach or attach call, whichever comes first; else when its instance is terminated; else at the
 * end of the period. The order matters: a later call on the volume ends the attachment even when its
 * instance terminated before that call.
 */
final class PeriodIndex {
    private final long periodStart;
    private final long periodEnd;
    private final Map<String, EcsTask> tasksByArn;
    private final Map<String, CpuTimeline> timelines = new HashMap<>();
    private final Map<String, List<VolumeAttachment>> attachments = new HashMap<>();

    PeriodIndex(History history, YearMonth period) {
        this.periodStart = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        this.periodEnd = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        this.tasksByArn = history.tasks();
        indexTasks(history);
        indexAttachments(history);
    }

    private void indexTasks(History history) {
        Map<String, List<EcsTask>> byInstance = new HashMap<>();
        for (EcsTask task : history.tasks().values()) {
            String instance = history.ec2InstanceOf(task);
            if (instance == null || task.startedAt() == null) {
                continue;
            }
            long end = task.stoppedAt() == null ? periodEnd : task.stoppedAt();
            if (end > task.startedAt()) {
                byInstance.computeIfAbsent(instance, i -> new ArrayList<>()).add(task);
            }
        }
        // Each instance's timeline is independent of the others: build them on all cores.
        java.util.concurrent.ConcurrentHashMap<String, CpuTimeline> built = new java.util.concurrent.ConcurrentHashMap<>();
        byInstance.entrySet().parallelStream().forEach(entry -> {
            String instance = entry.getKey();
            List<EcsTask> tasks = entry.getValue();
            Map<ServiceKey, Integer> serviceIndex = new HashMap<>();
            ServiceKey[] keyOf = new ServiceKey[tasks.size()];
            for (int t = 0; t < keyOf.length; t++) {
                EcsTask task = tasks.get(t);
                keyOf[t] = new ServiceKey(task.cluster(), task.service());
                serviceIndex.putIfAbsent(keyOf[t], 0);
            }
            ServiceKey[] services = serviceIndex.keySet().toArray(ServiceKey[]::new);
            Arrays.sort(services);
            for (int i = 0; i < services.length; i++) {
                serviceIndex.put(services[i], i);
            }
            List<CpuTimeline.Run> runs = new ArrayList<>(tasks.size());
            for (int t = 0; t < keyOf.length; t++) {
                EcsTask task = tasks.get(t);
                long end = task.stoppedAt() == null ? periodEnd : task.stoppedAt();
                runs.add(new CpuTimeline.Run(task.startedAt(), end, serviceIndex.get(keyOf[t]), task.cpuUnits()));
            }
            built.put(instance, new CpuTimeline(services, runs));
        });
        timelines.putAll(built);
    }

    private void indexAttachments(History history) {
        Map<String, Long> terminations = history.terminations();
        history.volumeCalls().forEach((volume, calls) -> {
            List<VolumeAttachment> list = new ArrayList<>();
            for (int k = 0; k < calls.size(); k++) {
                HistoryEvent.VolumeCall call = calls.get(k);
                if (call.kind() != HistoryEvent.VolumeCall.Kind.ATTACH) {
                    continue;
                }
                long start = call.at();
                long end;
                Long terminated = terminations.get(call.instanceId());
                if (k + 1 < calls.size()) {
                    end = calls.get(k + 1).at();
                } else if (terminated != null && terminated > start) {
                    end = terminated;
                } else {
                    end = periodEnd;
                }
                end = Math.min(end, periodEnd);
                if (end > start) {
                    list.add(new VolumeAttachment(volume, call.instanceId(), start, end));
                }
            }
            if (!list.isEmpty()) {
                attachments.put(volume, list);
            }
        });
    }

    long periodStart() {
        return periodStart;
    }

    long periodEnd() {
        return periodEnd;
    }

    /** The CPU timeline of an EC2 instance, or null if no task ran on it. */
    CpuTimeline timeline(String instanceId) {
        return timelines.get(instanceId);
    }

    EcsTask task(String taskArn) {
        return tasksByArn.get(taskArn);
    }

    /** Attachments of a volume in time order, empty if none. */
    List<VolumeAttachment> attachments(String volumeId) {
        return attachments.getOrDefault(volumeId, List.of());
    }
}
