package dev.tally.billing;

import dev.tally.bytes.Swar;

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
final class ByteCsvScanner {
    private static final int INITIAL_BUFFER = 1 << 20;

    private final InputStream in;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int limit;
    private int pos;
    private boolean eof;
    private boolean started;
    private long line = 1;

    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private boolean[] plain = new boolean[64];
    private int count;
    private int recordStart;
    private int recordEnd;
    private long recordLine;

    ByteCsvScanner(InputStream in) {
        this.in = in;
    }

    /** Advances to the next non-empty record; false at the end of the input. */
    boolean next() throws IOException {
        if (!started) {
            started = true;
            ensure(3);
            if (limit - pos >= 3 && (buf[pos] & 0xff) == 0xEF && (buf[pos + 1] & 0xff) == 0xBB
                    && (buf[pos + 2] & 0xff) == 0xBF) {
                pos += 3;
            }
        }
        while (true) {
            if (pos >= limit && !fill()) {
                return false;
            }
            // An empty line is no record.
            byte c = buf[pos];
            if (c == '\n') {
                pos++;
                line++;
                continue;
            }
            if (c == '\r') {
                if (pos + 1 >= limit) {
                    fill();
                }
                pos += (pos + 1 < limit && buf[pos + 1] == '\n') ? 2 : 1;
                line++;
                continue;
            }
            if (scanRecord()) {
                return true;
            }
        }
    }

    /** Tokenises the record at {@code pos}; reads more input when it runs past the buffer. */
    private boolean scanRecord() throws IOException {
        while (true) {
            int result = tryScan();
            if (result >= 0) {
                return true;
            }
            if (eof) {
                throw new IllegalStateException("unreachable: scan at end of input must finish");
            }
            fill();
        }
    }

    /**
     * @return 0 when a whole record was tokenised (position after its line end), -1 if the buffer
     *         ended first (nothing consumed)
     */
    private int tryScan() {
        int p = pos;
        long lines = 0;
        count = 0;
        int start = p;
        while (true) {
            // one field
            if (count == starts.length) {
                grow();
            }
            boolean isPlain = true;
            int fieldStart;
            int fieldEnd;
            if (p < limit && buf[p] == '"') {
                p++;
                fieldStart = p;
                while (true) {
                    p = Swar.quotedEnd(buf, p, limit);
                    if (p >= limit) {
                        if (!eof) {
                            return -1;
                        }
                        fieldEnd = p; // unclosed quote: the field runs to the end
                        break;
                    }
                    byte c = buf[p];
                    if (c == '"') {
                        if (p + 1 >= limit && !eof) {
                            return -1;
                        }
                        if (p + 1 < limit && buf[p + 1] == '"') {
                            isPlain = false;
                            p += 2;
                            continue;
                        }
                        fieldEnd = p;
                        p++;
                        break;
                    }
                    if (c == '\n') {
                        lines++;
                    } else if (c == '\r') {
                        if (p + 1 >= limit && !eof) {
                            return -1;
                        }
                        if (p + 1 >= limit || buf[p + 1] != '\n') {
                            lines++;
                        }
                    }
                    p++;
                }
                // characters after the closing quote still belong to the field
                while (p < limit && buf[p] != ',' && buf[p] != '\n' && buf[p] != '\r') {
                    isPlain = false;
                    p++;
                }
                if (p >= limit && !eof) {
                    return -1;
                }
            } else {
                fieldStart = p;
                p = Swar.fieldEnd(buf, p, limit);
                if (p >= limit && !eof) {
                    return -1;
                }
                fieldEnd = p;
            }
            starts[count] = fieldStart;
            ends[count] = fieldEnd;
            plain[count] = isPlain;
            count++;
            if (p < limit && buf[p] == ',') {
                p++;
                continue;
            }
            // end of record: line end or end of input
            recordStart = start;
            recordEnd = p;
            recordLine = line;
            if (p < limit) {
                if (buf[p] == '\r') {
                    if (p + 1 >= limit && !eof) {
                        return -1;
                    }
                    p += (p + 1 < limit && buf[p + 1] == '\n') ? 2 : 1;
                } else {
                    p++;
                }
                lines++;
            }
            line += lines;
            pos = p;
            return 0;
        }
    }

    private void grow() {
        starts = Arrays.copyOf(starts, starts.length * 2);
        ends = Arrays.copyOf(ends, ends.length * 2);
        plain = Arrays.copyOf(plain, plain.length * 2);
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

    int fieldCount() {
        return count;
    }

    long lineNumber() {
        return recordLine;
    }

    byte[] buffer() {
        return buf;
    }

    int start(int field) {
        return starts[field];
    }

    int end(int field) {
        return ends[field];
    }

    /** True when the field's bytes are its value (no doubled quotes, nothing after a closing quote). */
    boolean isPlain(int field) {
        return plain[field];
    }

    /** Whether any field of the record needs the library's parse. */
    boolean recordIsPlain() {
        for (int i = 0; i < count; i++) {
            if (!plain[i]) {
                return false;
            }
        }
        return true;
    }

    /** The record's raw text (for the library's parse of a record that is not plain). */
    String recordText() {
        return new String(buf, recordStart, recordEnd - recordStart, StandardCharsets.UTF_8);
    }

    String text(int field) {
        return new String(buf, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
    }
}
