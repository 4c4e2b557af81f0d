package dev.tally.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static dev.tally.bench.Report.max;
import static dev.tally.bench.Report.ratio;
import static dev.tally.bench.Report.stat;

/** The report as the results file ({@code --out}) holds it: machine, options, month, runs, statistics, verdict. */
final class ReportJson {
    private ReportJson() {
    }

    static ObjectNode json(Report report, Map<String, String> generatorOptions) {
        ObjectNode root = ProbeLine.object();
        root.put("tool", "tally bench");
        root.put("started_at", report.started().toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            machine.put("memory_bytes", os.getTotalMemorySize());
        }
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        ArrayNode lb = machine.putArray("load_average_before");
        for (double d : report.loadBefore()) {
            lb.add(d);
        }
        ArrayNode la = machine.putArray("load_average_after");
        for (double d : report.loadAfter()) {
            la.add(d);
        }
        ObjectNode opts = root.putObject("options");
        ObjectNode g = opts.putObject("generator");
        generatorOptions.forEach(g::put);
        opts.put("xmx", report.xmx());
        ArrayNode ja = opts.putArray("jvm_args");
        report.jvmArgs().forEach(ja::add);
        opts.put("runs", report.runs());
        opts.put("max_ratio", report.maxRatio());
        opts.put("duckdb_threads", report.duckdbThreads());
        var mf = report.month().manifest();
        ObjectNode m = root.putObject("month");
        m.put("dir", report.month().dir().toString());
        m.put("cache_key", report.key());
        m.put("reused", report.month().reused());
        m.put("generate_ms", report.month().generateMillis());
        m.put("format", mf.format().id());
        m.put("compression", report.month().spec().compression().name().toLowerCase(Locale.ROOT));
        m.put("bill_file", mf.billFile());
        m.put("bill_bytes", sizeBytes(report.month().bill()));
        m.put("events_file", mf.eventsFile());
        m.put("events_bytes", sizeBytes(report.month().events()));
        m.put("rows_written", mf.rowsWritten());
        m.put("line_items", mf.lineItems());
        m.put("events_written", mf.events().written());
        m.put("total_cost", mf.totalCost().toPlainString());
        ObjectNode w = root.putObject("file_cache_warmup");
        w.put("bytes", report.warm()[0]);
        w.put("ms", report.warm()[1]);

        ObjectNode t = root.putObject("tally");
        runs(t.putArray("runs"), report.tally(), TallyMetrics::toJson);
        stats(t, "probe_ms", report.tallyProbe());
        stats(t, "process_ms", report.tallyProcess());
        List<TallyMetrics> ok = report.tallyOk();
        stats(t, "cpu_ms", stat(ok, TallyMetrics::cpuMillis));
        stats(t, "gc_ms", stat(ok, TallyMetrics::gcMillis));
        stats(t, "gc_cpu_ms", stat(ok, TallyMetrics::gcCpuMillis));
        stats(t, "jit_cpu_ms", stat(ok, TallyMetrics::jitCpuMillis));
        stats(t, "gc_count", stat(ok, TallyMetrics::gcCount));
        t.put("heap_peak_used_bytes_max", max(ok, TallyMetrics::heapPeakUsedBytes));
        t.put("heap_pool_peaks_sum_bytes_max", max(ok, TallyMetrics::heapPoolPeaksSumBytes));
        t.put("heap_max_after_gc_bytes_max", max(ok, TallyMetrics::heapMaxAfterGcBytes));
        t.put("heap_peak_committed_bytes_max", max(ok, TallyMetrics::heapPeakCommittedBytes));
        t.put("peak_rss_bytes_max", max(ok, TallyMetrics::peakRssBytes));
        if (report.tallyProbe().measured()) {
            t.put("rows_per_s_median", Math.round(mf.rowsWritten() * 1000.0 / report.tallyProbe().median()));
        }

        ObjectNode d = root.putObject("duckdb");
        if (report.duckdbSkipped() != null) {
            d.put("skipped", report.duckdbSkipped());
        } else {
            d.put("sql", DuckDbQuery.sql(mf.format(), mf.tagKey(), report.month().bill()));
            runs(d.putArray("runs"), report.duck(), DuckDbMetrics::toJson);
            stats(d, "query_ms", report.duckQuery());
            stats(d, "process_ms", report.duckProcess());
            stats(d, "cpu_ms", stat(report.duckOk(), DuckDbMetrics::cpuMillis));
            if (report.duckQuery().measured()) {
                d.put("rows_per_s_median", Math.round(mf.rowsWritten() * 1000.0 / report.duckQuery().median()));
            }
            ObjectNode ratio = root.putObject("ratio");
            putRatio(ratio, "median", ratio(report.tallyProbe(), report.duckQuery(), false));
            putRatio(ratio, "best", ratio(report.tallyProbe(), report.duckQuery(), true));
            putRatio(ratio, "process_median", ratio(report.tallyProcess(), report.duckProcess(), false));
            putRatio(ratio, "cpu_median", ratio(stat(ok, TallyMetrics::cpuMillis),
                    stat(report.duckOk(), DuckDbMetrics::cpuMillis), false));
            ratio.put("max", report.maxRatio());
        }
        ObjectNode tot = root.putObject("totals");
        tot.put("manifest", mf.totalCost().toPlainString());
        ArrayNode tt = tot.putArray("tally");
        ok.forEach(x -> tt.add(x.totalCost().toPlainString()));
        ArrayNode dt = tot.putArray("duckdb");
        report.duckOk().forEach(x -> dt.add(x.totalCost().toPlainString()));
        Verdict v = report.verdict();
        ObjectNode vn = root.putObject("verdict");
        vn.put("pass", v.pass());
        ArrayNode reasons = vn.putArray("reasons");
        v.reasons().forEach(reasons::add);
        return root;
    }

    /** Each timed run: its metrics (without the probe line) and how its process ran. */
    private static <M> void runs(ArrayNode into, List<Run<M>> runs, Function<M, ObjectNode> metrics) {
        for (Run<M> r : runs) {
            ObjectNode n = metrics.apply(r.metrics());
            n.remove("probe");
            n.put("run", r.run());
            n.put("process_ms", r.processMillis());
            n.put("exit_code", r.exitCode());
            n.put("load_1m_at_start", r.loadAtStart());
            into.add(n);
        }
    }

    private static void putRatio(ObjectNode n, String field, Double r) {
        if (r == null) {
            n.putNull(field);
        } else {
            n.put(field, Math.round(r * 1000) / 1000.0);
        }
    }

    private static void stats(ObjectNode parent, String field, Stats s) {
        ObjectNode n = parent.putObject(field);
        if (s.measured()) {
            n.put("best", s.best());
            n.put("median", s.median());
        } else {
            n.putNull("best");
            n.putNull("median");
        }
    }

    private static long sizeBytes(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
