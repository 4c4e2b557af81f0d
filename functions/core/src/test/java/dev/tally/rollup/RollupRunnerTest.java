package dev.tally.rollup;

import dev.tally.Fixtures;
import dev.tally.Fixtures.Row;
import dev.tally.billing.BillFileException;
import dev.tally.history.EventFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tally.Fixtures.EC2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast engine opens the bill before reading the events: failures on either side stay clean. */
class RollupRunnerTest {
    @TempDir
    Path dir;

    private static boolean billThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && (t.getName().equals("bill-decompress") || t.getName().equals("bill-tokenize")));
    }

    private static void awaitBillThreadsGone() throws InterruptedException {
        for (int i = 0; i < 200 && billThreadsAlive(); i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void shouldStopReadingTheBill_whenTheEventsCannotBeRead() throws Exception {
        // far more than the batches the reader keeps in flight, so its threads would wait forever
        String[] lines = Fixtures.dbr(List.of(Row.of(EC2, "i-1", "web", "02-01T00:00", "02-01T01:00", "0.5")), null)
                .split("\n");
        Path bill = dir.resolve("bill.csv.gz");
        try (java.io.Writer out = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
                java.nio.file.Files.newOutputStream(bill)), java.nio.charset.StandardCharsets.UTF_8)) {
            out.write(lines[0] + "\n");
            for (int i = 0; i < 300_000; i++) {
                out.write(lines[1] + "\n");
            }
        }
        Path missingEvents = dir.resolve("no-such-events.jsonl");

        assertThatThrownBy(() -> new RollupRunner().run(new RollupRunner.Request(bill, missingEvents, null,
                "product_area", null), bytes -> { })).isInstanceOf(EventFileException.class);
        awaitBillThreadsGone();
        assertThat(billThreadsAlive()).as("bill reading threads after the failure").isFalse();
    }

    @Test
    void shouldReportAnUnreadableBillBeforeReadingTheEvents() {
        Path events = Fixtures.writeLines(dir, "events.jsonl", List.of(Fixtures.terminated("i-1", "02-03T00:00")));
        Path missingBill = dir.resolve("no-such-bill.csv.gz");

        assertThatThrownBy(() -> new RollupRunner().run(new RollupRunner.Request(missingBill, events, null,
                "product_area", null), bytes -> { })).isInstanceOf(BillFileException.class)
                .hasMessageContaining("no-such-bill.csv.gz");
    }

    @Test
    void shouldGiveTheSameRollup_whetherTheBillWasOpenedAheadOrNot() {
        Path example = dev.tally.RepoFiles.events("worked-example");
        RollupRunner.Request request = new RollupRunner.Request(example.resolve("bill-2017-02.csv"),
                example.resolve("events.jsonl"), example.resolve("areas.json"), "product_area", null);
        RollupRunner runner = new RollupRunner(RollupRunner.Engine.FAST);

        Rollup ahead = runner.run(request, bytes -> { });
        RollupRunner.LoadedHistory history = RollupRunner.loadHistory(request.events());
        Rollup after = runner.run(request, ProductAreaFile.read(request.areas()), history, bytes -> { });

        EngineEquivalenceTest.assertSame(ahead, after);
    }
}
