package dev.tally.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tally generate} without a CLI library: {@code --name=value} or {@code --name value} options
 * (see {@link GeneratorOptions#ALL}) plus {@code --out DIR}. Callable from another CLI via
 * {@link #run(List, PrintStream, PrintStream)}.
 *
 * <pre>
 * generate --out target/month --period 2017-02 --format dbr --compression gzip --rows 1000000 --seed 7 --messy
 * </pre>
 */
public final class GenerateCommand {
    private GenerateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** @return the exit code: 0 done, 2 bad usage, 1 I/O failure */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        String outDir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                out.print(usage());
                return 0;
            }
            if (!a.startsWith("--")) {
                err.println("unexpected argument '" + a + "'");
                err.print(usage());
                return 2;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            }
            if (name.equals("out")) {
                outDir = value;
            } else {
                options.put(name, value == null ? "" : value);
            }
        }
        if (outDir == null || outDir.isEmpty()) {
            err.println("missing --out DIR");
            err.print(usage());
            return 2;
        }
        MonthSpec spec;
        try {
            spec = MonthSpec.fromOptions(options);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        try {
            long t0 = System.nanoTime();
            Manifest m = MonthGenerator.generate(spec, Path.of(outDir));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            out.printf("%s %s: %d line items (total %s), %d skipped, %d malformed rows; %d events "
                            + "(%d duplicates, %d noise, %d malformed) -> %s in %d ms%n", m.format().id(), m.period(),
                    m.lineItems(), m.totalCost().toPlainString(), m.skippedRows(), m.malformedRows(),
                    m.events().written(), m.events().duplicates(), m.events().noise(), m.events().malformed(),
                    outDir, ms);
            if (m.roundedAmounts() > 0 || m.otherPeriodRows() > 0) {
                out.printf("  %d amounts with more than 10 decimal places (rounding difference %s), %d rows of "
                        + "other billing periods %s%n", m.roundedAmounts(), m.roundingDifference().toPlainString(),
                        m.otherPeriodRows(), m.otherPeriods().keySet());
            }
            if (m.splitCostAllocation() != null) {
                Manifest.SplitLineItems sp = m.splitCostAllocation();
                out.printf("  split cost allocation: %d split line items (%d with ECS tags) of %d tasks on EC2, "
                        + "%d of them without events%n", sp.lineItems(), sp.withEcsTags(), sp.tasks(),
                        sp.unrecordedTasks());
            }
            if (m.amortized() != null) {
                out.printf("  amortized: total %s over %d line items%s%n", m.amortized().totalCost().toPlainString(),
                        m.amortized().lineItems(), m.upfrontFile() == null ? "" : " (with the ledger parts "
                                + m.amortized().ledgerParts().toPlainString() + " of " + m.upfrontFile() + ")");
            }
            return 0;
        } catch (IOException e) {
            err.println("cannot write " + outDir + ": " + e.getMessage());
            return 1;
        }
    }

    /** @return the help: {@code --out DIR} and the generator's options ({@link GeneratorOptions#usageLines()}) */
    public static String usage() {
        List<String> lines = new ArrayList<>();
        lines.add("usage: generate --out DIR [options]");
        lines.add(String.format(Locale.ROOT, "%-32s %s", "  --out DIR", "Directory to write the month into"));
        lines.addAll(GeneratorOptions.usageLines());
        lines.add("Flags also take a value: --shuffle=false.");
        lines.add("");
        return String.join(System.lineSeparator(), lines);
    }
}
