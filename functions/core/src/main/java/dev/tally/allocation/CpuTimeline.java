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
    private final int serviceCount;
    /**
     * Everything in one array, so a row's lookup touches few cache lines: {@code B} bounds, then per
     * bound the index in this array where its segment's entries start (the last one: where they end),
     * then the entries, two longs each (service, CPU units).
     */
    private final long[] data;
    private final int boundCount;

    /** One task interval on the instance, [start, end) with end > start. */
    record Run(long start, long end, int service, int units) {
    }

    CpuTimeline(ServiceKey[] services, List<Run> runs) {
        this.services = services;
        int events = runs.size() * 2;
        // every start and end as one sortable long: time (from the earliest) above, event number below
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Run run : runs) {
            min = Math.min(min, run.start());
            max = Math.max(max, run.end());
        }
        int indexBits = 64 - Long.numberOfLeadingZeros(Math.max(1, events));
        long[] order = new long[events];
        if (events > 0 && 64 - Long.numberOfLeadingZeros(max - min) + indexBits <= 62) {
            for (int i = 0; i < runs.size(); i++) {
                order[2 * i] = ((runs.get(i).start() - min) << indexBits) | (2L * i);
                order[2 * i + 1] = ((runs.get(i).end() - min) << indexBits) | (2L * i + 1);
            }
            Arrays.sort(order);
            for (int k = 0; k < events; k++) {
                order[k] &= (1L << indexBits) - 1;
            }
        } else {
            Integer[] boxed = new Integer[events];
            for (int k = 0; k < events; k++) {
                boxed[k] = k;
            }
            Arrays.sort(boxed, java.util.Comparator.comparingLong(k -> time(runs, k)));
            for (int k = 0; k < events; k++) {
                order[k] = boxed[k];
            }
        }
        // sweep: units per service change only at the bounds (the distinct times)
        long[] points = new long[events];
        int[] offsets = new int[events + 1];
        long[] running = new long[services.length];
        int[] svc = new int[Math.max(4, events)];
        long[] units = new long[svc.length];
        int unique = 0;
        int entries = 0;
        int active = 0;
        int k = 0;
        while (k < events) {
            long at = time(runs, (int) order[k]);
            while (k < events && time(runs, (int) order[k]) == at) {
                int event = (int) order[k++];
                Run run = runs.get(event >> 1);
                int s = run.service();
                boolean wasActive = running[s] != 0;
                running[s] += (event & 1) == 0 ? run.units() : -run.units();
                active += (running[s] != 0 ? 1 : 0) - (wasActive ? 1 : 0);
            }
            points[unique] = at;
            offsets[unique] = entries;
            unique++;
            if (k < events && active > 0) {
                if (entries + active > svc.length) {
                    int capacity = Math.max(svc.length * 2, entries + active);
                    svc = Arrays.copyOf(svc, capacity);
                    units = Arrays.copyOf(units, capacity);
                }
                for (int s = 0; s < running.length; s++) {
                    if (running[s] != 0) {
                        svc[entries] = s;
                        units[entries] = running[s];
                        entries++;
                    }
                }
            }
        }
        serviceCount = services.length;
        boundCount = unique;
        int segments = Math.max(0, unique - 1);
        offsets[segments] = entries;
        int entriesAt = 2 * unique;
        data = new long[entriesAt + 2 * entries];
        System.arraycopy(points, 0, data, 0, unique);
        for (int j = 0; j < unique; j++) {
            data[unique + j] = entriesAt + 2L * offsets[Math.min(j, segments)];
        }
        for (int e = 0; e < entries; e++) {
            data[entriesAt + 2 * e] = svc[e];
            data[entriesAt + 2 * e + 1] = units[e];
        }
    }

    /** The time of event {@code k}: run {@code k / 2}'s start when even, its end when odd. */
    private static long time(List<Run> runs, int k) {
        Run run = runs.get(k >> 1);
        return (k & 1) == 0 ? run.start() : run.end();
    }

    int serviceCount() {
        return serviceCount;
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
        int n = boundCount;
        if (n < 2 || to <= from || to <= data[0] || from >= data[n - 1]) {
            return false;
        }
        int j = Arrays.binarySearch(data, 0, n, from);
        if (j < 0) {
            j = Math.max(0, -j - 2);
        }
        boolean any = false;
        int segments = n - 1;
        for (; j < segments && data[j] < to; j++) {
            long overlap = Math.min(to, data[j + 1]) - Math.max(from, data[j]);
            if (overlap <= 0) {
                continue;
            }
            for (int e = (int) data[n + j]; e < (int) data[n + j + 1]; e += 2) {
                int service = (int) data[e];
                cpuMillis[service] = Math.addExact(cpuMillis[service], Math.multiplyExact(overlap, data[e + 1]));
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
        int segments = boundCount - 1;
        if (hint >= 0 && hint < segments && data[hint] <= from) {
            int j = hint;
            for (int steps = 0; steps < 8 && j < segments; steps++, j++) {
                if (data[j + 1] > from) {
                    return j;
                }
            }
        }
        int j = Arrays.binarySearch(data, 0, boundCount, from);
        return j >= 0 ? j : Math.max(0, -j - 2);
    }

    /**
     * Adds each service's CPU-milliseconds within [from, to), from segment {@code j} on, and lists in
     * {@code touched} the services that had none yet.
     *
     * @return the new number of touched services
     */
    int accumulate(long from, long to, int j, long[] cpuMillis, int[] touched, int touchedCount) {
        int n = boundCount;
        if (n < 2 || to <= from) {
            return touchedCount;
        }
        int segments = n - 1;
        for (; j < segments && data[j] < to; j++) {
            long overlap = Math.min(to, data[j + 1]) - Math.max(from, data[j]);
            if (overlap <= 0) {
                continue;
            }
            for (int e = (int) data[n + j]; e < (int) data[n + j + 1]; e += 2) {
                int service = (int) data[e];
                if (cpuMillis[service] == 0) {
                    touched[touchedCount++] = service;
                }
                cpuMillis[service] = Math.addExact(cpuMillis[service], Math.multiplyExact(overlap, data[e + 1]));
            }
        }
        return touchedCount;
    }
}
