package dev.tally.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A CUR 2.0 or FOCUS CSV bill (plain or gzip) rewritten as a Parquet bill in AWS's types, as the generator writes
 * one ({@link ParquetRows}): for the parts of a multi-part bill, and for small bills written by hand in tests.
 * Its amounts must be the shortest decimals of their doubles (a generated month's are with {@code double-amounts}).
 */
public final class ParquetBills {
    private ParquetBills() {
    }

    /**
     * @param nullText whether a {@code NULL} cell is a null (FOCUS with {@code focus-nulls})
     * @return the data rows written
     */
    public static long fromCsv(Path csv, Path parquet, ParquetOptions options, boolean nullText) throws IOException {
        try (InputStream raw = Files.newInputStream(csv);
             BufferedReader in = new BufferedReader(new InputStreamReader(
                     csv.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw,
                     StandardCharsets.UTF_8));
             ParquetRows rows = new ParquetRows(parquet, options, nullText)) {
            List<String> header = record(in);
            if (header == null) {
                throw new IOException(csv + ": no header");
            }
            rows.header(header);
            long count = 0;
            for (List<String> r = record(in); r != null; r = record(in)) {
                rows.row(r.toArray(new String[0]), r.size());
                count++;
            }
            return count;
        }
    }

    /** One CSV record (quoted fields with doubled quotes, line breaks inside quotes), or null at the end. */
    private static List<String> record(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        while (true) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            if (!quoted) {
                break;
            }
            String next = in.readLine();
            if (next == null) {
                break;
            }
            field.append('\n');
            line = next;
        }
        fields.add(field.toString());
        return fields;
    }
}
