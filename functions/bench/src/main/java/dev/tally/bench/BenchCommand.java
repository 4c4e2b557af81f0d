package dev.tally.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.billing.EcsSplit;
import dev.tally.testkit.MonthSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code tally bench}: generates (or reuses) a month with the test kit ({@link MonthOptions}, {@link MonthCache}),
 * runs the full rollup in a child JVM under {@code -Xmx} the given number of times, times DuckDB's plain tag
 * group-by over the same bill in a child JVM as often, alternating the two ({@link TimedRuns}), and prints wall
 * times, rows/s, heap, GC time, the totals and a verdict ({@link Report}). See docs/performance.md.
 */
@Command(name = "tally bench",
        mixinStandardHelpOptions = true,
        version = "tally bench (docs/performance.md)",
        sortOptions = false,
        modelTransformer = MonthOptions.Transformer.class,
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


    // --- the month: the generator options come from MonthOptions; --gen reaches the others ---
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

    @Option(names = "--ecs-split", defaultValue = "events", paramLabel = "FROM",
            description = "How the timed rollup splits ECS host instances, as tally rollup --ecs-split: events "
                    + "(default) or aws (the month needs split line items: --split-cost-allocation).")
    String ecsSplit;

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
        return MonthOptions.values(spec, gen);
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
        double[] loadBefore = TimedRuns.loadAverage();

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

        long[] warm = TimedRuns.warmFileCache(month);
        e.printf("tally bench: warmed the file cache: read %,d bytes in %d ms (untimed)%n", warm[0], warm[1]);

        List<Run<TallyMetrics>> tally = new ArrayList<>();
        List<Run<DuckDbMetrics>> duck = new ArrayList<>();
        new TimedRuns(xmx, jvmArgs, duckdbThreads, timeoutSeconds, root, EcsSplit.parse(ecsSplit).id())
                .alternate(month, runs, duckdbSkipped == null, e, tally, duck);
        double[] loadAfter = TimedRuns.loadAverage();

        Report report = new Report(started, month, cache.key(monthSpec), warm, xmx, jvmArgs, runs, maxRatio,
                duckdbThreads, duckdbSkipped, tally, duck, loadBefore, loadAfter);
        ReportTable.print(report, o);
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, ProbeLine.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(ReportJson.json(report, generatorOptions())) + "\n");
            o.println("Results written to " + out);
        }
        return report.verdict().pass() ? 0 : EXIT_FAIL;
    }
}
