package dev.tally.allocation;

import java.util.Arrays;
import java.util.List;

/**
 * The CPU units each ECS service held on one EC2 instance over time, as a sequence of elementary
 * segments (between consecutive task starts and stops) so a usage window's CPU-milliseconds per
 * service are found by a binary search and a short walk, however many tasks the instance ran.
 *
 * <p>{@code Σ over segments |segment ∩ W| × units} equals {@code Σ over tasks |task ∩ W| × cpu}
 * exactly: both are integer sums of the same products.
 */
final class CpuTimeline {
    private final ServiceKey[] services;
    private final long[] bounds;
    private final int[] segmentOffsets;
    private final int[] entryService;
    private final long[] entryUnits;

    /** One task interval on the instance, [start, end) with end > start. */
    record Run(long start, long end, int service, int units) {
    }

    CpuTimeline(ServiceKey[] services, List<Run> runs) {
        this.services = services;
        long[] points = new long[runs.size() * 2];
        int n = 0;
        for (Run run : runs) {
            points[n++] = run.start();
            points[n++] = run.end();
        }
        Arrays.sort(points);
        int unique = 0;
        for (int i = 0; i < points.length; i++) {
            if (i == 0 || points[i] != points[i - 1]) {
                points[unique++] = points[i];
            }
        }
        bounds = Arrays.copyOf(points, unique);
        int segments = Math.max(0, unique - 1);

        // Sweep: units per service change only at bounds.
        long[][] deltas = new long[unique][];
        int[][] deltaServices = new int[unique][];
        int[] deltaCount = new int[unique];
        for (Run run : runs) {
            addDelta(deltas, deltaServices, deltaCount, Arrays.binarySearch(bounds, run.start()), run.service(),
                    run.units());
            addDelta(deltas, deltaServices, deltaCount, Arrays.binarySearch(bounds, run.end()), run.service(),
                    -run.units());
        }
        long[] running = new long[services.length];
        int[] offsets = new int[segments + 1];
        int[] svc = new int[Math.max(4, runs.size() * 2)];
        long[] units = new long[svc.length];
        int entries = 0;
        int active = 0;
        for (int j = 0; j < segments; j++) {
            for (int d = 0; d < deltaCount[j]; d++) {
                int s = deltaServices[j][d];
                boolean wasActive = running[s] != 0;
                running[s] += deltas[j][d];
                boolean isActive = running[s] != 0;
                active += (isActive ? 1 : 0) - (wasActive ? 1 : 0);
            }
            offsets[j] = entries;
            if (entries + active > svc.length) {
                int capacity = Math.max(svc.length * 2, entries + active);
                svc = Arrays.copyOf(svc, capacity);
                units = Arrays.copyOf(units, capacity);
            }
            if (active > 0) {
                for (int s = 0; s < running.length; s++) {
                    if (running[s] != 0) {
                        svc[entries] = s;
                        units[entries] = running[s];
                        entries++;
                    }
                }
            }
        }
        offsets[segments] = entries;
        segmentOffsets = offsets;
        entryService = Arrays.copyOf(svc, entries);
        entryUnits = Arrays.copyOf(units, entries);
    }

    private static void addDelta(long[][] deltas, int[][] deltaServices, int[] count, int at, int service, long units) {
        if (deltas[at] == null) {
            deltas[at] = new long[2];
            deltaServices[at] = new int[2];
        } else if (count[at] == deltas[at].length) {
            deltas[at] = Arrays.copyOf(deltas[at], count[at] * 2);
            deltaServices[at] = Arrays.copyOf(deltaServices[at], count[at] * 2);
        }
        deltas[at][count[at]] = units;
        deltaServices[at][count[at]] = service;
        count[at]++;
    }

    int serviceCount() {
        return services.length;
    }

    ServiceKey service(int index) {
        return services[index];
    }

    /**
     * Adds each service's CPU-milliseconds (milliseconds × CPU units) within [from, to) to
     * {@code cpuMillis}, indexed like {@link #service(int)}.
     *
     * @return true if any task ran in the window
     */
    boolean accumulate(long from, long to, long[] cpuMillis) {
        if (bounds.length < 2 || to <= from || to <= bounds[0] || from >= bounds[bounds.length - 1]) {
            return false;
        }
        int j = Arrays.binarySearch(bounds, from);
        if (j < 0) {
            j = Math.max(0, -j - 2);
        }
        boolean any = false;
        int segments = bounds.length - 1;
        for (; j < segments && bounds[j] < to; j++) {
            long overlap = Math.min(to, bounds[j + 1]) - Math.max(from, bounds[j]);
            if (overlap <= 0) {
                continue;
            }
            for (int e = segmentOffsets[j]; e < segmentOffsets[j + 1]; e++) {
                cpuMillis[entryService[e]] = Math.addExact(cpuMillis[entryService[e]],
                        Math.multiplyExact(overlap, entryUnits[e]));
                any = true;
            }
        }
        return any;
    }

    /**
     * The segment holding {@code from} (or the first after it): found by walking forward from
     * {@code hint} when that is close — the rows of an instance come hour after hour — else by a
     * binary search.
     */
    int segmentAt(long from, int hint) {
        int segments = bounds.length - 1;
        if (hint >= 0 && hint < segments && bounds[hint] <= from) {
            int j = hint;
            for (int steps = 0; steps < 8 && j < segments; steps++, j++) {
                if (bounds[j + 1] > from) {
                    return j;
                }
            }
        }
        int j = Arrays.binarySearch(bounds, from);
        return j >= 0 ? j : Math.max(0, -j - 2);
    }

    /**
     * Adds each service's CPU-milliseconds within [from, to), from segment {@code j} on, and lists in
     * {@code touched} the services that had none yet.
     *
     * @return the new number of touched services
     */
    int accumulate(long from, long to, int j, long[] cpuMillis, int[] touched, int touchedCount) {
        if (bounds.length < 2 || to <= from) {
            return touchedCount;
        }
        int segments = bounds.length - 1;
        for (; j < segments && bounds[j] < to; j++) {
            long overlap = Math.min(to, bounds[j + 1]) - Math.max(from, bounds[j]);
            if (overlap <= 0) {
                continue;
            }
            for (int e = segmentOffsets[j]; e < segmentOffsets[j + 1]; e++) {
                int service = entryService[e];
                if (cpuMillis[service] == 0) {
                    touched[touchedCount++] = service;
                }
                cpuMillis[service] = Math.addExact(cpuMillis[service], Math.multiplyExact(overlap, entryUnits[e]));
            }
        }
        return touchedCount;
    }
}
