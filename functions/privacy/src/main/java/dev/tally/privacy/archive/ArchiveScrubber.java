package dev.tally.privacy.archive;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Removes the records of some subjects from one JSON-lines object, streaming: every other line is written out
 * byte for byte (same bytes, order and line endings; a last line without a newline stays so), gzip again when
 * the object was gzip (recognised by its first bytes {@code 1f 8b}; any number of members). Not thread-safe:
 * one scrubber per object being read.
 */
public final class ArchiveScrubber {
    /** The longest line held by default; longer ones fail the object with {@link ArchiveFormatException}. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

    /** Where a scrubbed object goes, opened only once something is to be written. */
    public interface Sink {
        OutputStream open() throws IOException;
    }

    private final RecordMatcher.LineMatcher matcher;
    private final int maxLineBytes;

    public ArchiveScrubber(RecordMatcher matcher, SubjectIndex subjects) {
        this(matcher, subjects, DEFAULT_MAX_LINE_BYTES);
    }

    public ArchiveScrubber(RecordMatcher matcher, SubjectIndex subjects, int maxLineBytes) {
        this.matcher = matcher.forSubjects(subjects);
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads the whole object and writes the kept lines to {@code out} (not closed; a gzip trailer is written). */
    public ScrubResult scrub(InputStream in, OutputStream out) throws IOException {
        return run(in, () -> out, Output.EAGER, false);
    }

    /**
     * Reads the object and writes to the sink only if a record is removed: the kept lines before the first
     * removal are held in memory up to {@code prefixLimit} bytes (uncompressed). When a removal comes after
     * more than that, the scrubber stops there and answers {@link ScrubResult#rewriteNeeded()}: the caller reads
     * the object again with {@link #scrub}. The sink's stream is closed when the result is written.
     */
    public ScrubResult scrubIfChanged(InputStream in, Sink sink, long prefixLimit) throws IOException {
        return run(in, sink, Math.max(0, prefixLimit), true);
    }

    /** Reads the object to its end and writes nothing: which subjects' records it holds (an old version). */
    public ScrubResult scan(InputStream in) throws IOException {
        return run(in, OutputStream::nullOutputStream, Output.DISCARD, false);
    }

    private ScrubResult run(InputStream raw, Sink sink, long prefixLimit, boolean closeSink) throws IOException {
        Counting counted = new Counting(raw);
        PushbackInputStream in = new PushbackInputStream(counted, 2);
        boolean gzip = isGzip(in);
        InputStream content = gzip ? new GzipMembersInputStream(in) : in;
        LineReader lines = new LineReader(content, maxLineBytes);
        Output output = new Output(sink, gzip, prefixLimit, closeSink);
        long lineCount = 0;
        long removed = 0;
        long unparseable = 0;
        Map<String, Long> byGroup = new HashMap<>();
        boolean complete = true;
        try {
            while (lines.next()) {
                lineCount++;
                RecordMatcher.LineMatch match = matcher.match(lines.buffer(), lines.offset(), lines.contentLength());
                if (match.matched()) {
                    removed++;
                    match.groups().forEach(g -> byGroup.merge(g, 1L, Long::sum));
                    if (!output.removal()) {
                        complete = false;
                        break;
                    }
                } else {
                    if (match.kind() == RecordMatcher.Kind.UNPARSEABLE) {
                        unparseable++;
                    }
                    output.keep(lines.buffer(), lines.offset(), lines.length());
                }
            }
        } catch (IOException | RuntimeException e) {
            output.abort();
            throw e;
        }
        boolean written = output.finish(removed > 0 && complete);
        return new ScrubResult(gzip, counted.count, lineCount, removed, byGroup, unparseable, written, complete);
    }

    private static boolean isGzip(PushbackInputStream in) throws IOException {
        byte[] magic = new byte[2];
        int n = in.readNBytes(magic, 0, 2);
        in.unread(magic, 0, n);
        return n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    }

    /**
     * The output side: eager (the sink open from the start), lazy (kept lines held up to a limit until the first
     * removal, or dropped once over it: then a removal can no longer be written), or discarding (a scan).
     */
    private static final class Output {
        static final long EAGER = -1;
        static final long DISCARD = -2;

        private final Sink sink;
        private final boolean gzip;
        private final long prefixLimit;
        private final boolean closeSink;
        private ByteArrayOutputStream prefix;
        private OutputStream target;
        private OutputStream opened;
        private boolean overflowed;

        Output(Sink sink, boolean gzip, long prefixLimit, boolean closeSink) throws IOException {
            this.sink = sink;
            this.gzip = gzip;
            this.prefixLimit = prefixLimit;
            this.closeSink = closeSink;
            if (prefixLimit == EAGER) {
                open();
            } else if (prefixLimit >= 0) {
                prefix = new ByteArrayOutputStream();
            }
        }

        void keep(byte[] b, int off, int len) throws IOException {
            if (target != null) {
                target.write(b, off, len);
            } else if (prefix != null) {
                if (prefix.size() + (long) len > prefixLimit) {
                    overflowed = true;
                    prefix = null;
                } else {
                    prefix.write(b, off, len);
                }
            }
        }

        /** A record is removed; false if the output can no longer be written (the prefix was dropped). */
        boolean removal() throws IOException {
            if (target != null || prefixLimit == DISCARD) {
                return true;
            }
            if (overflowed) {
                return false;
            }
            open();
            prefix.writeTo(target);
            prefix = null;
            return true;
        }

        private void open() throws IOException {
            opened = sink.open();
            target = gzip ? new Gzip(opened) : opened;
        }

        /** Ends the output; whether it holds the whole scrubbed object. */
        boolean finish(boolean changedAndComplete) throws IOException {
            if (target == null) {
                return false;
            }
            if (target instanceof Gzip zip) {
                zip.finish();
                zip.release();
            }
            target.flush();
            if (closeSink) {
                opened.close();
            }
            return changedAndComplete;
        }

        void abort() {
            if (target instanceof Gzip zip) {
                zip.release();
            }
            if (closeSink && opened != null) {
                try {
                    opened.close();
                } catch (IOException ignored) {
                    // the scrub failed already; that failure is the one to report
                }
            }
        }
    }

    /** gzip output whose deflater is freed without closing the stream under it (the caller's). */
    private static final class Gzip extends GZIPOutputStream {
        Gzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
        }

        void release() {
            def.end();
        }
    }

    /** Counts the bytes read from the object as stored. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
