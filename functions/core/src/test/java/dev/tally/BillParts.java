package dev.tally;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** A gzip bill cut into parts the way AWS writes a multi-part month: at record boundaries, each part with the header. */
public final class BillParts {
    private BillParts() {
    }

    /** The bill's data records split into {@code n} gzip parts (the last may be shorter), each with the header. */
    public static List<byte[]> split(byte[] gzip, int n) throws IOException {
        List<String> records = records(gunzip(gzip));
        List<String> rows = records.subList(1, records.size());
        int per = (rows.size() + n - 1) / n;
        List<byte[]> parts = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            List<String> part = new ArrayList<>();
            part.add(records.get(0));
            part.addAll(rows.subList(Math.min(rows.size(), p * per), Math.min(rows.size(), (p + 1) * per)));
            parts.add(gzip(part));
        }
        return parts;
    }

    /** Records with their line ends; a record goes on over lines while a quote is open. */
    public static List<String> records(String text) {
        List<String> records = new ArrayList<>();
        StringBuilder record = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            record.append(c);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                records.add(record.toString());
                record.setLength(0);
            }
        }
        if (record.length() > 0) {
            records.add(record + "\n");
        }
        return records;
    }

    public static String gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Records gzipped, as one file. */
    public static byte[] gzip(List<String> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (String record : records) {
                out.write(record.getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }
}
