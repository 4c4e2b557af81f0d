package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Test-side readers, written independently of the generator: decompression, RFC 4180 CSV, JSON lines. */
final class TestFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestFiles() {
    }

    /** Opens plain, {@code .gz} or {@code .zip} (first entry). */
    static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (name.endsWith(".zip")) {
            ZipInputStream zip = new ZipInputStream(in);
            ZipEntry entry = zip.getNextEntry();
            if (entry == null) {
                throw new IOException("empty zip " + file);
            }
            return zip;
        }
        return in;
    }

    static byte[] contentBytes(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    static List<String> lines(Path file) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
            return out;
        }
    }

    /** Calls {@code each} with every record of a CSV file (the header first). */
    static void csv(Path file, Consumer<List<String>> each) throws IOException {
        try (Reader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            List<String> record = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            int c;
            while ((c = r.read()) >= 0) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        r.mark(1);
                        int n = r.read();
                        if (n == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (n >= 0) {
                                r.reset();
                            }
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    record.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    record.add(field.toString());
                    field.setLength(0);
                    each.accept(record);
                    record = new ArrayList<>();
                    any = false;
                } else if (c != '\r') {
                    field.append((char) c);
                }
            }
            if (any) {
                record.add(field.toString());
                each.accept(record);
            }
        }
    }

    static List<List<String>> csvRows(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        csv(file, rows::add);
        return rows;
    }

    /** Parses a JSON line, or returns null when it is not a JSON object. */
    static JsonNode jsonOrNull(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small month most tests share: every row kind and edge case, a second or so to generate. */
    static MonthSpec.Builder small() {
        return MonthSpec.builder().targetRows(12_000).instances(6).services(6).clusters(2).volumes(10).seed(42);
    }
}
