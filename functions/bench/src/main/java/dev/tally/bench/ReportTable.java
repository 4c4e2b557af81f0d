package dev.tally.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.tally.bench.Report.max;
import static dev.tally.bench.Report.ratio;
import static dev.tally.bench.Report.stat;

/** The report as {@code tally bench} prints it: the setup, a line per run, best and median, heap, GC, totals, verdict. */
final class ReportTable {
    private ReportTable() {
    }

    static void print(Report report, PrintWriter o) {
        var mf = report.month().manifest();
        o.println();
        o.printf("Tally bench: %s %s, %,d bill rows (%,d line items), %,d events; bill %s (%s), events %s%n",
                mf.format().id(), report.month().spec().compression().name().toLowerCase(Locale.ROOT), mf.rowsWritten(),
                mf.lineItems(), mf.events().written(), mf.billFile(), size(report.month().bill()), size(report.month().events()));
        o.printf("month: %s%n", report.month().dir());
        o.printf("machine: %d cores, Java %s; load average %s before, %s after%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                load(report.loadBefore()), load(report.loadAfter()));
        o.printf("Tally: child JVM %s -Xmx%s%s; DuckDB: child JVM, in-memory database, %s threads; %d runs each,"
                        + " alternating, file cache warmed first%n", String.join(" ", LauncherOptions.launcherJvmOptions()), report.xmx(),
                report.jvmArgs().isEmpty() ? "" : " " + String.join(" ", report.jvmArgs()),
                report.duckdbThreads() > 0 ? Integer.toString(report.duckdbThreads()) : "default", report.runs());
        o.println();
        o.printf("%-4s %5s %9s %9s %7s %8s %8s %7s %6s %10s %9s %9s %9s %5s %7s %8s %8s | %5s %9s %9s %7s %8s%n",
                "run", "load", "tally_s", "process_s", "cpu_s", "events_s", "bill_s", "finish", "write", "rows/s",
                "heap_used", "after_gc", "committed", "gcs", "gc_ms", "gc_cpu_s", "rss",
                "load", "duckdb_s", "process_s", "cpu_s", "rss");
        for (int i = 0; i < report.tally().size(); i++) {
            Run<TallyMetrics> t = report.tally().get(i);
            TallyMetrics m = t.metrics();
            String left = t.ok()
                    ? String.format(Locale.ROOT, "%-4d %5.2f %9.2f %9.2f %7.2f %8.2f %8.2f %7.2f %6.2f %,10d"
                                    + " %9s %9s %9s %5d %7d %8.2f %8s",
                            t.run(), t.loadAtStart(), m.probeMillis() / 1000.0, t.processMillis() / 1000.0,
                            m.cpuMillis() / 1000.0, m.eventsMillis() / 1000.0, m.billMillis() / 1000.0,
                            m.finishMillis() / 1000.0, m.writeMillis() / 1000.0, Math.round(m.rowsPerSecond()),
                            mib(m.heapPeakUsedBytes()), mib(m.heapMaxAfterGcBytes()),
                            mib(m.heapPeakCommittedBytes()), m.gcCount(), m.gcMillis(), m.gcCpuMillis() / 1000.0,
                            mib(m.peakRssBytes()))
                    : String.format(Locale.ROOT, "%-4d FAILED after %.2f s (process): %s", t.run(),
                            t.processMillis() / 1000.0, m.error());
            String right = "";
            if (i < report.duck().size()) {
                Run<DuckDbMetrics> d = report.duck().get(i);
                right = d.ok()
                        ? String.format(Locale.ROOT, " | %5.2f %9.2f %9.2f %7.2f %8s", d.loadAtStart(),
                                d.metrics().queryMillis() / 1000.0, d.processMillis() / 1000.0,
                                d.metrics().cpuMillis() / 1000.0, mib(d.metrics().peakRssBytes()))
                        : " | DuckDB FAILED: " + d.metrics().error();
            }
            o.println(left + right);
        }
        o.println();
        Stats tp = report.tallyProbe();
        Stats tproc = report.tallyProcess();
        Stats dq = report.duckQuery();
        Stats dproc = report.duckProcess();
        o.printf("%-34s %12s %12s%n", "", "best", "median");
        o.printf("%-34s %12s %12s%n", "Tally wall, full rollup (s)", sec(tp.best()), sec(tp.median()));
        o.printf("%-34s %12s %12s%n", "Tally wall, whole process (s)", sec(tproc.best()), sec(tproc.median()));
        if (report.duckdbSkipped() == null) {
            o.printf("%-34s %12s %12s%n", "DuckDB wall, group-by (s)", sec(dq.best()), sec(dq.median()));
            o.printf("%-34s %12s %12s%n", "DuckDB wall, whole process (s)", sec(dproc.best()), sec(dproc.median()));
            o.printf("%-34s %12s %12s   (verdict: median, max %.2f)%n", "ratio Tally/DuckDB",
                    ratioText(ratio(tp, dq, true)), ratioText(ratio(tp, dq, false)), report.maxRatio());
            o.printf("%-34s %12s %12s%n", "ratio, whole processes", ratioText(ratio(tproc, dproc, true)),
                    ratioText(ratio(tproc, dproc, false)));
            Stats tcpu = stat(report.tallyOk(), TallyMetrics::cpuMillis);
            Stats dcpu = stat(report.duckOk(), DuckDbMetrics::cpuMillis);
            o.printf("%-34s %12s %12s%n", "CPU time, Tally process (s)", sec(tcpu.best()), sec(tcpu.median()));
            o.printf("%-34s %12s %12s%n", "CPU time, DuckDB process (s)", sec(dcpu.best()), sec(dcpu.median()));
            o.printf("%-34s %12s %12s%n", "ratio of CPU times", ratioText(ratio(tcpu, dcpu, true)),
                    ratioText(ratio(tcpu, dcpu, false)));
        } else {
            o.printf("DuckDB: not timed (%s)%n", report.duckdbSkipped());
        }
        long rowsRead = report.month().manifest().rowsWritten();
        o.printf("%-34s %12s %12s%n", "Tally rows/s (full rollup)", perSecond(rowsRead, tp.best()),
                perSecond(rowsRead, tp.median()));
        if (report.duckdbSkipped() == null) {
            o.printf("%-34s %12s %12s%n", "DuckDB rows/s (group-by)", perSecond(rowsRead, dq.best()),
                    perSecond(rowsRead, dq.median()));
        }
        List<TallyMetrics> ok = report.tallyOk();
        if (!ok.isEmpty()) {
            o.printf("Tally heap (-Xmx%s, max %s), worst run: max after GC %s, peak used %s, peak committed %s"
                            + " (sampled every 10 ms; pools' own peaks summed %s); process peak RSS %s%n", report.xmx(),
                    mib(ok.get(0).heapMaxBytes()), mib(max(ok, TallyMetrics::heapMaxAfterGcBytes)),
                    mib(max(ok, TallyMetrics::heapPeakUsedBytes)), mib(max(ok, TallyMetrics::heapPeakCommittedBytes)),
                    mib(max(ok, TallyMetrics::heapPoolPeaksSumBytes)), mib(max(ok, TallyMetrics::peakRssBytes)));
            Stats gc = stat(ok, TallyMetrics::gcMillis);
            Stats gcs = stat(ok, TallyMetrics::gcCount);
            o.printf("Tally GC, median: %s s of collection time in %s collections (best %s s); collector threads' CPU"
                            + " %s s, JIT compilers' CPU %s s%n", sec(gc.median()), trim(gcs.median()), sec(gc.best()),
                    sec(stat(ok, TallyMetrics::gcCpuMillis).median()), sec(stat(ok, TallyMetrics::jitCpuMillis).median()));
            o.printf("Tally phases, median: events %s s, bill %s s, finish %s s, write %s s%n",
                    sec(stat(ok, TallyMetrics::eventsMillis).median()), sec(stat(ok, TallyMetrics::billMillis).median()),
                    sec(stat(ok, TallyMetrics::finishMillis).median()), sec(stat(ok, TallyMetrics::writeMillis).median()));
        }
        if (!report.duckOk().isEmpty()) {
            o.printf("DuckDB: %d tag groups, process peak RSS %s (worst run)%n", report.duckOk().get(0).groups(),
                    mib(max(report.duckOk(), DuckDbMetrics::peakRssBytes)));
        }
        o.printf("totals: manifest %s; Tally %s; DuckDB %s%n", mf.totalCost().toPlainString(),
                totals(ok.stream().map(TallyMetrics::totalCost).toList(), mf.totalCost()),
                report.duckdbSkipped() != null ? "not run" : totals(report.duckOk().stream().map(DuckDbMetrics::totalCost).toList(),
                        mf.totalCost()));
        o.println(report.verdict().line());
        o.flush();
    }

    private static String totals(List<BigDecimal> totals, BigDecimal expected) {
        if (totals.isEmpty()) {
            return "no successful run";
        }
        List<String> distinct = totals.stream().map(BigDecimal::toPlainString).distinct().toList();
        boolean equal = totals.stream().allMatch(t -> t.compareTo(expected) == 0);
        return String.join(" / ", distinct) + (equal ? " (= manifest)" : " (DIFFERS from the manifest)");
    }

    private static String size(Path p) {
        try {
            return mib(Files.size(p));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String load(double[] l) {
        List<String> s = new ArrayList<>();
        for (double d : l) {
            s.add(String.format(Locale.ROOT, "%.2f", d));
        }
        return String.join(" ", s);
    }

    private static String sec(double millis) {
        return millis < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratioText(Double r) {
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String perSecond(long rows, double millis) {
        return millis <= 0 ? "n/a" : String.format(Locale.ROOT, "%,d", Math.round(rows * 1000.0 / millis));
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
