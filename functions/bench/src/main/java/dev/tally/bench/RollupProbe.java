package dev.tally.bench;

import dev.tally.billing.Bill;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.history.EventReadReport;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import dev.tally.rollup.RollupWriter;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The child JVM's main for one timed Tally run: runs {@link RollupRunner} in this JVM exactly as
 * {@code tally rollup} does (areas, events, the streamed bill, shared charges, tables written), then prints one
 * {@link ProbeLine} with {@link TallyMetrics}. Started by the benchmark with {@code -Xmx} so the heap limit
 * applies as it does for users.
 *
 * <pre>
 * java -Xmx256m -cp tally-bench.jar dev.tally.bench.RollupProbe --billing F [--events F] [--areas F]
 *      [--tag-key K] [--ecs-split events|aws] --out DIR
 * </pre>
 *
 * Exit status 0 when the rollup succeeded, 1 when it failed (the line then carries {@code error}), 2 on wrong
 * usage.
 */
public final class RollupProbe {
    private RollupProbe() {
    }

    public static void main(String[] args) {
        Map<String, String> o;
        try {
            o = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RollupProbe: " + e.getMessage());
            System.exit(2);
            return;
        }
        HeapMonitor heap = HeapMonitor.start();
        long probeStartEpoch = System.currentTimeMillis();
        long t0 = System.nanoTime();
        TallyMetrics metrics;
        int code;
        try {
            RollupRunner.Request request = new RollupRunner.Request(Bill.of(Path.of(o.get("billing"))),
                    path(o.get("events")), path(o.get("areas")), o.getOrDefault("tag-key", "product_area"), null, false,
                    CostBasis.UNBLENDED, null, EcsSplit.parse(o.getOrDefault("ecs-split", "events")));
            Rollup rollup = new RollupRunner().run(request, bytes -> { });
            long w0 = System.nanoTime();
            RollupWriter.write(rollup, Path.of(o.get("out")));
            long writeMillis = (System.nanoTime() - w0) / 1_000_000;
            long probeMillis = (System.nanoTime() - t0) / 1_000_000;
            long jvmStartToProbe = probeStartEpoch - ManagementFactory.getRuntimeMXBean().getStartTime();
            long[] threads = ProbeLine.gcAndJitCpuMillis();
            EventReadReport ev = rollup.eventReport();
            var bill = rollup.billReport();
            metrics = new TallyMetrics(null, jvmStartToProbe, probeMillis, jvmStartToProbe + probeMillis,
                    rollup.timings().eventsMillis(), rollup.timings().billMillis(), rollup.timings().finishMillis(),
                    writeMillis, bill.lineItems() + bill.skippedRows() + bill.malformedRows(), bill.lineItems(),
                    ev.events(), Runtime.getRuntime().maxMemory(), heap.peakSampled(), heap.poolPeaksSum(),
                    heap.peakCommitted(), heap.maxAfterGc(), HeapMonitor.gcCount(), HeapMonitor.gcMillis(),
                    ProbeLine.peakRssBytes(), ProbeLine.processCpuMillis(), threads[0], threads[1],
                    rollup.summary().totalCost());
            code = 0;
        } catch (Throwable t) { // OutOfMemoryError included: the rollup's objects are unreachable by now
            long probeMillis = (System.nanoTime() - t0) / 1_000_000;
            long[] threads = ProbeLine.gcAndJitCpuMillis();
            metrics = new TallyMetrics(ProbeLine.describe(t), -1, probeMillis, -1, -1, -1, -1, -1, -1, -1, -1,
                    Runtime.getRuntime().maxMemory(), heap.peakSampled(), heap.poolPeaksSum(), heap.peakCommitted(),
                    heap.maxAfterGc(), HeapMonitor.gcCount(), HeapMonitor.gcMillis(), ProbeLine.peakRssBytes(),
                    ProbeLine.processCpuMillis(), threads[0], threads[1], null);
            code = 1;
        }
        heap.close();
        System.out.println(ProbeLine.format(metrics.toJson()));
        System.out.flush();
        System.exit(code);
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    /** {@code --name value} pairs; {@code --billing} and {@code --out} are required. */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got '" + a + "'");
            }
            String name = a.substring(2);
            if (!java.util.Set.of("billing", "events", "areas", "tag-key", "ecs-split", "out").contains(name)) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            o.put(name, args[++i]);
        }
        if (!o.containsKey("billing") || !o.containsKey("out")) {
            throw new IllegalArgumentException("usage: RollupProbe --billing F [--events F] [--areas F] "
                    + "[--tag-key K] [--ecs-split events|aws] --out DIR");
        }
        return o;
    }
}
