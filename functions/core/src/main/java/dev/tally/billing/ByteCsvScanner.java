package dev.tally.billing;


import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits CSV bytes into records and fields without creating an object per field: each record's
 * fields are offsets into one buffer, read only when needed. Record boundaries, quoting (RFC 4180,
 * with the same relaxations as the reader's CSV library: characters after a closing quote belong to
 * the field, an unclosed quote runs to the end), empty lines skipped, a UTF-8 byte-order mark
 * dropped, and starting line numbers counted as LF, CR or CRLF — so both readers see the same rows.
 *
 * <p>A field that is quoted with doubled quotes inside, or has characters after its closing quote,
 * is marked {@link #isPlain(int) not plain}: its value is then taken from the library's parse of
 * that one record.
 */
final class ByteCsvScanner implements CsvRecords {
    private static final int INITIAL_BUFFER = 1 << 20;

    private final InputStream in;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int limit;
    private int pos;
    private boolean eof;
    private boolean started;
    private long line = 1;

    private final CsvTokenizer tokens = new CsvTokenizer();
    private long recordLine;

    ByteCsvScanner(InputStream in) {
        this.in = in;
    }

    /** Advances to the next non-empty record; false at the end of the input. */
    @Override
    public boolean next() throws IOException {
        if (!started) {
            started = true;
            ensure(3);
            if (limit - pos >= 3 && (buf[pos] & 0xff) == 0xEF && (buf[pos + 1] & 0xff) == 0xBB
                    && (buf[pos + 2] & 0xff) == 0xBF) {
                pos += 3;
            }
        }
        while (true) {
            int p = tokens.skipEmptyLines(buf, pos, limit, eof);
            if (p < 0) {
                fill();
                continue;
            }
            line += tokens.lines;
            pos = p;
            if (pos >= limit) {
                if (eof || !fill()) {
                    return false;
                }
                continue;
            }
            int next = tokens.scan(buf, pos, limit, eof);
            if (next < 0) {
                fill();
                continue;
            }
            recordLine = line;
            line += tokens.lines;
            pos = next;
            return true;
        }
    }

    private void ensure(int bytes) throws IOException {
        while (limit - pos < bytes && !eof) {
            fill();
        }
    }

    /** Keeps the unread part, reads more; false when nothing is left. */
    private boolean fill() throws IOException {
        if (eof) {
            return pos < limit;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        return pos < limit;
    }

    @Override
    public int fieldCount() {
        return tokens.count;
    }

    @Override
    public long lineNumber() {
        return recordLine;
    }

    @Override
    public byte[] buffer() {
        return buf;
    }

    @Override
    public int start(int field) {
        return tokens.starts[field];
    }

    @Override
    public int end(int field) {
        return tokens.ends[field];
    }

    /** True when the field's bytes are its value (no doubled quotes, nothing after a closing quote). */
    boolean isPlain(int field) {
        return tokens.plain[field];
    }

    /** Whether any field of the record needs the library's parse. */
    @Override
    public int onlyEscapedField() {
        return tokens.onlyEscaped;
    }

    @Override
    public boolean recordIsPlain() {
        for (int i = 0; i < tokens.count; i++) {
            if (!tokens.plain[i]) {
                return false;
            }
        }
        return true;
    }

    /** The record's raw text (for the library's parse of a record that is not plain). */
    @Override
    public String recordText() {
        return new String(buf, tokens.recordStart, tokens.recordEnd - tokens.recordStart, StandardCharsets.UTF_8);
    }

    @Override
    public String text(int field) {
        return new String(buf, tokens.starts[field], tokens.ends[field] - tokens.starts[field], StandardCharsets.UTF_8);
    }
}
