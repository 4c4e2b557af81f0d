package dev.tally.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming: a 200k-row month with a messy event log is generated in a JVM whose heap is a fraction of
 * what it writes. Anything that kept rows or events (or a whole-file shuffle) would run out of memory.
 */
class MemoryBoundTest {
    private static final int HEAP_MB = 32;

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRowsFitInASmallHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("log.txt");
        Path out = dir.resolve("month");
        Process p = new ProcessBuilder(java, "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), GenerateCommand.class.getName(), "--out", out.toString(),
                "--rows", "200000", "--format", "dbr", "--messy", "--shuffle-window", "4096", "--malformed-rows", "5")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(log, StandardCharsets.UTF_8)).isZero();

        Manifest m = Manifest.read(out);
        assertThat(m.lineItems()).isBetween(180_000L, 230_000L);
        assertThat(m.events().written()).isGreaterThan(15_000);
        long written = Files.size(out.resolve(m.billFile())) + Files.size(out.resolve(m.eventsFile()));
        assertThat(written).as("bytes written vs heap").isGreaterThan(3L * HEAP_MB * 1024 * 1024);

        // and the result is still complete and exact
        BillCheck check = BillCheck.read(out.resolve(m.billFile()), BillFormat.DBR, null);
        assertThat(check.total).isEqualByComparingTo(m.totalCost());
        assertThat(check.lineItems).isEqualTo(m.lineItems());
        assertThat(check.malformed).isEqualTo(5);
    }
}
