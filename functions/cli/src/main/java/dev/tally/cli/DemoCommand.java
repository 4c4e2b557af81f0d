package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tally demo}: the rollup of the sample month kept in {@code events/demo} (a bill, the ECS and
 * EBS events of that month, and a product-area map), printed as tables.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = "Rolls up the bundled sample month (events/demo) and prints the result.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_DIR = "events/demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the tables (default: a temporary directory).")
    Path out;

    @Option(names = "--no-progress", negatable = false, description = "Do not report progress on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        Path demo = demoDir();
        Path bill = single(demo, "bill-");
        RollupRunner.Request request = new RollupRunner.Request(bill, single(demo, "events"),
                demo.resolve("areas.json"), "product_area", null);
        Rollup rollup = RollupCommand.rollupWithProgress(request, !noProgress, spec);
        Path target = out != null ? out : Files.createTempDirectory("tally-demo-");
        RollupCommand.write(rollup, target);
        var stdout = spec.commandLine().getOut();
        stdout.println("Sample month: " + demo.relativize(bill) + " with " + demo.relativize(request.events())
                + " and areas.json from " + demo);
        stdout.println();
        SummaryPrinter.print(rollup, stdout);
        TablePrinter.print(rollup, stdout);
        stdout.println("Wrote the tables, summary.json and report.json to " + target);
        return 0;
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
