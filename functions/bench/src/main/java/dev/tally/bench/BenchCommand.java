package dev.tally.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.testkit.MonthSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * {@code tally bench}: generates (or reuses) a month with the test kit, runs the full rollup in a child JVM
 * under {@code -Xmx} the given number of times, times DuckDB's plain tag group-by over the same bill in a child
 * JVM as often, alternating the two, and prints wall times, rows/s, heap, GC time, the totals and a verdict.
 * See docs/performance.md.
 */
@Command(name = "tally bench",
        mixinStandardHelpOptions = true,
        version = "tally bench (docs/performance.md)",
        sortOptions = false,
        description = {
            "Benchmarks the full allocation of a generated month against DuckDB's plain tag group-by of the same bill.",
            "Each timed run is a fresh JVM: Tally under -Xmx, as users run it; DuckDB with an in-memory database.",
            "Exit status: 0 PASS, 1 FAIL (too slow, a run failed, or totals disagree), 2 wrong usage, 70 error."})
public final class BenchCommand implements Callable<Integer> {
    static final int EXIT_FAIL = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERNAL = 70;
    private static final Pattern HEAP_SIZE = Pattern.compile("\\d+[kKmMgG]?");

    @Spec
    CommandSpec spec;

    // --- the month (the test kit's generator options) ---
    @Option(names = "--rows", defaultValue = "1000000", paramLabel = "N",
            description = "Approximate cost line items (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--format", defaultValue = "dbr", paramLabel = "dbr|cur|cur2|focus",
            description = "Bill format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--compression", defaultValue = "gzip", paramLabel = "none|gzip|zip",
            description = "Bill compression (default: ${DEFAULT-VALUE}). DuckDB cannot read zip: it is then not timed.")
    String compression;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--period", paramLabel = "YYYY-MM", description = "Billing period (generator default 2017-02).")
    String period;

    @Option(names = "--instances", paramLabel = "N",
            description = "EC2 instances at the start of the month (default: from --rows).")
    Integer instances;

    @Option(names = "--services", paramLabel = "N", description = "ECS services (default: from --rows).")
    Integer services;

    @Option(names = "--clusters", paramLabel = "N", description = "ECS clusters (default: from --rows).")
    Integer clusters;

    @Option(names = "--volumes", paramLabel = "N", description = "EBS volumes (default: from --rows).")
    Integer volumes;

    @Option(names = "--fargate-share", paramLabel = "F",
            description = "Fraction of services on Fargate (generator default 0.2).")
    Double fargateShare;

    @Option(names = "--tag-key", paramLabel = "KEY", description = "Product-area tag key (default product_area).")
    String tagKey;

    @Option(names = "--messy", description = "Dirty events: duplicates, shuffled, noise, malformed lines.")
    boolean messy;

    @Option(names = "--gen", paramLabel = "NAME=VALUE",
            description = "Any other generator option (tally generate --help), e.g. --gen events-gzip=true.")
    Map<String, String> gen = new LinkedHashMap<>();

    // --- the benchmark ---
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where generated months are kept and reused, one directory per distinct set of generator "
                    + "options (default: <tmp>/tally-bench).")
    Path dir;

    @Option(names = "--xmx", defaultValue = "256m", paramLabel = "SIZE",
            description = "Heap limit of the Tally JVM, as -Xmx (default: ${DEFAULT-VALUE}).")
    String xmx;

    @Option(names = "--jvm-arg", paramLabel = "ARG",
            description = "Extra option for the Tally JVM (repeatable), e.g. --jvm-arg=-XX:+UseParallelGC.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "Timed runs of each (default: ${DEFAULT-VALUE}); best and median are reported.")
    int runs;

    @Option(names = "--no-duckdb", description = "Do not time DuckDB (the speed is then not checked).")
    boolean noDuckdb;

    @Option(names = "--duckdb-threads", defaultValue = "0", paramLabel = "N",
            description = "DuckDB worker threads (default: DuckDB's own, one per core).")
    int duckdbThreads;

    @Option(names = "--max-ratio", defaultValue = "1.5", paramLabel = "R",
            description = "PASS needs Tally's median wall time <= R x DuckDB's (default: ${DEFAULT-VALUE}).")
    double maxRatio;

    @Option(names = "--timeout", defaultValue = "3600", paramLabel = "SECONDS",
            description = "Kill a run that takes longer (default: ${DEFAULT-VALUE}; 0: never).")
    long timeoutSeconds;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path out;

    @Option(names = "--generate-only", description = "Generate (or find) the month, print its directory and stop.")
    boolean generateOnly;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (Boolean.getBoolean("tally.debug")) {
                e.printStackTrace(err);
            }
            err.println("tally bench: " + ProbeLine.describe(e) + " (run with JAVA_OPTS=-Dtally.debug=true for details)");
            return EXIT_INTERNAL;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("tally bench: " + e.getMessage());
            err.println("Try 'tally bench --help' for usage.");
            return EXIT_USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The generator options this command was given, by the generator's own names. */
    Map<String, String> generatorOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("rows", Integer.toString(rows));
        o.put("format", format);
        o.put("compression", compression);
        o.put("seed", Long.toString(seed));
        putIf(o, "period", period);
        putIf(o, "instances", instances);
        putIf(o, "services", services);
        putIf(o, "clusters", clusters);
        putIf(o, "volumes", volumes);
        putIf(o, "fargate-share", fargateShare);
        putIf(o, "tag-key", tagKey);
        if (messy) {
            o.put("messy", "true");
        }
        gen.forEach((k, v) -> {
            if (o.containsKey(k)) {
                throw new IllegalArgumentException("--gen " + k + ": use --" + k + " instead");
            }
            o.put(k, v);
        });
        return o;
    }

    private static void putIf(Map<String, String> o, String key, Object value) {
        if (value != null) {
            o.put(key, value.toString());
        }
    }

    MonthSpec monthSpec() {
        try {
            return MonthSpec.fromOptions(generatorOptions());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        MonthSpec monthSpec = monthSpec();
        if (!HEAP_SIZE.matcher(xmx).matches()) {
            throw new ParameterException(spec.commandLine(), "--xmx: expected a size like 256m, got '" + xmx + "'");
        }
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        Path root = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "tally-bench");
        MonthCache cache = new MonthCache(root);
        Instant started = Instant.now();
        double[] loadBefore = loadAverage();

        if (!Files.isDirectory(cache.dirOf(monthSpec))) {
            e.printf("tally bench: generating the month into %s (a 5M-row month takes about a minute)...%n",
                    cache.dirOf(monthSpec));
            e.flush();
        }
        MonthCache.Month month = cache.getOrGenerate(monthSpec);
        e.printf("tally bench: %s month %s: %,d rows, %,d events%n", month.reused() ? "reusing" : "generated",
                month.dir(), month.manifest().rowsWritten(), month.manifest().events().written());
        if (generateOnly) {
            o.println(month.dir());
            return 0;
        }

        String duckdbSkipped = noDuckdb ? "--no-duckdb"
                : !DuckDbQuery.canRead(month.bill()) ? "DuckDB cannot read a zip bill"
                : month.manifest().malformedRows() > 0 ? "the bill has malformed rows, which the plain query cannot read"
                : null;

        long[] warm = warmFileCache(month);
        e.printf("tally bench: warmed the file cache: read %,d bytes in %d ms (untimed)%n", warm[0], warm[1]);

        String classPath = ChildJvm.ownClassPath();
        List<Run<TallyMetrics>> tally = new ArrayList<>();
        List<Run<DuckDbMetrics>> duck = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Run<TallyMetrics> t = runTally(i, month, classPath, root);
            tally.add(t);
            e.printf("run %d/%d  Tally: %s%n", i, runs, t.describe(m -> m.ok()
                    ? String.format(Locale.ROOT, "%.2f s full rollup (process %.2f s), heap after GC max %s, GC %d ms",
                            m.probeMillis() / 1000.0, t.processMillis() / 1000.0, mib(m.heapMaxAfterGcBytes()), m.gcMillis())
                    : m.error()));
            e.flush();
            if (duckdbSkipped == null) {
                Run<DuckDbMetrics> d = runDuckDb(i, month, classPath);
                duck.add(d);
                e.printf("run %d/%d  DuckDB: %s%n", i, runs, d.describe(m -> m.ok()
                        ? String.format(Locale.ROOT, "%.2f s group-by (process %.2f s)", m.queryMillis() / 1000.0,
                                d.processMillis() / 1000.0)
                        : m.error()));
                e.flush();
            }
        }
        double[] loadAfter = loadAverage();

        Report report = new Report(started, month, cache.key(monthSpec), warm, xmx, jvmArgs, runs, maxRatio,
                duckdbThreads, duckdbSkipped, tally, duck, loadBefore, loadAfter);
        report.print(o);
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, ProbeLine.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report.json(generatorOptions())) + "\n");
            o.println("Results written to " + out);
        }
        return report.verdict().pass() ? 0 : EXIT_FAIL;
    }

    /**
     * One timed run in a child JVM: the process's wall time, what its probe reported, and the machine's 1-minute
     * load average when it started.
     */
    record Run<M>(int run, long processMillis, int exitCode, M metrics, boolean ok, String stderrTail,
                  double loadAtStart) {
        String describe(java.util.function.Function<M, String> f) {
            return f.apply(metrics);
        }
    }

    /** The launcher's JVM options ({@code scripts/jvm-options}, built into this jar), as the launcher picks them here. */
    static List<String> launcherJvmOptions() {
        try (java.io.InputStream in = BenchCommand.class.getResourceAsStream("jvm-options")) {
            if (in == null) {
                throw new IllegalStateException("jvm-options is missing from the bench jar (rebuild it)");
            }
            return jvmOptions(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    transparentHugePages());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The options of a jvm-options file: comments and blank lines dropped, "thp:" lines only with huge pages. */
    static List<String> jvmOptions(String file, boolean hugePages) {
        return file.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .filter(line -> hugePages || !line.startsWith("thp:"))
                .map(line -> line.startsWith("thp:") ? line.substring("thp:".length()) : line).toList();
    }

    /** Whether the kernel offers transparent huge pages to a process that asks (as the launcher checks). */
    static boolean transparentHugePages() {
        try {
            String mode = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            return mode.contains("[always]") || mode.contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Run<TallyMetrics> runTally(int i, MonthCache.Month month, String classPath, Path root)
            throws IOException, InterruptedException {
        Path tables = Files.createTempDirectory(root, "rollup-");
        double load = loadAverage()[0];
        try {
            // The options the ./tally launcher gives the rollup, so the bench measures what users run.
            List<String> jvm = new ArrayList<>(launcherJvmOptions());
            jvm.add("-Xmx" + xmx);
            jvm.addAll(jvmArgs);
            List<String> args = new ArrayList<>(List.of("--billing", month.bill().toString(),
                    "--events", month.events().toString(), "--areas", month.areas().toString(),
                    "--tag-key", month.manifest().tagKey(), "--out", tables.toString()));
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

    private Run<DuckDbMetrics> runDuckDb(int i, MonthCache.Month month, String classPath)
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

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    /** Everything measured, as a table and as JSON. */
    record Report(Instant started, MonthCache.Month month, String key, long[] warm, String xmx, List<String> jvmArgs,
                  int runs, double maxRatio, int duckdbThreads, String duckdbSkipped,
                  List<Run<TallyMetrics>> tally, List<Run<DuckDbMetrics>> duck, double[] loadBefore,
                  double[] loadAfter) {

        List<TallyMetrics> tallyOk() {
            return tally.stream().filter(Run::ok).map(Run::metrics).toList();
        }

        List<DuckDbMetrics> duckOk() {
            return duck.stream().filter(Run::ok).map(Run::metrics).toList();
        }

        Stats tallyProbe() {
            return stat(tallyOk(), TallyMetrics::probeMillis);
        }

        Stats tallyProcess() {
            return Stats.of(tally.stream().filter(Run::ok).map(r -> r.processMillis()).toList());
        }

        Stats duckQuery() {
            return stat(duckOk(), DuckDbMetrics::queryMillis);
        }

        Stats duckProcess() {
            return Stats.of(duck.stream().filter(Run::ok).map(r -> r.processMillis()).toList());
        }

        /** The verdict's ratio: Tally's median full-rollup wall time over DuckDB's median query wall time. */
        Double ratio() {
            return ratio(tallyProbe(), duckQuery(), false);
        }

        static Double ratio(Stats a, Stats b, boolean best) {
            if (!a.measured() || !b.measured()) {
                return null;
            }
            double den = best ? b.best() : b.median();
            return den <= 0 ? null : (best ? a.best() : a.median()) / den;
        }

        Verdict verdict() {
            List<String> tallyFailures = tally.stream().filter(r -> !r.ok()).map(r -> r.metrics().error()).toList();
            List<String> duckFailures = duck.stream().filter(r -> !r.ok()).map(r -> r.metrics().error()).toList();
            return Verdict.decide(new Verdict.Inputs(month.manifest().totalCost(),
                    tallyOk().stream().map(TallyMetrics::totalCost).toList(),
                    duckOk().stream().map(DuckDbMetrics::totalCost).toList(), tallyFailures, duckFailures, ratio(),
                    maxRatio, duckdbSkipped));
        }

        private static <M> Stats stat(List<M> ms, ToLongFunction<M> f) {
            return Stats.of(ms.stream().map(m -> f.applyAsLong(m)).toList());
        }

        void print(PrintWriter o) {
            var mf = month.manifest();
            o.println();
            o.printf("Tally bench: %s %s, %,d bill rows (%,d line items), %,d events; bill %s (%s), events %s%n",
                    mf.format().id(), month.spec().compression().name().toLowerCase(Locale.ROOT), mf.rowsWritten(),
                    mf.lineItems(), mf.events().written(), mf.billFile(), size(month.bill()), size(month.events()));
            o.printf("month: %s%n", month.dir());
            o.printf("machine: %d cores, Java %s; load average %s before, %s after%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    load(loadBefore), load(loadAfter));
            o.printf("Tally: child JVM %s -Xmx%s%s; DuckDB: child JVM, in-memory database, %s threads; %d runs each,"
                            + " alternating, file cache warmed first%n", String.join(" ", launcherJvmOptions()), xmx,
                    jvmArgs.isEmpty() ? "" : " " + String.join(" ", jvmArgs),
                    duckdbThreads > 0 ? Integer.toString(duckdbThreads) : "default", runs);
            o.println();
            o.printf("%-4s %5s %9s %9s %7s %8s %8s %7s %6s %10s %9s %9s %9s %5s %7s %8s %8s | %5s %9s %9s %7s %8s%n",
                    "run", "load", "tally_s", "process_s", "cpu_s", "events_s", "bill_s", "finish", "write", "rows/s",
                    "heap_used", "after_gc", "committed", "gcs", "gc_ms", "gc_cpu_s", "rss",
                    "load", "duckdb_s", "process_s", "cpu_s", "rss");
            for (int i = 0; i < tally.size(); i++) {
                Run<TallyMetrics> t = tally.get(i);
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
                if (i < duck.size()) {
                    Run<DuckDbMetrics> d = duck.get(i);
                    right = d.ok()
                            ? String.format(Locale.ROOT, " | %5.2f %9.2f %9.2f %7.2f %8s", d.loadAtStart(),
                                    d.metrics().queryMillis() / 1000.0, d.processMillis() / 1000.0,
                                    d.metrics().cpuMillis() / 1000.0, mib(d.metrics().peakRssBytes()))
                            : " | DuckDB FAILED: " + d.metrics().error();
                }
                o.println(left + right);
            }
            o.println();
            Stats tp = tallyProbe();
            Stats tproc = tallyProcess();
            Stats dq = duckQuery();
            Stats dproc = duckProcess();
            o.printf("%-34s %12s %12s%n", "", "best", "median");
            o.printf("%-34s %12s %12s%n", "Tally wall, full rollup (s)", sec(tp.best()), sec(tp.median()));
            o.printf("%-34s %12s %12s%n", "Tally wall, whole process (s)", sec(tproc.best()), sec(tproc.median()));
            if (duckdbSkipped == null) {
                o.printf("%-34s %12s %12s%n", "DuckDB wall, group-by (s)", sec(dq.best()), sec(dq.median()));
                o.printf("%-34s %12s %12s%n", "DuckDB wall, whole process (s)", sec(dproc.best()), sec(dproc.median()));
                o.printf("%-34s %12s %12s   (verdict: median, max %.2f)%n", "ratio Tally/DuckDB",
                        ratioText(ratio(tp, dq, true)), ratioText(ratio(tp, dq, false)), maxRatio);
                o.printf("%-34s %12s %12s%n", "ratio, whole processes", ratioText(ratio(tproc, dproc, true)),
                        ratioText(ratio(tproc, dproc, false)));
                Stats tcpu = stat(tallyOk(), TallyMetrics::cpuMillis);
                Stats dcpu = stat(duckOk(), DuckDbMetrics::cpuMillis);
                o.printf("%-34s %12s %12s%n", "CPU time, Tally process (s)", sec(tcpu.best()), sec(tcpu.median()));
                o.printf("%-34s %12s %12s%n", "CPU time, DuckDB process (s)", sec(dcpu.best()), sec(dcpu.median()));
                o.printf("%-34s %12s %12s%n", "ratio of CPU times", ratioText(ratio(tcpu, dcpu, true)),
                        ratioText(ratio(tcpu, dcpu, false)));
            } else {
                o.printf("DuckDB: not timed (%s)%n", duckdbSkipped);
            }
            long rowsRead = month.manifest().rowsWritten();
            o.printf("%-34s %12s %12s%n", "Tally rows/s (full rollup)", perSecond(rowsRead, tp.best()),
                    perSecond(rowsRead, tp.median()));
            if (duckdbSkipped == null) {
                o.printf("%-34s %12s %12s%n", "DuckDB rows/s (group-by)", perSecond(rowsRead, dq.best()),
                        perSecond(rowsRead, dq.median()));
            }
            List<TallyMetrics> ok = tallyOk();
            if (!ok.isEmpty()) {
                o.printf("Tally heap (-Xmx%s, max %s), worst run: max after GC %s, peak used %s, peak committed %s"
                                + " (sampled every 10 ms; pools' own peaks summed %s); process peak RSS %s%n", xmx,
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
            if (!duckOk().isEmpty()) {
                o.printf("DuckDB: %d tag groups, process peak RSS %s (worst run)%n", duckOk().get(0).groups(),
                        mib(max(duckOk(), DuckDbMetrics::peakRssBytes)));
            }
            o.printf("totals: manifest %s; Tally %s; DuckDB %s%n", mf.totalCost().toPlainString(),
                    totals(ok.stream().map(TallyMetrics::totalCost).toList(), mf.totalCost()),
                    duckdbSkipped != null ? "not run" : totals(duckOk().stream().map(DuckDbMetrics::totalCost).toList(),
                            mf.totalCost()));
            o.println(verdict().line());
            o.flush();
        }

        private static <M> long max(List<M> ms, ToLongFunction<M> f) {
            return ms.stream().mapToLong(f).max().orElse(-1);
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

        ObjectNode json(Map<String, String> generatorOptions) {
            ObjectNode root = ProbeLine.object();
            root.put("tool", "tally bench");
            root.put("started_at", started.toString());
            ObjectNode machine = root.putObject("machine");
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                machine.put("memory_bytes", os.getTotalMemorySize());
            }
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch"));
            machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            ArrayNode lb = machine.putArray("load_average_before");
            for (double d : loadBefore) {
                lb.add(d);
            }
            ArrayNode la = machine.putArray("load_average_after");
            for (double d : loadAfter) {
                la.add(d);
            }
            ObjectNode opts = root.putObject("options");
            ObjectNode g = opts.putObject("generator");
            generatorOptions.forEach(g::put);
            opts.put("xmx", xmx);
            ArrayNode ja = opts.putArray("jvm_args");
            jvmArgs.forEach(ja::add);
            opts.put("runs", runs);
            opts.put("max_ratio", maxRatio);
            opts.put("duckdb_threads", duckdbThreads);
            var mf = month.manifest();
            ObjectNode m = root.putObject("month");
            m.put("dir", month.dir().toString());
            m.put("cache_key", key);
            m.put("reused", month.reused());
            m.put("generate_ms", month.generateMillis());
            m.put("format", mf.format().id());
            m.put("compression", month.spec().compression().name().toLowerCase(Locale.ROOT));
            m.put("bill_file", mf.billFile());
            m.put("bill_bytes", sizeBytes(month.bill()));
            m.put("events_file", mf.eventsFile());
            m.put("events_bytes", sizeBytes(month.events()));
            m.put("rows_written", mf.rowsWritten());
            m.put("line_items", mf.lineItems());
            m.put("events_written", mf.events().written());
            m.put("total_cost", mf.totalCost().toPlainString());
            ObjectNode w = root.putObject("file_cache_warmup");
            w.put("bytes", warm[0]);
            w.put("ms", warm[1]);

            ObjectNode t = root.putObject("tally");
            ArrayNode tr = t.putArray("runs");
            for (Run<TallyMetrics> r : tally) {
                ObjectNode n = r.metrics().toJson();
                n.remove("probe");
                n.put("run", r.run());
                n.put("process_ms", r.processMillis());
                n.put("exit_code", r.exitCode());
                n.put("load_1m_at_start", r.loadAtStart());
                tr.add(n);
            }
            stats(t, "probe_ms", tallyProbe());
            stats(t, "process_ms", tallyProcess());
            List<TallyMetrics> ok = tallyOk();
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
            if (tallyProbe().measured()) {
                t.put("rows_per_s_median", Math.round(mf.rowsWritten() * 1000.0 / tallyProbe().median()));
            }

            ObjectNode d = root.putObject("duckdb");
            if (duckdbSkipped != null) {
                d.put("skipped", duckdbSkipped);
            } else {
                d.put("sql", DuckDbQuery.sql(mf.format(), mf.tagKey(), month.bill()));
                ArrayNode dr = d.putArray("runs");
                for (Run<DuckDbMetrics> r : duck) {
                    ObjectNode n = r.metrics().toJson();
                    n.remove("probe");
                    n.put("run", r.run());
                    n.put("process_ms", r.processMillis());
                    n.put("exit_code", r.exitCode());
                    n.put("load_1m_at_start", r.loadAtStart());
                    dr.add(n);
                }
                stats(d, "query_ms", duckQuery());
                stats(d, "process_ms", duckProcess());
                stats(d, "cpu_ms", stat(duckOk(), DuckDbMetrics::cpuMillis));
                if (duckQuery().measured()) {
                    d.put("rows_per_s_median", Math.round(mf.rowsWritten() * 1000.0 / duckQuery().median()));
                }
                ObjectNode ratio = root.putObject("ratio");
                putRatio(ratio, "median", ratio(tallyProbe(), duckQuery(), false));
                putRatio(ratio, "best", ratio(tallyProbe(), duckQuery(), true));
                putRatio(ratio, "process_median", ratio(tallyProcess(), duckProcess(), false));
                putRatio(ratio, "cpu_median", ratio(stat(ok, TallyMetrics::cpuMillis),
                        stat(duckOk(), DuckDbMetrics::cpuMillis), false));
                ratio.put("max", maxRatio);
            }
            ObjectNode tot = root.putObject("totals");
            tot.put("manifest", mf.totalCost().toPlainString());
            ArrayNode tt = tot.putArray("tally");
            ok.forEach(x -> tt.add(x.totalCost().toPlainString()));
            ArrayNode dt = tot.putArray("duckdb");
            duckOk().forEach(x -> dt.add(x.totalCost().toPlainString()));
            Verdict v = verdict();
            ObjectNode vn = root.putObject("verdict");
            vn.put("pass", v.pass());
            ArrayNode reasons = vn.putArray("reasons");
            v.reasons().forEach(reasons::add);
            return root;
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
}
