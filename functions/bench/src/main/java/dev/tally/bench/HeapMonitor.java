package dev.tally.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Watches this JVM's heap while a probe runs: the heap pools' own peaks, a 10 ms sampler of heap use and
 * committed size, and the
 * heap left in use after each collection (from the collectors' notifications). Cheap enough to leave on: one
 * daemon thread that wakes every 10 ms and a listener called once per collection.
 */
final class HeapMonitor implements AutoCloseable {
    private final List<MemoryPoolMXBean> heapPools;
    private final Set<String> heapPoolNames;
    private final AtomicLong maxAfterGc = new AtomicLong(-1);
    private final AtomicLong maxSampled = new AtomicLong();
    private final AtomicLong maxCommitted = new AtomicLong();
    private final List<Runnable> unregister = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private HeapMonitor() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPoolNames = heapPools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                NotificationListener listener = this::onNotification;
                emitter.addNotificationListener(listener, null, null);
                unregister.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        sampler = new Thread(() -> {
            while (running) {
                sample(memory.getHeapMemoryUsage());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
    }

    /** Resets the pools' peaks and starts watching. */
    static HeapMonitor start() {
        HeapMonitor m = new HeapMonitor();
        m.heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        m.sampler.start();
        return m;
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPoolNames.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        maxAfterGc.accumulateAndGet(used, Math::max);
    }

    /**
     * Sum over heap pools of each pool's peak use since {@link #start()}: an over-estimate of the peak (each
     * pool peaks at a different time), which with G1 can exceed {@code -Xmx}.
     */
    long poolPeaksSum() {
        return heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private void sample(MemoryUsage heap) {
        maxSampled.accumulateAndGet(heap.getUsed(), Math::max);
        maxCommitted.accumulateAndGet(heap.getCommitted(), Math::max);
    }

    /**
     * Highest committed heap seen by the sampler (and now). Not the pools' peaks summed: G1 moves regions
     * between eden, survivor and old, so those would add up to more than {@code -Xmx}.
     */
    long peakCommitted() {
        sample(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
        return maxCommitted.get();
    }

    /** Highest heap use seen by the sampler (and now). */
    long peakSampled() {
        sample(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
        return maxSampled.get();
    }

    /** Highest heap use right after a collection, or -1 if there was none. */
    long maxAfterGc() {
        return maxAfterGc.get();
    }

    static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(c -> c > 0).sum();
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(c -> c > 0).sum();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        unregister.forEach(Runnable::run);
    }
}
