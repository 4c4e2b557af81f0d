package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.spend.Alert;
import dev.tally.spend.AlertDispatch;
import dev.tally.spend.AlertLedger;
import dev.tally.spend.AlertRules;
import dev.tally.spend.AlertSink;
import dev.tally.spend.AlertText;
import dev.tally.spend.Alerts;
import dev.tally.spend.MonthRuns;
import dev.tally.spend.PrintingAlertSink;
import dev.tally.spend.SpendHistory;
import dev.tally.spend.WebhookAlertSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tally alerts DIR --rules FILE}: the spend alerts of the latest month in a directory holding the billing
 * function's layout, each sent once (the ledger is kept in the directory, beside the runs).
 */
@Command(name = "alerts",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates the spend alert rules on the latest month in DIR (the billing function's output layout, e.g.",
            "aws s3 sync s3://bucket/ DIR, or runs written with tally rollup --into DIR) against the month before,",
            "and sends each alert once: to standard output, and to --out and the webhook if given. A rerun sends",
            "nothing again; an alert a channel refused is tried again on the next run."})
final class AlertsCommand implements Callable<Integer> {
    /** Where the webhook URL may come from instead of the command line (it is a secret). */
    static final String WEBHOOK_VARIABLE = "TALLY_ALERT_WEBHOOK";
    /** The exit status when a channel refused an alert (it is tried again on the next run). */
    static final int EXIT_UNDELIVERED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A directory holding the outputs' layout.")
    Path dir;

    @Option(names = "--rules", required = true, paramLabel = "FILE", description = "The alert rules (JSON).")
    Path rules;

    @Option(names = "--cost-basis", defaultValue = MonthRuns.DEFAULT_BASIS, paramLabel = "BASIS",
            description = "The cost basis whose runs to compare (default: ${DEFAULT-VALUE}).")
    String basis;

    @Option(names = "--prefix", defaultValue = "", paramLabel = "P", description = "The outputs' key prefix.")
    String prefix;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append each alert to FILE as a JSON line.")
    Path out;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "Also post each alert to a Slack-compatible webhook (or set " + WEBHOOK_VARIABLE + ").")
    URI webhook;

    @Option(names = "--dry-run", description = "Print the alerts; send and record nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": no such directory");
        }
        AlertRules alertRules;
        try (InputStream in = Files.newInputStream(rules)) {
            alertRules = AlertRules.read(rules.toString(), in);
        } catch (NoSuchFileException e) {
            throw new InputException(rules + ": no such file");
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        DirectoryObjectStore store = new DirectoryObjectStore(dir);
        SpendHistory history = SpendHistory.of(new MonthRuns(store, "local", prefix).read(basis,
                problem -> stderr.println("tally alerts: " + problem)));
        if (history.isEmpty()) {
            throw new InputException(dir + " holds no runs of the " + basis + " cost basis (runs/billing_period=…/)");
        }
        List<Alert> alerts = Alerts.evaluate(history, alertRules);
        if (dryRun) {
            alerts.forEach(a -> stdout.println(AlertText.title(a) + System.lineSeparator() + AlertText.body(a)
                    .indent(2).stripTrailing()));
            stdout.println(alerts.size() + " alert(s) for " + history.latest().orElseThrow().period() + " (dry run)");
            return 0;
        }
        List<AlertSink> sinks = new ArrayList<>();
        sinks.add(PrintingAlertSink.text(stdout));
        if (out != null) {
            sinks.add(PrintingAlertSink.jsonLines(out));
        }
        URI hook = webhook != null ? webhook
                : System.getenv(WEBHOOK_VARIABLE) == null ? null : URI.create(System.getenv(WEBHOOK_VARIABLE));
        if (hook != null) {
            sinks.add(new WebhookAlertSink(hook));
        }
        AlertDispatch.Outcome outcome = AlertDispatch.dispatch(alerts,
                new AlertLedger(store, "local", prefix, Clock.systemUTC()), sinks);
        stdout.println(outcome.sent().size() + " alert(s) sent, " + outcome.alreadySent().size() + " sent before, "
                + outcome.failed().size() + " failed, for " + history.latest().orElseThrow().period());
        stdout.flush();
        return outcome.failed().isEmpty() ? 0 : EXIT_UNDELIVERED;
    }
}
