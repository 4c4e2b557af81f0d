package dev.tally.privacy.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines without decoding it: each line is its bytes up to and including its {@code \n}
 * (so {@code \r\n} stays {@code \r\n}), and a last line without one is just its bytes. Writing every line back
 * reproduces the stream exactly. A line longer than the limit fails with {@link ArchiveFormatException}, rather
 * than holding an unbounded line in memory.
 */
final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private int lineStart;
    private int lineEnd;
    private int scanned;
    private boolean eof;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        while (true) {
            for (int i = Math.max(start, scanned); i < end; i++) {
                if (buffer[i] == '\n') {
                    return take(i + 1);
                }
            }
            scanned = end;
            if (eof) {
                return start < end && take(end);
            }
            fill();
        }
    }

    private boolean take(int to) throws IOException {
        lineStart = start;
        lineEnd = to;
        start = to;
        scanned = to;
        if (lineEnd - lineStart > maxLineBytes) {
            throw new ArchiveFormatException("a line is longer than " + maxLineBytes + " bytes");
        }
        return true;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
        }
        if (end == buffer.length) {
            if (buffer.length > maxLineBytes) {
                throw new ArchiveFormatException("a line is longer than " + maxLineBytes + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, (long) maxLineBytes + 1));
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    byte[] buffer() {
        return buffer;
    }

    int offset() {
        return lineStart;
    }

    /** The line's bytes with its terminator. */
    int length() {
        return lineEnd - lineStart;
    }

    /** The line's bytes without {@code \n} or {@code \r\n}. */
    int contentLength() {
        int n = lineEnd - lineStart;
        if (n > 0 && buffer[lineEnd - 1] == '\n') {
            n--;
            if (n > 0 && buffer[lineStart + n - 1] == '\r') {
                n--;
            }
        }
        return n;
    }
}
