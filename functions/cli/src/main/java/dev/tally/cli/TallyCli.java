package dev.tally.cli;

import dev.tally.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code tally}: the command line. Subcommands do the work; this maps failures to exit codes and one-line messages. */
@Command(name = "tally",
        mixinStandardHelpOptions = true,
        versionProvider = TallyCli.Version.class,
        description = "Allocates an AWS bill to product areas and ECS services, reports spend over the months and "
                + "alerts on its moves, and serves privacy requests locally.",
        subcommands = {RollupCommand.class, ReportCommand.class, DemoCommand.class, InvokeCommand.class,
            GenerateMonthCommand.class, MeasureBillingCommand.class, ServeCommand.class, TokenCommand.class,
            UpfrontCommand.class, AlertsCommand.class, CommandLine.HelpCommand.class})
public final class TallyCli {
    /** A problem with the input files: missing, unreadable, not a bill, truncated, invalid map. */
    public static final int EXIT_INPUT = 1;
    /** Wrong usage: unknown option, missing argument. */
    public static final int EXIT_USAGE = 2;
    /** A bug or an environment failure (disk full, ...). */
    public static final int EXIT_INTERNAL = 70;

    private TallyCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TallyCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputException) {
                err.println("tally: " + e.getMessage());
                return EXIT_INPUT;
            }
            if (Boolean.getBoolean("tally.debug")) {
                e.printStackTrace(err);
            }
            err.println("tally: internal error: " + e + " (run with JAVA_OPTS=-Dtally.debug=true for details)");
            return EXIT_INTERNAL;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("tally: " + e.getMessage());
            err.println("Try 'tally " + (e.getCommandLine().getCommandName().equals("tally") ? ""
                    : e.getCommandLine().getCommandName() + " ") + "--help' for usage.");
            return EXIT_USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Version from the jar manifest, if packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TallyCli.class.getPackage().getImplementationVersion();
            return new String[] {"tally " + (version == null ? "development build" : version)};
        }
    }
}
