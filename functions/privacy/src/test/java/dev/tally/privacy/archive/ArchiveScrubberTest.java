package dev.tally.privacy.archive;

import dev.tally.privacy.SubjectType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchiveScrubberTest {
    private static final RecordMatcher MATCHER = RecordMatcher.of(Map.of(
            SubjectType.USER_ID, List.of("userId"), SubjectType.EMAIL, List.of("traits.email")));
    private static final SubjectIndex U1 = SubjectIndex.of(SubjectType.USER_ID, "r1", List.of("u-1"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String scrubbed(String input, SubjectIndex subjects) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ArchiveScrubber(MATCHER, subjects).scrub(new ByteArrayInputStream(utf8(input)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(content);
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldKeepOtherLinesByteForByte_withTheirLineEndings() throws IOException {
        String input = "{\"userId\":\"u-2\",\"n\":\"Zoë 日本 🎉\"}\r\n"
                + "{\"userId\":\"u-1\"}\n"
                + "\n"
                + "   \r\n"
                + "{\"userId\":\"u-3\",  \"spacing\" : [1, 2.50, 1e3]}\n"
                + "{\"userId\":\"u-1\",\"x\":1}\r\n"
                + "{\"userId\":\"u-4\"}";

        assertThat(scrubbed(input, U1)).isEqualTo("{\"userId\":\"u-2\",\"n\":\"Zoë 日本 🎉\"}\r\n"
                + "\n"
                + "   \r\n"
                + "{\"userId\":\"u-3\",  \"spacing\" : [1, 2.50, 1e3]}\n"
                + "{\"userId\":\"u-4\"}");
    }

    @Test
    void shouldRemoveALastLineWithoutNewline_andKeepTheNewlineOfTheLineBefore() throws IOException {
        assertThat(scrubbed("{\"userId\":\"u-2\"}\n{\"userId\":\"u-1\"}", U1)).isEqualTo("{\"userId\":\"u-2\"}\n");
    }

    @Test
    void shouldCopyAnObjectWithoutTheSubjectExactly() throws IOException {
        String input = "{\"userId\":\"u-2\"}\r\n\n{\"b\":1}\n{\"userId\":\"u-3\"}";
        assertThat(scrubbed(input, U1)).isEqualTo(input);
        assertThat(scrubbed("", U1)).isEmpty();
    }

    @Test
    void shouldKeepVeryLongLinesWhole() throws IOException {
        String big = "x".repeat(300_000);
        String input = "{\"userId\":\"u-2\",\"blob\":\"" + big + "\"}\n{\"userId\":\"u-1\",\"blob\":\"" + big + "\"}\n"
                + "{\"blob\":\"" + big + "\",\"userId\":\"u-3\"}";
        assertThat(scrubbed(input, U1)).isEqualTo("{\"userId\":\"u-2\",\"blob\":\"" + big + "\"}\n"
                + "{\"blob\":\"" + big + "\",\"userId\":\"u-3\"}");
    }

    @Test
    void shouldFailALineOverTheLimit_ratherThanHoldIt() {
        byte[] input = utf8("{\"userId\":\"u-2\"}\n{\"blob\":\"" + "x".repeat(5_000) + "\"}\n");
        ArchiveScrubber scrubber = new ArchiveScrubber(MATCHER, U1, 1_000);
        assertThatThrownBy(() -> scrubber.scrub(new ByteArrayInputStream(input), new ByteArrayOutputStream()))
                .isInstanceOf(ArchiveFormatException.class).hasMessageContaining("longer than 1000 bytes");
    }

    @Test
    void shouldKeepUnparseableLinesAndCountThem() throws IOException {
        String input = "not json {\"userId\":\"u-1\"}\n{\"userId\":\"u-1\"\n{\"userId\":\"u-1\"}\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrub(new ByteArrayInputStream(utf8(input)), out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("not json {\"userId\":\"u-1\"}\n{\"userId\":\"u-1\"\n");
        assertThat(result.unparseableLines()).isEqualTo(2);
        assertThat(result.recordsRemoved()).isEqualTo(1);
        assertThat(result.lines()).isEqualTo(3);
    }

    @Test
    void shouldWriteGzipForGzip_withTheSameContentLessTheSubject() throws IOException {
        byte[] plain = utf8("{\"userId\":\"u-2\"}\r\n{\"userId\":\"u-1\"}\n{\"userId\":\"u-3\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrub(new ByteArrayInputStream(gzip(plain)), out);

        assertThat(result.gzip()).isTrue();
        assertThat(out.toByteArray()[0] & 0xff).isEqualTo(0x1f);
        assertThat(out.toByteArray()[1] & 0xff).isEqualTo(0x8b);
        assertThat(new String(gunzip(out.toByteArray()), StandardCharsets.UTF_8))
                .isEqualTo("{\"userId\":\"u-2\"}\r\n{\"userId\":\"u-3\"}");
        assertThat(result.bytesRead()).isEqualTo(gzip(plain).length);
    }

    @Test
    void shouldReadEveryMemberOfConcatenatedGzip() throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(gzip(utf8("{\"userId\":\"u-2\"}\n{\"userId\":\"u-1\"}\n")));
        input.write(gzip(utf8("")));
        input.write(gzip(utf8("{\"userId\":\"u-3\"}\n{\"user")));
        input.write(gzip(utf8("Id\":\"u-1\"}\n{\"userId\":\"u-4\"}\n")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrub(new ByteArrayInputStream(input.toByteArray()), out);

        assertThat(result.recordsRemoved()).isEqualTo(2);
        assertThat(new String(gunzip(out.toByteArray()), StandardCharsets.UTF_8))
                .isEqualTo("{\"userId\":\"u-2\"}\n{\"userId\":\"u-3\"}\n{\"userId\":\"u-4\"}\n");
    }

    @Test
    void shouldReadEveryMember_fromANetworkLikeStreamThatHasNothingAvailable() throws IOException {
        // java.util.zip.GZIPInputStream on Java 17 stops after the first member when available() says 0
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(gzip(utf8("{\"userId\":\"u-2\"}\n")));
        input.write(gzip(utf8("{\"userId\":\"u-1\"}\n{\"userId\":\"u-3\"}\n")));
        java.io.InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(input.toByteArray())) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }

            @Override
            public int available() {
                return 0;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrub(trickle, out);

        assertThat(result.lines()).isEqualTo(3);
        assertThat(new String(gunzip(out.toByteArray()), StandardCharsets.UTF_8))
                .isEqualTo("{\"userId\":\"u-2\"}\n{\"userId\":\"u-3\"}\n");
    }

    @Test
    void shouldFindNothingTheSecondTime() throws IOException {
        byte[] input = gzip(utf8("{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n"));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        new ArchiveScrubber(MATCHER, U1).scrub(new ByteArrayInputStream(input), first);
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        ScrubResult again = new ArchiveScrubber(MATCHER, U1).scrub(new ByteArrayInputStream(first.toByteArray()), second);

        assertThat(again.changed()).isFalse();
        assertThat(again.recordsRemoved()).isZero();
        assertThat(gunzip(second.toByteArray())).isEqualTo(gunzip(first.toByteArray()));
    }

    @Test
    void shouldCountRemovedRecordsPerGroup() throws IOException {
        SubjectIndex subjects = SubjectIndex.of(SubjectType.EMAIL, Map.of("r1", List.of("A@x.io"), "r2", List.of("a@x.io", "b@x.io")));
        String input = "{\"traits\":{\"email\":\"a@X.io\"}}\n{\"traits\":{\"email\":\"b@x.io\"}}\n{\"traits\":{\"email\":\"c@x.io\"}}\n";

        ScrubResult result = new ArchiveScrubber(MATCHER, subjects).scrub(new ByteArrayInputStream(utf8(input)),
                new ByteArrayOutputStream());

        assertThat(result.recordsRemoved()).isEqualTo(2);
        assertThat(result.removedByGroup()).isEqualTo(Map.of("r1", 1L, "r2", 2L));
    }

    @Test
    void shouldNotOpenTheSinkWhenNothingIsRemoved() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrubIfChanged(
                new ByteArrayInputStream(utf8("{\"userId\":\"u-2\"}\n")), () -> {
                    opened.incrementAndGet();
                    return OutputStream.nullOutputStream();
                }, 1024);

        assertThat(opened).hasValue(0);
        assertThat(result.changed()).isFalse();
        assertThat(result.written()).isFalse();
        assertThat(result.complete()).isTrue();
    }

    @Test
    void shouldWriteTheHeldPrefix_whenTheFirstRemovalComesWithinTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrubIfChanged(new ByteArrayInputStream(utf8(
                "{\"userId\":\"u-2\"}\n{\"userId\":\"u-1\"}\n{\"userId\":\"u-3\"}\n")), () -> out, 1024);

        assertThat(result.written()).isTrue();
        assertThat(result.rewriteNeeded()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"userId\":\"u-2\"}\n{\"userId\":\"u-3\"}\n");
    }

    @Test
    void shouldAskForAFullRewrite_whenTheFirstRemovalComesAfterTheLimit() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scrubIfChanged(new ByteArrayInputStream(utf8(
                "{\"userId\":\"u-2\"}\n{\"userId\":\"u-3\"}\n{\"userId\":\"u-1\"}\n{\"userId\":\"u-1\"}\n")), () -> {
                    opened.incrementAndGet();
                    return OutputStream.nullOutputStream();
                }, 20);

        assertThat(result.rewriteNeeded()).isTrue();
        assertThat(result.complete()).isFalse();
        assertThat(opened).hasValue(0);
    }

    @Test
    void shouldScanWithoutWriting() throws IOException {
        ScrubResult result = new ArchiveScrubber(MATCHER, U1).scan(new ByteArrayInputStream(gzip(utf8(
                "{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n{\"userId\":\"u-1\"}"))));

        assertThat(result.recordsRemoved()).isEqualTo(2);
        assertThat(result.removedByGroup()).isEqualTo(Map.of("r1", 2L));
        assertThat(result.complete()).isTrue();
    }

    @Test
    void shouldFailACorruptOrTruncatedGzipObject() throws IOException {
        byte[] good = gzip(utf8("{\"userId\":\"u-2\"}\n".repeat(100)));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
        byte[] flipped = good.clone();
        flipped[good.length - 6] ^= 0x55; // inside the CRC

        for (byte[] bad : List.of(truncated, trailing, flipped)) {
            assertThatThrownBy(() -> new ArchiveScrubber(MATCHER, U1).scan(new ByteArrayInputStream(bad)))
                    .isInstanceOf(ArchiveFormatException.class);
        }
    }
}
