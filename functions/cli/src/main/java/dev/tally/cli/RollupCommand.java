package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.allocation.UpfrontLedger;
import dev.tally.billing.Bill;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.RollupOutputs;
import dev.tally.delivery.RunRecord;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import dev.tally.rollup.RollupWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/** {@code tally rollup}: one month's bill plus ECS/EBS history in, the rollup tables out. */
@Command(name = "rollup",
        mixinStandardHelpOptions = true,
        description = {
            "Allocates one billing period to product areas and ECS services.",
            "Writes product_area_costs.csv, product_area_aws_product_costs.csv, service_costs.csv,",
            "untagged_resources.csv, summary.json and report.json into the output directory.",
            "With --cost-basis amortized the tables sum to the amortized cost; report.json keeps the invoiced cost.",
            "With --into DIR the run is also written into DIR's output layout, as the billing function writes it",
            "to S3 (a final bill's tables finalized too), for tally report DIR."})
final class RollupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--billing", required = true, paramLabel = "FILE",
            description = "The bill: DBR, CUR, CUR 2.0 or FOCUS CSV; plain, .gz or .zip; or a directory of its parts, "
                    + "or the CUR / Data Exports manifest that lists them (parts found under the folders above it).")
    Path billing;

    @Option(names = "--events", paramLabel = "PATH",
            description = "ECS/EBS events: a .json file (one event or an array), a .jsonl file, "
                    + "or a directory of such files (optionally gzipped).")
    Path events;

    @Option(names = "--areas", paramLabel = "FILE",
            description = "JSON object mapping \"service\" or \"cluster/service\" to a product area.")
    Path areas;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if needed).")
    Path out;

    @Option(names = "--into", paramLabel = "DIR",
            description = "Also write the run into DIR laid out as the billing function's output bucket (runs/, "
                    + "rollups/, finalized/ for a final bill), so that tally report DIR has the month.")
    Path into;

    @Option(names = "--tag-key", defaultValue = "product_area", paramLabel = "KEY",
            description = "Cost-allocation tag naming the product area (default: ${DEFAULT-VALUE}).")
    String tagKey;

    @Option(names = "--period", paramLabel = "YYYY-MM",
            description = "Billing period, if the bill's own should not be used.")
    String period;

    @Option(names = "--final", negatable = false,
            description = "The bill is final though it has no invoice id column to say so (FOCUS 1.0, say). "
                    + "A bill with invoice ids always says itself.")
    boolean declaredFinal;

    @Option(names = "--engine", defaultValue = "FAST", paramLabel = "ENGINE",
            description = "fast (default) or reference: the plain implementation of the contract, slower, same "
                    + "numbers to the last unit.", converter = EngineConverter.class)
    RollupRunner.Engine engine;

    @Option(names = "--cost-basis", defaultValue = "unblended", paramLabel = "BASIS",
            description = "unblended (default: what the invoice charged) or amortized (reservation and savings plan "
                    + "fees spread over their term and onto the usage they covered; FOCUS EffectiveCost).",
            converter = CostBasisConverter.class)
    CostBasis costBasis;

    @Option(names = "--upfront", paramLabel = "FILE",
            description = "DBR bills under --cost-basis amortized: the upfront ledger (JSON array of {aws_product, "
                    + "amount, first_period, months}) spreading sign-up fees over their term; see tally upfront.")
    Path upfront;

    @Option(names = "--ecs-split", defaultValue = "events", paramLabel = "FROM",
            description = "How an ECS host instance's cost is split among the services on it: events (default: "
                    + "CPU-seconds of the recorded tasks) or aws (the bill's split cost allocation data where it has "
                    + "it for the instance and hour, CPU-seconds where not). Either way a bill with split line items "
                    + "also gets ecs_split_comparison.csv.", converter = EcsSplitConverter.class)
    EcsSplit ecsSplit;

    @Option(names = "--no-progress", negatable = false, description = "Do not report progress on stderr.")
    boolean noProgress;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Override
    public Integer call() {
        Instant startedAt = Instant.now();
        RollupRunner.Request request = new RollupRunner.Request(Bill.of(billing), events, areas, tagKey,
                parsePeriod(period), declaredFinal, costBasis, upfront == null ? null : UpfrontLedger.read(upfront),
                ecsSplit);
        Rollup rollup = rollupWithProgress(request, engine, !noProgress, spec);
        if (declaredFinal && rollup.billReport().statesInvoiceIds() && !rollup.summary().isFinal()) {
            spec.commandLine().getErr().println("tally rollup: --final ignored: the bill has invoice ids, and they say "
                    + "it is estimated");
        }
        write(rollup, out);
        RunRecord run = into == null ? null : writeInto(rollup, billing.toAbsolutePath().toString(), startedAt, into);
        if (!quiet) {
            SummaryPrinter.print(rollup, spec.commandLine().getOut());
            spec.commandLine().getOut().println("Wrote the tables, summary.json and report.json to " + out);
            if (run != null) {
                spec.commandLine().getOut().println(intoLine(run, into));
            }
        }
        return 0;
    }

    /**
     * Writes the run into a directory laid out as the output bucket, with the billing function's own writer: its
     * tables, summary, report and run.json, and for a final bill the finalized tables.
     *
     * @param source what the run was rolled up from (run.json's {@code source})
     */
    static RunRecord writeInto(Rollup rollup, String source, Instant startedAt, Path dir) {
        RollupOutputs outputs = new RollupOutputs(new DirectoryObjectStore(dir), dir.getFileName() == null ? "local"
                : dir.getFileName().toString(), "");
        try {
            RunRecord run = outputs.writeRun(rollup, source, startedAt, Instant.now());
            return rollup.summary().isFinal() ? outputs.finalize(rollup, run) : run;
        } catch (IOException e) {
            throw new InputException(dir + ": cannot write the run into the layout (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            throw new InputException(dir + ": cannot write the run into the layout (" + e.getCause().getMessage()
                    + ")", e);
        }
    }

    static String intoLine(RunRecord run, Path dir) {
        return "Wrote run " + run.runId() + " of " + run.billingPeriod() + " into the layout " + dir
                + (run.finalized() ? " (final bill: finalized)" : " (estimated)");
    }

    static Rollup rollupWithProgress(RollupRunner.Request request, RollupRunner.Engine engine, boolean progress,
                                     CommandSpec spec) {
        try (BillProgress bar = progress(request.bill(), progress, spec)) {
            return new RollupRunner(engine).run(request, bar);
        }
    }

    /** {@code fast} / {@code reference}, any case. */
    static final class EngineConverter implements picocli.CommandLine.ITypeConverter<RollupRunner.Engine> {
        @Override
        public RollupRunner.Engine convert(String value) {
            return RollupRunner.Engine.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** {@code unblended} / {@code amortized}, any case. */
    static final class EcsSplitConverter implements picocli.CommandLine.ITypeConverter<EcsSplit> {
        @Override
        public EcsSplit convert(String value) {
            return EcsSplit.parse(value);
        }
    }

    static final class CostBasisConverter implements picocli.CommandLine.ITypeConverter<CostBasis> {
        @Override
        public CostBasis convert(String value) {
            return CostBasis.parse(value);
        }
    }

    /** Progress of reading a bill (all its parts) on stderr; close it when done. */
    static BillProgress progress(Bill bill, boolean enabled, CommandSpec spec) {
        return BillProgress.start("Reading bill", Math.max(0, bill.size()), enabled, spec.commandLine().getErr());
    }

    static void write(Rollup rollup, Path out) {
        try {
            RollupWriter.write(rollup, out);
        } catch (IOException e) {
            throw new InputException(out + ": cannot write the rollup (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            throw new InputException(out + ": cannot write the rollup (" + e.getCause().getMessage() + ")", e);
        }
    }

    static YearMonth parsePeriod(String text) {
        if (text == null) {
            return null;
        }
        try {
            return YearMonth.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new InputException("--period: '" + text + "' is not a month like 2017-02");
        }
    }
}
