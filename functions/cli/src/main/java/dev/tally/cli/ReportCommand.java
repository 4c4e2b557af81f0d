package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.billing.CostBasis;
import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.spend.BusinessMetrics;
import dev.tally.spend.Change;
import dev.tally.spend.MonthRollup;
import dev.tally.spend.MonthRuns;
import dev.tally.spend.SpendHistory;
import dev.tally.spend.SpendReport;
import dev.tally.spend.SpendReportHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code tally report DIR}: the spend report of the months in a local copy of the billing function's output layout
 * ({@code aws s3 sync s3://bucket/ DIR}, or runs written by {@code tally rollup --into DIR}), as one self-contained
 * HTML file.
 */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the spend report of the months in DIR (the billing function's output layout: runs/, rollups/,",
            "finalized/, as aws s3 sync leaves it, or as tally rollup --into writes it) as one HTML file that",
            "needs nothing else: totals and coverage, cost by area, this month's movers, its forecast, services,",
            "unit costs and the untagged resources that cost most. Runs that cannot be read are named on stderr."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The output layout (the bucket's root).")
    Path dir;

    @Option(names = "--out", defaultValue = "report.html", paramLabel = "FILE",
            description = "The HTML file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cost-basis", defaultValue = "unblended", paramLabel = "BASIS",
            description = "The months of which cost basis: unblended (default) or amortized.",
            converter = RollupCommand.CostBasisConverter.class)
    CostBasis costBasis;

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "Business metrics for unit costs: CSV with billing_period,product_area,metric,value.")
    Path metrics;

    @Option(names = "--prefix", defaultValue = "", paramLabel = "P",
            description = "The outputs' key prefix inside DIR, as the billing function has it (default: none).")
    String prefix;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Written written = write(dir, prefix, costBasis.id(), metrics, out, Clock.systemUTC(),
                problem -> err.println("tally report: " + problem));
        spec.commandLine().getOut().println("Wrote " + written.file());
        spec.commandLine().getOut().println(summary(written.report()));
        return 0;
    }

    /** A report written to a file. */
    record Written(SpendReport report, Path file) {
    }

    /**
     * Reads the months of one basis from {@code dir} and writes their report to {@code out}.
     *
     * @param costBasis {@code unblended} or {@code amortized} ({@link CostBasis#id()})
     * @param problems told of each run that cannot be read (it is left out)
     * @throws InputException for a directory without runs of the basis, or metrics that do not read
     */
    static Written write(Path dir, String prefix, String costBasis, Path metrics, Path out, Clock clock,
                         Consumer<String> problems) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": not a directory (give the root of the output layout, as aws s3 sync "
                    + "leaves it)");
        }
        String basis = costBasis;
        String bucket = dir.toAbsolutePath().normalize().getFileName() == null ? "local"
                : dir.toAbsolutePath().normalize().getFileName().toString();
        MonthRuns runs = new MonthRuns(new DirectoryObjectStore(dir), bucket, prefix);
        List<MonthRollup> months;
        try {
            months = runs.read(basis, problems);
            if (months.isEmpty()) {
                Set<String> bases = runs.bases();
                String where = dir + (prefix.isEmpty() ? "" : " (prefix " + prefix + ")");
                throw new InputException(bases.isEmpty()
                        ? where + ": no runs of the billing function (no runs/billing_period=YYYY-MM/run_id=…/"
                        + "run.json; write some with tally rollup --into " + dir + ")"
                        : where + ": no readable runs of the " + basis + " cost basis (it has runs of "
                        + String.join(", ", bases) + ")");
            }
        } catch (IOException e) {
            throw new InputException(dir + ": cannot list the runs (" + e.getMessage() + ")", e);
        }
        SpendReport report = SpendReport.of(SpendHistory.of(months), readMetrics(metrics), clock.instant());
        writeAtomically(out, SpendReportHtml.render(report));
        return new Written(report, out);
    }

    private static BusinessMetrics readMetrics(Path file) {
        if (file == null) {
            return BusinessMetrics.none();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return BusinessMetrics.read(file.toString(), reader);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the metrics (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path out, String html) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, ".report-", ".html");
            Files.writeString(temporary, html, StandardCharsets.UTF_8);
            Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InputException(out + ": cannot write the report (" + e.getMessage() + ")", e);
        }
    }

    /** One line: the months, this month's total (and forecast), and its biggest mover. */
    static String summary(SpendReport report) {
        MonthRollup latest = report.latest();
        StringBuilder line = new StringBuilder();
        line.append(report.months().size()).append(report.months().size() == 1 ? " month" : " months")
                .append(report.months().size() == 1 ? " (" + latest.period() + ")"
                        : " (" + report.months().get(0).period() + " to " + latest.period() + ")")
                .append(", ").append(report.costBasis()).append("; ").append(latest.period()).append(' ')
                .append(latest.isFinal() ? "final " : "so far ").append(SpendReportHtml.money(latest.totals().total()));
        report.forecast().ifPresent(f -> line.append(", forecast ").append(SpendReportHtml.money(f.total())));
        if (!report.areaMovers().isEmpty()) {
            Change top = report.areaMovers().get(0).change();
            line.append("; top mover ").append(top.subject().label()).append(' ')
                    .append(SpendReportHtml.signedMoney(top.delta()));
        }
        return line.toString();
    }
}
