package dev.tally.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismTest {
    @TempDir
    Path dir;

    private static List<String> files(Manifest m) {
        return List.of(m.billFile(), m.eventsFile(), m.areasFile(), Manifest.FILE_NAME);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void sameSpecGivesByteIdenticalFiles(Compression compression) throws IOException {
        boolean parquet = compression == Compression.PARQUET; // a Data Export's: CUR 2.0, no malformed rows
        MonthSpec spec = TestFiles.small().format(parquet ? BillFormat.CUR2 : BillFormat.CUR).compression(compression)
                .events(EventOptions.messy().withGzip(true)).malformedRows(parquet ? 0 : 3).build();
        Manifest a = MonthGenerator.generate(spec, dir.resolve("a"));
        Manifest b = MonthGenerator.generate(spec, dir.resolve("b"));
        assertThat(a).isEqualTo(b);
        for (String f : files(a)) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f)))
                    .as(f).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
        }
    }

    @Test
    void anotherSeedGivesAnotherMonth() throws IOException {
        Manifest a = MonthGenerator.generate(TestFiles.small().seed(1).build(), dir.resolve("a"));
        Manifest b = MonthGenerator.generate(TestFiles.small().seed(2).build(), dir.resolve("b"));
        assertThat(a.totalCost()).isNotEqualByComparingTo(b.totalCost());
        assertThat(Files.readAllBytes(dir.resolve("a").resolve(a.eventsFile())))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("b").resolve(b.eventsFile())));
    }

    @Test
    void compressionDoesNotChangeTheContent() throws IOException {
        MonthSpec plain = TestFiles.small().targetRows(3_000).build();
        MonthGenerator.generate(plain, dir.resolve("plain"));
        Manifest gz = MonthGenerator.generate(plain.toBuilder().compression(Compression.GZIP)
                .events(EventOptions.clean().withGzip(true)).build(), dir.resolve("gz"));
        Manifest zip = MonthGenerator.generate(plain.toBuilder().compression(Compression.ZIP).build(), dir.resolve("zip"));

        assertThat(gz.billFile()).isEqualTo("bill-2017-02.csv.gz");
        assertThat(gz.eventsFile()).isEqualTo("events.jsonl.gz");
        assertThat(zip.billFile()).isEqualTo("bill-2017-02.csv.zip");
        byte[] csv = Files.readAllBytes(dir.resolve("plain/bill-2017-02.csv"));
        assertThat(TestFiles.contentBytes(dir.resolve("gz").resolve(gz.billFile()))).isEqualTo(csv);
        assertThat(TestFiles.contentBytes(dir.resolve("zip").resolve(zip.billFile()))).isEqualTo(csv);
        assertThat(TestFiles.contentBytes(dir.resolve("gz/events.jsonl.gz")))
                .isEqualTo(Files.readAllBytes(dir.resolve("plain/events.jsonl")));

        // regenerating with other compression replaces the old variants instead of leaving them behind
        MonthGenerator.generate(plain, dir.resolve("gz"));
        try (var files = Files.list(dir.resolve("gz"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly("areas.json",
                    "bill-2017-02.csv", "events.jsonl", "manifest.json");
        }

        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(dir.resolve("zip").resolve(zip.billFile())))) {
            ZipEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("bill-2017-02.csv");
            in.readAllBytes();
            assertThat(in.getNextEntry()).as("exactly one entry").isNull();
        }
    }

    @Test
    void eventOptionsNeverChangeTheBillAndOnlyAddToTheCleanEvents() throws IOException {
        MonthSpec clean = TestFiles.small().build();
        Manifest c = MonthGenerator.generate(clean, dir.resolve("clean"));
        Manifest m = MonthGenerator.generate(clean.toBuilder().events(EventOptions.messy().withMalformedEvents(5)
                .withNoiseRate(0.05)).build(), dir.resolve("messy"));

        assertThat(Files.readAllBytes(dir.resolve("messy").resolve(m.billFile())))
                .isEqualTo(Files.readAllBytes(dir.resolve("clean").resolve(c.billFile())));
        List<String> cleanLines = TestFiles.lines(dir.resolve("clean").resolve(c.eventsFile()));
        List<String> messyLines = TestFiles.lines(dir.resolve("messy").resolve(m.eventsFile()));
        Set<String> messy = new HashSet<>(messyLines);
        assertThat(cleanLines).allMatch(messy::contains);
        assertThat(messyLines).hasSize(cleanLines.size() + (int) (m.events().duplicates() + m.events().noise()
                + m.events().malformed()));
        assertThat(messyLines).isNotEqualTo(cleanLines);
        assertThat(m.events().duplicates()).isPositive();
        assertThat(m.events().noise()).isPositive();
        assertThat(m.events().malformed()).isEqualTo(5);
    }
}
