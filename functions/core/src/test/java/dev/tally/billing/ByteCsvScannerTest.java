package dev.tally.billing;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte scanner must split records and fields exactly as the CSV library the slow reader uses. */
class ByteCsvScannerTest {
    record Rec(long line, List<String> fields) {
    }

    static List<Rec> library(byte[] csv) throws IOException {
        List<Rec> out = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                .allowUnclosedQuote(true).allowExtraCharsAfterClosingQuote(true).skipEmptyLines(true)
                .detectBomHeader(true).ofCsvRecord(new ByteArrayInputStream(csv), StandardCharsets.UTF_8)) {
            for (CsvRecord r : reader) {
                out.add(new Rec(r.getStartingLineNumber(), r.getFields()));
            }
        }
        return out;
    }

    static List<Rec> scanner(InputStream in) throws IOException {
        return records(new ByteCsvScanner(in));
    }

    static List<Rec> batches(InputStream in, int batchBytes) throws IOException {
        try (CsvBatches batches = new CsvBatches(in, batchBytes, null)) {
            return records(batches);
        }
    }

    /** Batches keeping only {@code columns} after the header; the other fields are read from the record again. */
    static List<Rec> projected(InputStream in, int batchBytes, int... columns) throws IOException {
        try (CsvBatches batches = new CsvBatches(in, batchBytes, header -> columns)) {
            return records(batches);
        }
    }

    static List<Rec> records(CsvRecords scanner) throws IOException {
        List<Rec> out = new ArrayList<>();
        while (scanner.next()) {
            List<String> fields = new ArrayList<>();
            int escaped = scanner.onlyEscapedField();
            if (scanner.recordIsPlain() || escaped >= 0) {
                // plain fields as they lie; the one escaped field with its doubled quotes made single
                for (int i = 0; i < scanner.fieldCount(); i++) {
                    fields.add(i == escaped ? scanner.text(i).replace("\"\"", "\"") : scanner.text(i));
                }
            } else {
                fields = CsvReader.builder().allowExtraFields(true).allowMissingFields(true).allowUnclosedQuote(true)
                        .allowExtraCharsAfterClosingQuote(true).ofSingleCsvRecord(scanner.recordText()).getFields();
            }
            out.add(new Rec(scanner.lineNumber(), fields));
        }
        return out;
    }

    /** Feeds bytes a few at a time, so records straddle every possible buffer boundary. */
    static InputStream trickle(byte[] bytes, int step) {
        return new InputStream() {
            int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, step), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a,b,c\n1,2,3\n",
        "a,b\r\n1,2\r\n\r\n3,4",
        "a,b\n\n\n1,\"x,y\"\n",
        "a,b\n\"multi\nline\",2\n3,4\n",
        "a,b\n\"say \"\"hi\"\"\",2\n",
        "a,b\n\"ab\"cd,2\n",
        "a,b\n1,2,3\n4\n",
        "a,b\n\"unclosed,2\n3,4\n",
        "\uFEFFa,b\n1,2\n",
        "a,b\r1,2\r3,4",
        "a,b\n ,\n,\n",
        "a,b\n\"\",\"\"\n",
        "a,b\n\"x\r\ny\",z\r\n",
        "only",
        "",
        "a,b\n1,2\n\"",
    })
    void shouldSplitLikeTheLibrary(String csv) throws IOException {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        List<Rec> expected = library(bytes);

        for (int step : new int[] {1, 2, 3, 7, 1 << 20}) {
            assertThat(scanner(trickle(bytes, step))).as("step %d", step).isEqualTo(expected);
        }
        for (int batch : new int[] {1, 2, 5, 16, 1 << 20}) {
            assertThat(batches(trickle(bytes, 3), batch)).as("batch %d", batch).isEqualTo(expected);
            assertThat(projected(trickle(bytes, 3), batch, 1)).as("batch %d, column 1 kept", batch)
                    .isEqualTo(expected);
            assertThat(projected(trickle(bytes, 3), batch, 0, 1)).as("batch %d, both kept", batch)
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"a\",\"b\",\"c\"\n\"1\",\"2\",\"3\"\n\"4\",\"5\",\"6\"\r\n\"7\",\"8\",\"9\"\r\"x\",\"y\",\"z\"",
        "\"a\",\"b\",\"c\"\n\"1\",\"2\"\n\"1\",\"2\",\"3\",\"4\"\n",
        "\"a\",\"b\",\"c\"\n\"1\",2,\"3\"\n\"\",\"\",\"\"\n\"1\",\"2\",\n",
        "\"a\",\"b\",\"c\"\n\"say \"\"hi\"\"\",\"2\",\"3\"\n\"1\"x,\"2\",\"3\"\n",
        "\"a\",\"b\",\"c\"\n\"multi\nline\",\"2\",\"3\"\n\"1\",\"x\r\ny\",\"3\"\n\"9\",\"9\",\"9\"\n",
        "\"a\",\"b\",\"c\"\n\"a long first field that spans words\",\"\",\"and another one, with a comma\"\n",
        "\"a\",\"b\",\"c\"\n\"1\",\"2\",\"3\"\n\"unclosed,\"2\n",
        "\"a\",\"b\",\"c\"\n\"1\",\"{\"\"user:x\"\":\"\"web\"\"}\",\"3\"\n\"\"\"\",\"2\",\"3\"\n\"a\"\"b\"c,\"2\",\"x\"\"y\"\n",
    })
    void shouldReadQuotedRecordsLikeTheLibraryWhateverIsKept(String csv) throws IOException {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        List<Rec> expected = library(bytes);

        for (int[] kept : new int[][] {{0}, {2}, {0, 2}, {0, 1, 2}, {2, 0, 5}}) {
            for (int batch : new int[] {1, 3, 8, 17, 1 << 20}) {
                for (int step : new int[] {1, 5, 1 << 20}) {
                    assertThat(projected(trickle(bytes, step), batch, kept))
                            .as("kept %s, batch %d, step %d", java.util.Arrays.toString(kept), batch, step)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void shouldSplitGeneratedBillsLikeTheLibrary(BillFormat format, @TempDir Path dir) throws IOException {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(format).seed(3).targetRows(3000)
                .malformedRows(5).build(), dir);
        byte[] bytes = Files.readAllBytes(dir.resolve(m.billFile()));

        List<Rec> expected = library(bytes);
        assertThat(scanner(trickle(bytes, 4093))).isEqualTo(expected);
        assertThat(batches(new java.io.ByteArrayInputStream(bytes), 8191)).isEqualTo(expected);
        int[] layout = BillLayout.detect(m.billFile(), expected.get(0).fields(), "product_area").columns();
        assertThat(layout).hasSizeGreaterThan(5);
        assertThat(projected(new java.io.ByteArrayInputStream(bytes), 8191, layout)).isEqualTo(expected);
        assertThat(projected(trickle(bytes, 1000), 1 << 20, layout)).isEqualTo(expected);
        assertThat(expected).hasSizeGreaterThan(3000);
    }

    @Test
    void shouldHandleRecordsLargerThanTheBuffer() throws IOException {
        String big = "x".repeat(3 << 20);
        byte[] bytes = ("a,b\n\"" + big + "\",1\n2,3\n").getBytes(StandardCharsets.UTF_8);

        assertThat(scanner(trickle(bytes, 65536))).isEqualTo(library(bytes));
        assertThat(batches(trickle(bytes, 65536), 1 << 16)).isEqualTo(library(bytes));
    }

    @Test
    void shouldPassOnAFailureOfTheReadingThread() {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) {
                    throw new java.io.EOFException("Unexpected end of ZLIB input stream");
                }
                return 'a';
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batches(failing, 64))
                .isInstanceOf(java.io.EOFException.class);
    }
}
