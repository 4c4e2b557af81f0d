package dev.tally.allocation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An append-only log of records of five {@code long}s, read back in order: in memory while it is small,
 * written to a temporary file as it grows, so what a bill's rows leave for the end of the read costs disk, not
 * heap (a month of host rows is millions of records). The file is deleted when the log is {@link #close closed}
 * (and when the JVM exits).
 */
final class SpillLog implements AutoCloseable {
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /** Records kept in memory before the log starts writing to disk (the property is for tests of the spill). */
    static final String IN_MEMORY_PROPERTY = "tally.split-log.records";

    /** Longs per record. */
    static final int WIDTH = 5;

    private final int limit;
    private long[] buffer;
    private int buffered;
    private long records;
    private Path file;
    private DataOutputStream out;

    SpillLog() {
        this(Integer.getInteger(IN_MEMORY_PROPERTY, 1 << 16));
    }

    SpillLog(int inMemoryRecords) {
        this.limit = inMemoryRecords;
        this.buffer = new long[WIDTH * Math.min(64, inMemoryRecords)];
    }

    long size() {
        return records;
    }

    /** Appends one record of {@link #WIDTH} longs. */
    void append(long a, long b, long c, long d, long e) {
        if (buffered == buffer.length) {
            makeRoom();
        }
        int at = buffered;
        buffer[at] = a;
        buffer[at + 1] = b;
        buffer[at + 2] = c;
        buffer[at + 3] = d;
        buffer[at + 4] = e;
        buffered += WIDTH;
        records++;
    }

    private void makeRoom() {
        if (buffered < limit * WIDTH) {
            long[] grown = new long[Math.max(WIDTH, Math.min(buffer.length * 2, limit * WIDTH))];
            System.arraycopy(buffer, 0, grown, 0, buffered);
            buffer = grown;
            return;
        }
        try {
            if (out == null) {
                file = Files.createTempFile("tally-split-", ".log");
                file.toFile().deleteOnExit();
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                // a log nobody closed (a part encoded and dropped) still leaves no file behind once collected: a
                // warm Lambda container keeps its /tmp
                Path spilled = file;
                DataOutputStream stream = out;
                CLEANER.register(this, () -> {
                    try {
                        stream.close();
                        Files.deleteIfExists(spilled);
                    } catch (IOException ignored) {
                        // deleteOnExit still has it
                    }
                });
            }
            for (int i = 0; i < buffered; i++) {
                out.writeLong(buffer[i]);
            }
            buffered = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the split log to a temporary file", e);
        }
    }

    /** Receives one record; {@code record} is reused, valid during the call only. */
    interface Reader {
        void accept(long index, long[] record);
    }

    /** Reads every record in the order appended. */
    void forEach(Reader reader) {
        long[] record = new long[WIDTH];
        long index = 0;
        if (out != null) {
            try {
                out.flush();
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file),
                        1 << 16))) {
                    while (true) {
                        try {
                            record[0] = in.readLong();
                        } catch (EOFException end) {
                            break;
                        }
                        for (int i = 1; i < WIDTH; i++) {
                            record[i] = in.readLong();
                        }
                        reader.accept(index++, record);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the split log back", e);
            }
        }
        for (int at = 0; at < buffered; at += WIDTH) {
            System.arraycopy(buffer, at, record, 0, WIDTH);
            reader.accept(index++, record);
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary file; deleteOnExit removes it at the latest
        } finally {
            out = null;
            file = null;
            buffer = new long[WIDTH * 64];
            buffered = 0;
            records = 0;
        }
    }
}
