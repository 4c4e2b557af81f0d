package dev.tally.billing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@link ParquetRecords} decoded on a thread of its own, a batch of rows ahead, so that decoding the columns and
 * allocating the rows share the two cores (as {@link CsvBatches} does for CSV). The consumer sees the same rows,
 * cells and line numbers. Memory is bounded by the batches in flight; a failure of the decoding thread (a
 * corrupt page) reaches the consumer as the same exception.
 */
final class ParquetBatches implements CsvRecords, AutoCloseable {
    private static final int ROWS_PER_BATCH = 4096;
    private static final int IN_FLIGHT = 4;

    /** Rows of cells: row r's projected column k is {@code bytes[start[r × width + k], end[r × width + k])}. */
    private static final class Batch {
        byte[] bytes = new byte[1 << 20];
        int used;
        int rows;
        int[] start;
        int[] end;
        int[] ids;
        int[] generation = new int[ROWS_PER_BATCH];
        long firstLine;
        long bytesRead;
        RuntimeException failure;
        IOException ioFailure;
        boolean last;

        Batch(int width) {
            start = new int[ROWS_PER_BATCH * width];
            end = new int[ROWS_PER_BATCH * width];
            ids = new int[ROWS_PER_BATCH * width];
        }
    }

    private final ParquetRecords decoder;
    private final int[] columns;
    /** The slot of each field in a batch row, or -1 for a column not decoded. */
    private final int[] slot;
    private final int width;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final Thread thread;
    private volatile boolean closed;
    private Batch current;
    private int row = -1;
    private boolean ended;

    /** Starts decoding: {@code decoder} has been {@link ParquetRecords#project projected} onto {@code columns}. */
    ParquetBatches(ParquetRecords decoder, int[] columns, String name) {
        this.decoder = decoder;
        this.columns = columns.clone();
        this.width = columns.length;
        this.slot = new int[decoder.fieldCount()];
        Arrays.fill(slot, -1);
        for (int k = 0; k < columns.length; k++) {
            slot[columns[k]] = k;
        }
        for (int i = 0; i < IN_FLIGHT + 1; i++) {
            free.add(new Batch(width));
        }
        thread = new Thread(this::decode, "parquet-decode " + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void decode() {
        try {
            boolean more = true;
            while (more && !closed) {
                Batch b = free.take();
                b.rows = 0;
                b.used = 0;
                b.failure = null;
                b.ioFailure = null;
                b.last = false;
                try {
                    while (b.rows < ROWS_PER_BATCH) {
                        if (!decoder.next()) {
                            more = false;
                            break;
                        }
                        if (b.rows == 0) {
                            b.firstLine = decoder.lineNumber();
                        }
                        copyRow(b);
                    }
                } catch (RuntimeException e) {
                    b.failure = e;
                    more = false;
                } catch (IOException e) {
                    b.ioFailure = e;
                    more = false;
                }
                b.last = !more;
                b.bytesRead = decoder.bytesRead();
                full.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copyRow(Batch b) {
        byte[] from = decoder.buffer();
        int rowStart = Integer.MAX_VALUE;
        int rowEnd = 0;
        for (int column : columns) {
            rowStart = Math.min(rowStart, decoder.start(column));
            rowEnd = Math.max(rowEnd, decoder.end(column));
        }
        if (rowStart > rowEnd) {
            rowStart = rowEnd;
        }
        int length = rowEnd - rowStart;
        if (b.used + length > b.bytes.length) {
            b.bytes = Arrays.copyOf(b.bytes, Math.max(b.bytes.length * 2, b.used + length));
        }
        System.arraycopy(from, rowStart, b.bytes, b.used, length);
        int base = b.rows * width;
        int shift = b.used - rowStart;
        for (int k = 0; k < width; k++) {
            b.start[base + k] = decoder.start(columns[k]) + shift;
            b.end[base + k] = decoder.end(columns[k]) + shift;
            b.ids[base + k] = decoder.dictionaryId(columns[k]);
        }
        b.generation[b.rows] = decoder.dictionaryGeneration();
        b.used += length;
        b.rows++;
    }

    /** Bytes of the row groups decoded so far (ahead of the rows handed out by a few batches). */
    long bytesRead() {
        return current == null ? 0 : current.bytesRead;
    }

    @Override
    public boolean next() throws IOException {
        if (ended) {
            return false;
        }
        while (current == null || ++row >= current.rows) {
            if (current != null) {
                if (current.last) {
                    ended = true;
                    free.offer(current);
                    return false;
                }
                free.offer(current);
            }
            try {
                current = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a Parquet bill");
            }
            row = -1;
            if (current.failure != null) {
                ended = true;
                throw current.failure;
            }
            if (current.ioFailure != null) {
                ended = true;
                throw current.ioFailure;
            }
        }
        return true;
    }

    @Override
    public int fieldCount() {
        return decoder.fieldCount();
    }

    @Override
    public long lineNumber() {
        return current.firstLine + row;
    }

    @Override
    public byte[] buffer() {
        return current.bytes;
    }

    @Override
    public int start(int field) {
        int k = slot[field];
        return k < 0 ? 0 : current.start[row * width + k];
    }

    @Override
    public int end(int field) {
        int k = slot[field];
        return k < 0 ? 0 : current.end[row * width + k];
    }

    @Override
    public int dictionaryId(int field) {
        int k = slot[field];
        return k < 0 ? -1 : current.ids[row * width + k];
    }

    @Override
    public int dictionaryGeneration() {
        return current.generation[row];
    }

    @Override
    public boolean recordIsPlain() {
        return true;
    }

    @Override
    public int onlyEscapedField() {
        return -1;
    }

    @Override
    public String recordText() {
        throw new UnsupportedOperationException("a Parquet row is always plain");
    }

    @Override
    public String text(int field) {
        int from = start(field);
        return new String(current.bytes, from, end(field) - from, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoder.close();
    }
}
