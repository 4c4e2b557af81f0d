package dev.tally.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The timed runs, each in a fresh child JVM: Tally's full rollup under {@code -Xmx} with the launcher's options
 * ({@link RollupProbe}), and DuckDB's group-by of the same bill ({@link DuckDbProbe}); plus the untimed warm-up of
 * the file cache and the machine's load average around them.
 */
final class TimedRuns {
    private final String xmx;
    private final List<String> jvmArgs;
    private final int duckdbThreads;
    private final long timeoutSeconds;
    /** Where each Tally run writes its tables (deleted after the run). */
    private final Path root;
    private final String classPath = ChildJvm.ownClassPath();

    /** How the rollup splits ECS host instances (§9): {@code events} or {@code aws}. */
    private final String ecsSplit;

    TimedRuns(String xmx, List<String> jvmArgs, int duckdbThreads, long timeoutSeconds, Path root, String ecsSplit) {
        this.ecsSplit = ecsSplit;
        this.xmx = xmx;
        this.jvmArgs = jvmArgs;
        this.duckdbThreads = duckdbThreads;
        this.timeoutSeconds = timeoutSeconds;
        this.root = root;
    }

    /**
     * Runs Tally and DuckDB {@code runs} times each, alternating (DuckDB only when {@code withDuckDb}), and says
     * how each went on {@code e} as it goes.
     */
    void alternate(MonthCache.Month month, int runs, boolean withDuckDb, PrintWriter e,
                   List<Run<TallyMetrics>> tally, List<Run<DuckDbMetrics>> duck) throws IOException, InterruptedException {
        for (int i = 1; i <= runs; i++) {
            Run<TallyMetrics> t = tally(i, month);
            tally.add(t);
            e.printf("run %d/%d  Tally: %s%n", i, runs, t.describe(m -> m.ok()
                    ? String.format(Locale.ROOT, "%.2f s full rollup (process %.2f s), heap after GC max %s, GC %d ms",
                            m.probeMillis() / 1000.0, t.processMillis() / 1000.0, ReportTable.mib(m.heapMaxAfterGcBytes()),
                            m.gcMillis())
                    : m.error()));
            e.flush();
            if (withDuckDb) {
                Run<DuckDbMetrics> d = duckDb(i, month);
                duck.add(d);
                e.printf("run %d/%d  DuckDB: %s%n", i, runs, d.describe(m -> m.ok()
                        ? String.format(Locale.ROOT, "%.2f s group-by (process %.2f s)", m.queryMillis() / 1000.0,
                                d.processMillis() / 1000.0)
                        : m.error()));
                e.flush();
            }
        }
    }

    Run<TallyMetrics> tally(int i, MonthCache.Month month)
            throws IOException, InterruptedException {
        Path tables = Files.createTempDirectory(root, "rollup-");
        double load = loadAverage()[0];
        try {
            // The options the ./tally launcher gives the rollup, so the bench measures what users run.
            List<String> jvm = new ArrayList<>(LauncherOptions.launcherJvmOptions());
            jvm.add("-Xmx" + xmx);
            jvm.addAll(jvmArgs);
            List<String> args = new ArrayList<>(List.of("--billing", month.bill().toString(),
                    "--events", month.events().toString(), "--areas", month.areas().toString(),
                    "--tag-key", month.manifest().tagKey(), "--ecs-split", ecsSplit, "--out", tables.toString()));
            ChildJvm.Outcome r = ChildJvm.run(ChildJvm.command(jvm, classPath, RollupProbe.class.getName(), args),
                    timeoutSeconds);
            TallyMetrics m;
            try {
                m = TallyMetrics.fromJson(ProbeLine.parse(r.stdout()));
            } catch (IllegalArgumentException ex) {
                m = TallyMetrics.failed(failure(r, ex));
            }
            if (m.ok() && r.exitCode() != 0) {
                m = TallyMetrics.failed("exit status " + r.exitCode() + " after a result line");
            }
            return new Run<>(i, r.wallMillis(), r.exitCode(), m, m.ok(), r.stderrTail(5), load);
        } finally {
            MonthCache.deleteTree(tables);
        }
    }

    Run<DuckDbMetrics> duckDb(int i, MonthCache.Month month)
            throws IOException, InterruptedException {
        List<String> args = List.of("--billing", month.bill().toString(), "--format", month.manifest().format().id(),
                "--tag-key", month.manifest().tagKey(), "--threads", Integer.toString(duckdbThreads));
        double load = loadAverage()[0];
        ChildJvm.Outcome r = ChildJvm.run(ChildJvm.command(List.of(), classPath, DuckDbProbe.class.getName(), args),
                timeoutSeconds);
        DuckDbMetrics m;
        try {
            m = DuckDbMetrics.fromJson(ProbeLine.parse(r.stdout()));
        } catch (IllegalArgumentException ex) {
            m = DuckDbMetrics.failed(failure(r, ex));
        }
        return new Run<>(i, r.wallMillis(), r.exitCode(), m, m.ok(), r.stderrTail(5), load);
    }

    private static String failure(ChildJvm.Outcome r, IllegalArgumentException ex) {
        if (r.timedOut()) {
            return "timed out after " + r.wallMillis() / 1000 + " s";
        }
        String tail = r.stderrTail(3).replace('\n', ' ').trim();
        if (tail.contains("OutOfMemoryError")) {
            return "java.lang.OutOfMemoryError (exit status " + r.exitCode() + "): " + tail;
        }
        return ex.getMessage() + " (exit status " + r.exitCode() + ")" + (tail.isEmpty() ? "" : ": " + tail);
    }

    /** Reads the bill, events and areas once, untimed, so both sides start from a warm OS file cache. */
    static long[] warmFileCache(MonthCache.Month month) throws IOException {
        long t0 = System.nanoTime();
        long bytes = 0;
        byte[] buf = new byte[1 << 20];
        for (Path p : List.of(month.bill(), month.events(), month.areas())) {
            try (InputStream in = Files.newInputStream(p)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    bytes += n;
                }
            }
        }
        return new long[] {bytes, (System.nanoTime() - t0) / 1_000_000};
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}, as uptime shows them), or the JVM's 1 minute. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()};
        }
    }
}
