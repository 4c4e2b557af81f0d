package dev.tally.billing;

import dev.tally.bytes.Swar;

import java.util.Arrays;

/**
 * Finds the records and fields of CSV bytes in a buffer: RFC 4180 quoting with the relaxations of
 * the reader's CSV library (characters after a closing quote belong to the field, an unclosed quote
 * runs to the end), LF, CR or CRLF line ends, empty lines skipped. It holds no input of its own: the
 * caller owns the buffer and says whether more input may follow, so one tokenizer serves the
 * in-place scanner and the reader thread that hands out whole batches of records.
 */
final class CsvTokenizer {
    /** Field offsets of the last record scanned. */
    int[] starts = new int[64];
    int[] ends = new int[64];
    boolean[] plain = new boolean[64];
    int count;
    int recordStart;
    int recordEnd;
    /** Line breaks the last call consumed (inside quoted fields and the record's own line end). */
    long lines;

    /**
     * Skips empty lines at {@code pos}.
     *
     * @return the position of the next record (or {@code limit}), or -1 if a CR at the end of the
     *         buffer leaves open whether a LF follows and more input may come
     */
    int skipEmptyLines(byte[] buf, int pos, int limit, boolean eof) {
        lines = 0;
        int p = pos;
        while (p < limit) {
            byte c = buf[p];
            if (c == '\n') {
                p++;
            } else if (c == '\r') {
                if (p + 1 >= limit && !eof) {
                    return -1;
                }
                p += (p + 1 < limit && buf[p + 1] == '\n') ? 2 : 1;
            } else {
                return p;
            }
            lines++;
        }
        return p;
    }

    /**
     * Tokenises the record starting at {@code pos} (not an empty line).
     *
     * @return the position after the record's line end, or -1 if the buffer ended first and more input
     *         may follow (nothing consumed)
     */
    int scan(byte[] buf, int pos, int limit, boolean eof) {
        int p = pos;
        long breaks = 0;
        count = 0;
        while (true) {
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
                        breaks++;
                    } else if (c == '\r') {
                        if (p + 1 >= limit && !eof) {
                            return -1;
                        }
                        if (p + 1 >= limit || buf[p + 1] != '\n') {
                            breaks++;
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
            recordStart = pos;
            recordEnd = p;
            if (p < limit) {
                if (buf[p] == '\r') {
                    if (p + 1 >= limit && !eof) {
                        return -1;
                    }
                    p += (p + 1 < limit && buf[p + 1] == '\n') ? 2 : 1;
                } else {
                    p++;
                }
                breaks++;
            }
            lines = breaks;
            return p;
        }
    }

    private void grow() {
        starts = Arrays.copyOf(starts, starts.length * 2);
        ends = Arrays.copyOf(ends, ends.length * 2);
        plain = Arrays.copyOf(plain, plain.length * 2);
    }
}
