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
    /** Returned by the quoted fast path when the generic scan has to read the record. */
    private static final int FALLBACK = -2;

    /** Field offsets of the last record scanned (when not projecting). */
    int[] starts = new int[64];
    int[] ends = new int[64];
    boolean[] plain = new boolean[64];
    int count;
    int recordStart;
    int recordEnd;
    /** Whether every field of the last record is plain (with a projection: every kept field). */
    boolean recordPlain;
    /**
     * The field of the last record that is its only non-plain one, when that field is merely escaped
     * (quoted, with doubled quotes inside, closed, nothing after): its value is its bytes with each
     * doubled quote made one. -1 otherwise.
     */
    int onlyEscaped;
    private int nonPlain;
    private int lastNonPlain;
    private boolean lastEscaped;
    /** Line breaks the last call consumed (inside quoted fields and the record's own line end). */
    long lines;

    // projection: field i goes to out[outBase + slotOf[i]] when slotOf[i] >= 0; other fields are only counted
    private int[] slotOf;
    private int[] outStarts;
    private int[] outEnds;
    private int outBase;

    /**
     * Keeps only some fields of each record from now on: field {@code i} is written to
     * {@code starts/ends[base + slotOf[i]]} of the arrays given to {@link #into}, fields without a slot
     * (or beyond {@code slotOf}) are counted and checked but not stored.
     */
    void project(int[] slotOf) {
        this.slotOf = slotOf;
    }

    /** Where the next record's projected fields go. */
    void into(int[] starts, int[] ends, int base) {
        this.outStarts = starts;
        this.outEnds = ends;
        this.outBase = base;
    }

    /** A plain field of the quoted fast path (kept small so it inlines there). */
    private void storePlain(int start, int end) {
        if (slotOf == null) {
            if (count == starts.length) {
                grow();
            }
            starts[count] = start;
            ends[count] = end;
            plain[count] = true;
        } else if (count < slotOf.length) {
            int slot = slotOf[count];
            if (slot >= 0) {
                outStarts[outBase + slot] = start;
                outEnds[outBase + slot] = end;
            }
        }
        count++;
    }

    private void store(int start, int end, boolean isPlain) {
        store(start, end, isPlain, false);
    }

    private void store(int start, int end, boolean isPlain, boolean escaped) {
        // with a projection only the kept fields count: the others are never read as bytes
        if (!isPlain && slotOf != null && (count >= slotOf.length || slotOf[count] < 0)) {
            isPlain = true;
        }
        if (!isPlain) {
            nonPlain++;
            lastNonPlain = count;
            lastEscaped = escaped;
            recordPlain = false;
        }
        storePlain(start, end);
        if (!isPlain && slotOf == null) {
            plain[count - 1] = false;
        }
    }

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
        if (slotOf != null && buf[pos] == '"') {
            int next = scanQuoted(buf, pos, limit);
            if (next != FALLBACK) {
                return next;
            }
        }
        int p = pos;
        long breaks = 0;
        count = 0;
        recordPlain = true;
        nonPlain = 0;
        while (true) {
            boolean isPlain = true;
            boolean escaped = false;
            int fieldStart;
            int fieldEnd;
            if (p < limit && buf[p] == '"') {
                p++;
                fieldStart = p;
                boolean closed = false;
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
                        closed = true;
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
                boolean trailing = false;
                while (p < limit && buf[p] != ',' && buf[p] != '\n' && buf[p] != '\r') {
                    isPlain = false;
                    trailing = true;
                    p++;
                }
                escaped = !isPlain && closed && !trailing;
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
            store(fieldStart, fieldEnd, isPlain, escaped);
            if (p < limit && buf[p] == ',') {
                p++;
                continue;
            }
            recordStart = pos;
            recordEnd = p;
            onlyEscaped = nonPlain == 1 && lastEscaped ? lastNonPlain : -1;
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

    /**
     * The common form of a bill record, every field quoted with nothing to unquote
     * ({@code "a","b",…,"z"} and a line end), read with one pass over its bytes: the quotes and line
     * breaks of each eight-byte word are flagged at once and visited in order, so no word is read
     * twice. Anything else — an unquoted or empty field, a doubled quote, characters after a closing
     * quote, a line break inside quotes, the end of the buffer — gives {@link #FALLBACK} and the
     * generic scan reads the record from its start.
     */
    private int scanQuoted(byte[] buf, int pos, int limit) {
        int word = pos;
        if (word + 8 > limit) {
            return FALLBACK;
        }
        long flags = Swar.quoteOrBreakFlags(buf, word);
        flags &= flags - 1; // the opening quote at pos
        int fieldStart = pos + 1;
        int nextOpen = -1; // where the next field's opening quote must be, -1 inside a field
        count = 0;
        recordPlain = true;
        nonPlain = 0;
        onlyEscaped = -1;
        while (true) {
            while (flags == 0) {
                word += 8;
                if (word + 8 > limit) {
                    return FALLBACK;
                }
                flags = Swar.quoteOrBreakFlags(buf, word);
            }
            int at = word + (Long.numberOfTrailingZeros(flags) >>> 3);
            flags &= flags - 1;
            if (nextOpen >= 0) {
                if (at != nextOpen || buf[at] != '"') {
                    return FALLBACK;
                }
                fieldStart = at + 1;
                nextOpen = -1;
                continue;
            }
            if (buf[at] != '"' || at + 2 >= limit) {
                return FALLBACK;
            }
            byte next = buf[at + 1];
            if (next == ',') {
                storePlain(fieldStart, at);
                nextOpen = at + 2;
                continue;
            }
            if (next == '\n' || next == '\r') {
                storePlain(fieldStart, at);
                recordStart = pos;
                recordEnd = at + 1;
                lines = 1;
                return next == '\r' && buf[at + 2] == '\n' ? at + 3 : at + 2;
            }
            return FALLBACK;
        }
    }

    private void grow() {
        starts = Arrays.copyOf(starts, starts.length * 2);
        ends = Arrays.copyOf(ends, ends.length * 2);
        plain = Arrays.copyOf(plain, plain.length * 2);
    }
}
