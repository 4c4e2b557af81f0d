package dev.tally.cli;

import dev.tally.testkit.GenerateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tally generate}: writes a synthetic billing month (bill, events, areas, manifest) with the
 * test kit's generator, for trying Tally out and for benchmarks. Options are the generator's own
 * ({@code tally generate --help}).
 */
@Command(name = "generate",
        description = "Generates a realistic billing month: bill (any format), events, areas.json, manifest.json.")
final class GenerateMonthCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = GenerateCommand.run(args, o, e);
        }
        spec.commandLine().getOut().print(out.toString(StandardCharsets.UTF_8));
        spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
        return code;
    }
}
