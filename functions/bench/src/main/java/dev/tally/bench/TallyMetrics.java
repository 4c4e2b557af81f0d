package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;

/**
 * What the rollup probe measured in its JVM (see {@link RollupProbe}). Times are milliseconds, sizes bytes;
 * -1 where not measured (for example after a failure).
 *
 * @param error                 null on success, else the failure's class and message (e.g. OutOfMemoryError)
 * @param jvmStartToProbeMillis from JVM start to the probe's main method (JVM boot, class loading)
 * @param probeMillis           from the probe's main to the tables written: the full rollup
 * @param jvmMillis             from JVM start to the tables written
 * @param eventsMillis          reading the events into the history ({@code Rollup.Timings})
 * @param billMillis            streaming the bill through the allocator
 * @param finishMillis          shared charges and the tables
 * @param writeMillis           writing the tables, summary and report
 * @param rowsRead              bill data rows read: line items + skipped + malformed
 * @param lineItems             cost line items
 * @param events                events read
 * @param heapMaxBytes          the JVM's maximum heap ({@code Runtime.maxMemory()})
 * @param heapPeakUsedBytes     highest heap use seen by a 10 ms sampler (a lower bound of the true peak)
 * @param heapPoolPeaksSumBytes sum over heap memory pools of each pool's own peak: an over-estimate, which with
 *                              G1 can exceed the heap (regions move between eden, survivor and old)
 * @param heapPeakCommittedBytes highest committed heap seen by the 10 ms sampler
 * @param heapMaxAfterGcBytes   highest heap use right after a collection (what the run really keeps alive,
 *                              plus garbage a young collection did not reach)
 * @param gcCount               collections, all collectors
 * @param gcMillis              time in collections as the collectors report it (pauses, plus concurrent
 *                              cycles where the JVM reports them)
 * @param peakRssBytes          peak resident set size of the child process (Linux VmHWM)
 * @param cpuMillis             CPU time of the whole child process so far (all threads: the rollup, GC, JIT),
 *                              less disturbed than wall time by other load on the machine
 * @param gcCpuMillis           CPU time of the collector threads (pauses and concurrent work; Linux only)
 * @param jitCpuMillis          CPU time of the JIT compiler threads (Linux only)
 * @param totalCost             the rollup summary's {@code total_cost}
 */
public record TallyMetrics(String error, long jvmStartToProbeMillis, long probeMillis, long jvmMillis,
                           long eventsMillis, long billMillis, long finishMillis, long writeMillis, long rowsRead,
                           long lineItems, long events, long heapMaxBytes, long heapPeakUsedBytes,
                           long heapPoolPeaksSumBytes, long heapPeakCommittedBytes, long heapMaxAfterGcBytes,
                           long gcCount, long gcMillis, long peakRssBytes, long cpuMillis,
                           long gcCpuMillis, long jitCpuMillis, BigDecimal totalCost) {

    public boolean ok() {
        return error == null;
    }

    /** Bill rows per second of the full rollup (probe wall), or 0 if not measured. */
    public double rowsPerSecond() {
        return probeMillis > 0 && rowsRead > 0 ? rowsRead * 1000.0 / probeMillis : 0;
    }

    /** A failed run: only the error is known. */
    public static TallyMetrics failed(String error) {
        return new TallyMetrics(error, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                -1, -1, null);
    }

    public ObjectNode toJson() {
        ObjectNode n = ProbeLine.object();
        n.put("probe", "tally");
        if (error != null) {
            n.put("error", error);
        }
        n.put("jvm_start_to_probe_ms", jvmStartToProbeMillis);
        n.put("probe_ms", probeMillis);
        n.put("jvm_ms", jvmMillis);
        n.put("events_ms", eventsMillis);
        n.put("bill_ms", billMillis);
        n.put("finish_ms", finishMillis);
        n.put("write_ms", writeMillis);
        n.put("rows_read", rowsRead);
        n.put("line_items", lineItems);
        n.put("events", events);
        n.put("rows_per_s", Math.round(rowsPerSecond()));
        n.put("heap_max_bytes", heapMaxBytes);
        n.put("heap_peak_used_bytes", heapPeakUsedBytes);
        n.put("heap_pool_peaks_sum_bytes", heapPoolPeaksSumBytes);
        n.put("heap_peak_committed_bytes", heapPeakCommittedBytes);
        n.put("heap_max_after_gc_bytes", heapMaxAfterGcBytes);
        n.put("gc_count", gcCount);
        n.put("gc_ms", gcMillis);
        n.put("peak_rss_bytes", peakRssBytes);
        n.put("cpu_ms", cpuMillis);
        n.put("gc_cpu_ms", gcCpuMillis);
        n.put("jit_cpu_ms", jitCpuMillis);
        if (totalCost != null) {
            n.put("total_cost", totalCost.toPlainString());
        }
        return n;
    }

    /** @throws IllegalArgumentException if the object is not a Tally probe's result */
    public static TallyMetrics fromJson(JsonNode n) {
        if (!"tally".equals(ProbeLine.textOr(n, "probe", null))) {
            throw new IllegalArgumentException("not a Tally probe result: " + n);
        }
        String error = ProbeLine.textOr(n, "error", null);
        BigDecimal total = ProbeLine.decimalOr(n, "total_cost");
        if (error == null && total == null) {
            throw new IllegalArgumentException("the Tally probe reported neither a total_cost nor an error");
        }
        return new TallyMetrics(error,
                ProbeLine.longOr(n, "jvm_start_to_probe_ms", -1), ProbeLine.longOr(n, "probe_ms", -1),
                ProbeLine.longOr(n, "jvm_ms", -1), ProbeLine.longOr(n, "events_ms", -1),
                ProbeLine.longOr(n, "bill_ms", -1), ProbeLine.longOr(n, "finish_ms", -1),
                ProbeLine.longOr(n, "write_ms", -1), ProbeLine.longOr(n, "rows_read", -1),
                ProbeLine.longOr(n, "line_items", -1), ProbeLine.longOr(n, "events", -1),
                ProbeLine.longOr(n, "heap_max_bytes", -1), ProbeLine.longOr(n, "heap_peak_used_bytes", -1),
                ProbeLine.longOr(n, "heap_pool_peaks_sum_bytes", -1),
                ProbeLine.longOr(n, "heap_peak_committed_bytes", -1),
                ProbeLine.longOr(n, "heap_max_after_gc_bytes", -1), ProbeLine.longOr(n, "gc_count", -1),
                ProbeLine.longOr(n, "gc_ms", -1), ProbeLine.longOr(n, "peak_rss_bytes", -1),
                ProbeLine.longOr(n, "cpu_ms", -1), ProbeLine.longOr(n, "gc_cpu_ms", -1),
                ProbeLine.longOr(n, "jit_cpu_ms", -1), total);
    }
}
