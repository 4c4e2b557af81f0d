package dev.tally.history;

import dev.tally.Fixtures;
import dev.tally.RepoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.tally.Fixtures.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFilesTest {
    @TempDir
    Path dir;

    private final List<HistoryEvent> got = new ArrayList<>();

    private static final String ATTACH =
            Fixtures.volumeCall("AttachVolume", "vol-1", "i-1", "02-01T00:10", millis("02-01T00:10"), null);
    private static final String TERMINATED = Fixtures.terminated("i-1", "02-03T00:00");

    @Test
    void shouldReadJsonLines_countingBadLinesAndGoingOn() {
        Path file = Fixtures.writeLines(dir, "events.jsonl", List.of(ATTACH, "{not json", "", TERMINATED,
                "{\"detail-type\":\"Scheduled Event\",\"detail\":{}}"));

        EventReadReport report = EventFiles.read(file, got::add);

        assertThat(got).hasSize(2);
        assertThat(report.events()).isEqualTo(4);
        assertThat(report.invalid()).isEqualTo(1);
        assertThat(report.problems()).singleElement().asString().endsWith(":2: unparseable JSON");
        assertThat(report.unknown()).containsEntry("Scheduled Event", 1L);
    }

    @Test
    void shouldReadOneEventAnArrayOrCloudTrailRecords() {
        Fixtures.write(dir, "a/one.json", ATTACH);
        Fixtures.write(dir, "a/b/array.json", "[" + ATTACH + "," + TERMINATED + "]");
        Fixtures.write(dir, "cloudtrail.json", "{\"Records\":[" + RECORD + "," + RECORD + "]}");
        Fixtures.write(dir, "README.txt", "not events");

        EventReadReport report = EventFiles.read(dir, got::add);

        assertThat(report.files()).isEqualTo(3);
        assertThat(got).hasSize(5);
    }

    private static final String RECORD = "{\"eventTime\":\"2017-02-01T00:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\","
            + "\"eventName\":\"DetachVolume\",\"requestParameters\":{\"volumeId\":\"vol-9\"}}";

    @Test
    void shouldReadGzippedFiles() throws IOException {
        Path file = dir.resolve("events.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((ATTACH + "\n" + TERMINATED + "\n").getBytes(StandardCharsets.UTF_8));
        }

        EventFiles.read(file, got::add);

        assertThat(got).hasSize(2);
    }

    @Test
    void shouldCountUnparseableDocument_andKeepEventsBeforeTheBreak() {
        Path file = Fixtures.write(dir, "broken.json", "[" + ATTACH + "," + TERMINATED + ", {\"oops\": ]");

        EventReadReport report = EventFiles.read(file, got::add);

        assertThat(got).hasSize(2);
        assertThat(report.invalid()).isEqualTo(1);
    }

    @Test
    void shouldReadTheAwsSamplesDirectory_andCountTheBrokenSample() {
        EventReadReport report = EventFiles.read(RepoFiles.events("aws-samples"), got::add);

        assertThat(report.used()).containsEntry(EventParser.TASK_STATE_CHANGE, 2L)
                .containsEntry(EventParser.CONTAINER_INSTANCE_STATE_CHANGE, 2L)
                .containsEntry("AttachVolume", 2L)
                .containsEntry("DetachVolume", 1L);
        assertThat(report.problems()).anyMatch(p -> p.contains("INVALID-JSON-trailing-commas"));
    }

    @Test
    void shouldFail_whenPathIsMissingOrHoldsNoEventFile() {
        assertThatThrownBy(() -> EventFiles.read(dir.resolve("nope"), got::add))
                .isInstanceOf(EventFileException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> EventFiles.read(dir, got::add))
                .isInstanceOf(EventFileException.class).hasMessageContaining("holds no");
    }

    @Test
    void shouldReadABigFileInParallel_withTheSameHistoryAndReportAsOneReader() throws IOException {
        dev.tally.testkit.Manifest m = dev.tally.testkit.MonthGenerator.generate(dev.tally.testkit.MonthSpec.builder()
                .seed(8).targetRows(160_000).events(dev.tally.testkit.EventOptions.messy().withMalformedEvents(9)
                        .withNoiseRate(0.05)).build(), dir);
        Path events = dir.resolve(m.eventsFile());
        assertThat(Files.size(events)).isGreaterThan(16L << 20);

        HistoryBuilder one = new HistoryBuilder();
        EventReadReport sequential = EventFiles.read(events, one::add);
        HistoryBuilder many = new HistoryBuilder();
        EventReadReport parallel = EventFiles.readInto(events, many);

        assertThat(many.build()).isEqualTo(one.build());
        assertThat(parallel).isEqualTo(sequential);
        assertThat(parallel.invalid()).isEqualTo(9);
        assertThat(parallel.problems()).hasSize(9);
    }

    /**
     * Task events are read as their line's end is found: whatever the line terminators, trailing
     * blanks, lines straddling the reader's buffer, a last line without terminator, or a task event
     * broken over two lines, the history and the report must be what reading line by line with the
     * parser gives.
     */
    @Test
    void shouldReadTaskLinesInOnePass_exactlyAsLineByLineParsing() throws IOException {
        dev.tally.testkit.Manifest m = dev.tally.testkit.MonthGenerator.generate(dev.tally.testkit.MonthSpec.builder()
                .seed(12).targetRows(20_000).events(dev.tally.testkit.EventOptions.messy()).build(), dir);
        List<String> source = Files.readAllLines(dir.resolve(m.eventsFile()));
        String broken = Fixtures.task("arn:aws:ecs:us-east-1:111122223333:task/prod/broken", "prod", "service:web",
                null, "256", "02-01T00:00", null, "RUNNING", 1);
        int cut = broken.indexOf(",\"detail\"") + 1;
        String[] terminators = {"\n", "\r\n", "\r", " \t\n", "\n\n", "\r\n\r\n"};
        java.util.Random random = new java.util.Random(3);
        StringBuilder text = new StringBuilder();
        int written = 0;
        while (text.length() < (3 << 20)) { // several times the reader's 1 MiB buffer
            for (String line : source) {
                text.append(line).append(terminators[random.nextInt(terminators.length)]);
                if (++written % 300 == 0) {
                    text.append(broken, 0, cut).append('\n').append(broken.substring(cut)).append('\n');
                }
            }
        }
        text.append(source.get(source.size() - 1)); // no terminator at the end
        Path file = Fixtures.write(dir, "mixed.jsonl", text.toString());

        HistoryBuilder expected = new HistoryBuilder();
        long[] counts = new long[2]; // events, invalid
        List<Long> invalidLines = new ArrayList<>();
        try (java.io.BufferedReader reader = Files.newBufferedReader(file)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                counts[0]++;
                EventOutcome outcome;
                try {
                    outcome = EventParser.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
                } catch (IOException e) {
                    outcome = new EventOutcome.Invalid("unparseable JSON");
                }
                if (outcome instanceof EventOutcome.Used used) {
                    expected.add(used.event());
                } else if (outcome instanceof EventOutcome.Invalid) {
                    counts[1]++;
                    invalidLines.add(number);
                }
            }
        }
        HistoryBuilder actual = new HistoryBuilder();
        EventReadReport report = EventFiles.read(file, actual::add);

        assertThat(actual.build()).isEqualTo(expected.build());
        assertThat(report.events()).isEqualTo(counts[0]);
        assertThat(report.invalid()).isEqualTo(counts[1]).isGreaterThan(2L * (written / 300));
        // problems name the line as a line-by-line reader numbers it
        assertThat(report.problems().stream().map(p -> Long.parseLong(p.substring(file.toString().length() + 1,
                p.indexOf(':', file.toString().length() + 1)))).toList()).isEqualTo(invalidLines);
    }
}
