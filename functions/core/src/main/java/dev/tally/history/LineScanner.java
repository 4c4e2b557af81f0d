package dev.tally.history;

import dev.tally.bytes.Swar;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines the way {@link java.io.BufferedReader#readLine()} does (a line ends
 * at LF, CR or CRLF) without decoding them, so a line can be parsed straight from the bytes.
 */
final class LineScanner {
    /** Receives one line: {@code bytes[from, to)}. */
    interface LineHandler {
        void line(byte[] bytes, int from, int to) throws IOException;
    }

    /**
     * Reads a line in the same pass that finds its end: given the bytes from the line's start, it either
     * takes the line whole and returns where it ends (the index of its CR or LF, or {@code limit} when
     * that is the end of the input), or returns -1 having done nothing.
     */
    interface WholeLine {
        int line(byte[] bytes, int from, int limit, boolean endOfInput);
    }

    private final InputStream in;
    private byte[] buffer = new byte[1 << 20];
    private int start;
    private int end;
    private boolean eof;
    private long consumed;

    LineScanner(InputStream in) {
        this.in = in;
    }

    /** Bytes consumed so far (line terminators included). */
    long consumed() {
        return consumed;
    }

    /**
     * Hands the next line to {@code handler}.
     *
     * @return false at the end of the stream
     */
    boolean next(LineHandler handler) throws IOException {
        return next(null, handler);
    }

    /**
     * Hands the next line to {@code whole} first and, if it does not take it, to {@code handler}.
     *
     * @return false at the end of the stream
     */
    boolean next(WholeLine whole, LineHandler handler) throws IOException {
        if (whole != null && start < end) {
            // a terminator in the last byte may be a CR before a LF still to come: leave that to the slow way
            int limit = eof ? end : end - 1;
            int i = whole.line(buffer, start, limit, eof);
            if (i >= 0) {
                int next = i == end ? end
                        : (buffer[i] == '\r' && i + 1 < end && buffer[i + 1] == '\n') ? i + 2 : i + 1;
                consumed += next - start;
                start = next;
                return true;
            }
        }
        int scan = start;
        while (true) {
            int i = Swar.lineEnd(buffer, scan, end);
            if (i < end) {
                byte b = buffer[i];
                if (b == '\r' && i + 1 == end && !eof) {
                    scan = i; // is it CR or CRLF? read on to see
                } else {
                    int lineStart = start;
                    int next = (b == '\r' && i + 1 < end && buffer[i + 1] == '\n') ? i + 2 : i + 1;
                    consumed += next - start;
                    start = next;
                    handler.line(buffer, lineStart, i);
                    return true;
                }
            } else {
                scan = end;
            }
            if (eof) {
                if (start == end) {
                    return false;
                }
                int lineStart = start;
                consumed += end - start;
                start = end;
                handler.line(buffer, lineStart, end);
                return true;
            }
            scan = fill(scan);
        }
    }

    /** Makes room and reads more; returns where scanning resumes. */
    private int fill(int scan) throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            scan -= start;
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
        return scan;
    }

    /** Whether a line is blank as {@link String#isBlank()} sees ASCII whitespace. */
    static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != 0x0B && b != '\f' && (b < 0x1C || b > 0x1F)) {
                return false;
            }
        }
        return true;
    }
}
