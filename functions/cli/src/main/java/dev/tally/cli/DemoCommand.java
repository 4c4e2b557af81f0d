package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.local.LocalService;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tally demo}: the rollup of the sample month kept in {@code events/demo} (a bill, the ECS and
 * EBS events of that month, and a product-area map), printed as tables; then the privacy part
 * ({@link DemoPrivacy}): one sample user deleted through the privacy API from every target; last, the month's run
 * written into an output layout as the billing function lays out S3, and the spend report of it.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = "Rolls up the bundled sample month (events/demo) and prints the result; then deletes one sample "
                + "user through the privacy API from an event archive, a warehouse table and a webhook destination; "
                + "ends by writing the spend report (report.html) of its months.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_DIR = "events/demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the tables (default: a temporary directory).")
    Path out;

    @Option(names = "--no-progress", negatable = false, description = "Do not report progress on stderr.")
    boolean noProgress;

    @Option(names = "--from-files", negatable = false,
            description = "Read the events straight from the file instead of replaying them through the handlers "
                    + "into the local DynamoDB (no Node.js needed).")
    boolean fromFiles;

    @Option(names = "--no-privacy", negatable = false,
            description = "Leave out the privacy part (one sample user deleted through the privacy API from an event "
                    + "archive in S3, a warehouse table and a webhook destination).")
    boolean noPrivacy;

    @Override
    public Integer call() throws Exception {
        java.time.Instant startedAt = java.time.Instant.now();
        Path demo = demoDir();
        Path bill = single(demo, "bill-");
        Path events = single(demo, "events");
        RollupRunner.Request request = new RollupRunner.Request(bill, events, demo.resolve("areas.json"),
                "product_area", null);
        var stdout = spec.commandLine().getOut();
        stdout.println("Sample month: " + demo.relativize(bill) + " with " + demo.relativize(events)
                + " and areas.json from " + demo);
        Rollup rollup = fromFiles
                ? RollupCommand.rollupWithProgress(request, RollupRunner.Engine.FAST, !noProgress, spec)
                : throughLocalAws(request, bill, stdout);
        Path target = out != null ? out : Files.createTempDirectory("tally-demo-");
        RollupCommand.write(rollup, target);
        stdout.println();
        SummaryPrinter.print(rollup, stdout);
        TablePrinter.print(rollup, stdout);
        stdout.println("Wrote the tables, summary.json and report.json to " + target);
        if (fromFiles || noPrivacy) {
            stdout.println("Privacy part left out (" + (noPrivacy ? "--no-privacy" : "--from-files: no local stack")
                    + ").");
        } else {
            new DemoPrivacy(stdout).run();
        }
        report(rollup, bill, startedAt, target, stdout);
        return 0;
    }

    /** The run written into {@code target/layout} as the billing function writes S3, and the report of its months. */
    private void report(Rollup rollup, Path bill, java.time.Instant startedAt, Path target, PrintWriter stdout) {
        Path layout = target.resolve("layout");
        stdout.println();
        stdout.println(RollupCommand.intoLine(RollupCommand.writeInto(rollup, bill.toAbsolutePath().toString(),
                startedAt, layout), layout));
        ReportCommand.Written written = ReportCommand.write(layout, "", rollup.summary().costBasis(), null,
                target.resolve("report.html"), java.time.Clock.systemUTC(),
                problem -> spec.commandLine().getErr().println("tally demo: " + problem));
        stdout.println("Spend report: " + ReportCommand.summary(written.report()));
        stdout.println("Wrote the spend report to " + written.file().toAbsolutePath());
    }

    /**
     * The way it runs in AWS: the areas map published by the deploy-time function, the month's events
     * delivered in SQS batches to the ECS and EC2 event functions, which write DynamoDB (dynalite here),
     * and the rollup reading its history and map from there; then the bill delivered to S3 as AWS delivers a
     * CUR, rolled up by the billing function into S3 and the warehouse ({@link DemoBillDelivery}).
     */
    private Rollup throughLocalAws(RollupRunner.Request request, Path bill, PrintWriter stdout) throws IOException {
        Path deadLetters = Files.createTempDirectory("tally-demo-").resolve("dead-letters.jsonl");
        stdout.println("Starting the local AWS stack (DynamoDB: dynalite) ...");
        try (LocalHistoryStack stack = LocalHistoryStack.start(deadLetters, LocalService.S3)) {
            stack.publish(request.areas());
            stdout.println("Published areas.json through the product-area-publisher function.");
            stdout.println("Replaying the month's events through the ecs-events and ec2-events functions ...");
            stdout.flush();
            EventReplay.Result replay = stack.replay(request.events());
            long dead = Files.exists(deadLetters) ? Files.readAllLines(deadLetters).size() : 0;
            stdout.printf("  %,d events in %,d SQS batches: %.1f s (%.0f events/s), %d dead letters, "
                            + "%d records left for retry%n", replay.events(), replay.batches(), replay.seconds(),
                    replay.eventsPerSecond(), dead, replay.failedRecords());
            stdout.println("  function counts (both functions see every event): " + stack.metrics.totals());
            stdout.println("Rolling up from the local DynamoDB history ...");
            Rollup rollup;
            try (BillProgress progress = RollupCommand.progress(request.bill(), !noProgress, spec)) {
                rollup = new RollupRunner().run(request, stack.areas.load(), stack.history, progress);
            }
            new DemoBillDelivery(stack, stdout).deliver(bill);
            return rollup;
        }
    }

    /** The demo directory: under the installation ({@code tally.home}, set by the launcher), else the working directory. */
    static Path demoDir() {
        String home = System.getProperty("tally.home");
        Path dir = (home != null ? Path.of(home) : Path.of("")).resolve(DEMO_DIR);
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir.toAbsolutePath() + ": demo month not found (run ./tally from the repository)");
        }
        return dir;
    }

    private static Path single(Path dir, String prefix) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().findFirst()
                    .orElseThrow(() -> new InputException(dir + ": no " + prefix + "* file in the demo month"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
