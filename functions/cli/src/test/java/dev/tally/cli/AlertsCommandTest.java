package dev.tally.cli;

import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.RollupOutputs;
import dev.tally.delivery.RunRecord;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tally alerts} over a directory holding two closed months in the billing function's layout. */
class AlertsCommandTest {
    @TempDir
    static Path dir;
    static Path layout;
    static Path rules;

    @BeforeAll
    static void writeTwoMonths() throws IOException {
        layout = dir.resolve("outputs");
        DirectoryObjectStore store = new DirectoryObjectStore(layout);
        int rows = 1500;
        for (YearMonth period : new YearMonth[] {YearMonth.of(2017, 1), YearMonth.of(2017, 2)}) {
            Path month = dir.resolve(period.toString());
            Manifest m = MonthGenerator.generate(MonthSpec.builder().period(period).format(BillFormat.CUR2)
                    .compression(Compression.NONE).seed(period.getMonthValue()).targetRows(rows).build(), month);
            rows *= 3;
            Instant at = period.plusMonths(1).atDay(2).atStartOfDay().toInstant(ZoneOffset.UTC);
            Rollup rollup = new RollupRunner(Clock.fixed(at, ZoneOffset.UTC), RollupRunner.Engine.FAST).run(
                    new RollupRunner.Request(month.resolve(m.billFile()), month.resolve(m.eventsFile()),
                            month.resolve(m.areasFile()), m.tagKey(), period), bytes -> { });
            RollupOutputs outputs = new RollupOutputs(store, "local", "");
            RunRecord run = outputs.writeRun(rollup, "s3://bills/" + period, at, at);
            outputs.finalize(rollup, run);
        }
        rules = Files.writeString(dir.resolve("rules.json"),
                "{\"default\": {\"relative\": \"0.5\", \"min_spend\": \"10\"}, \"watch\": [\"product_area\"]}");
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int tally(String... args) {
        return TallyCli.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void shouldSendTheLatestMonthsAlertsOnce() throws IOException {
        Path jsonl = dir.resolve("sent.jsonl");

        int first = tally("alerts", layout.toString(), "--rules", rules.toString(), "--out", jsonl.toString());
        String firstOut = out.toString();
        out.getBuffer().setLength(0);
        int second = tally("alerts", layout.toString(), "--rules", rules.toString(), "--out", jsonl.toString());

        assertThat(first).isZero();
        assertThat(second).isZero();
        long sent = Files.readAllLines(jsonl).size();
        assertThat(sent).isPositive();
        assertThat(firstOut).contains("Tally: ", " up ", "in 2017-02", sent + " alert(s) sent, 0 sent before");
        assertThat(out.toString()).contains("0 alert(s) sent, " + sent + " sent before, 0 failed, for 2017-02");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldPrintWithoutSending_onADryRun() {
        int code = tally("alerts", layout.toString(), "--rules", rules.toString(), "--dry-run");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("alert(s) for 2017-02 (dry run)");
    }

    @Test
    void shouldSayWhatIsWrong_withTheRulesOrTheDirectory() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"defaults\": {}}");

        int badRules = tally("alerts", layout.toString(), "--rules", bad.toString());
        int empty = tally("alerts", Files.createDirectories(dir.resolve("empty")).toString(), "--rules",
                rules.toString());

        assertThat(badRules).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(empty).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString()).contains("unknown field defaults", "holds no runs of the unblended cost basis");
    }
}
