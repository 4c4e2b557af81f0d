package dev.tally.billing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@link ParquetRecords} decoded on a thread of its own, a batch of rows ahead, so that decoding the columns and
 * allocating the rows share the two cores (as {@link CsvBatches} does for CSV). A batch is decoded column by
 * column straight into its arrays ({@link ParquetRecords#fill}); the consumer sees the same rows, cells, line
 * numbers, dictionary ids and typed values as {@link ParquetRecords} gives row by row. Memory is bounded by the
 * batches in flight; a failure of the decoding thread (a corrupt page) reaches the consumer as the same exception.
 */
final class ParquetBatches implements CsvRecords, AutoCloseable {
    private static final int ROWS_PER_BATCH = 4096;
    private static final int IN_FLIGHT = 4;

    private static final class Batch {
        final ParquetRecords.Rows rows;
        long bytesRead;
        RuntimeException failure;
        IOException ioFailure;
        boolean last;

        Batch(int width) {
            rows = new ParquetRecords.Rows(ROWS_PER_BATCH, width);
        }
    }

    private final ParquetRecords decoder;
    /** The slot of each field in a batch row, or -1 for a column not decoded. */
    private final int[] slot;
    /** The slot of each field whose typed value is an amount, or an instant; else -1. */
    private final int[] amountSlot;
    private final int[] instantSlot;
    private final int width;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final Thread thread;
    private volatile boolean closed;
    private Batch current;
    private ParquetRecords.Rows rows;
    private int row = -1;
    /** {@code row × width}: where the current row's slots start. */
    private int base;
    private boolean ended;

    /** Starts decoding: {@code decoder} has been {@link ParquetRecords#project projected} onto {@code columns}. */
    ParquetBatches(ParquetRecords decoder, int[] columns, String name) {
        this.decoder = decoder;
        this.width = columns.length;
        this.slot = new int[decoder.fieldCount()];
        Arrays.fill(slot, -1);
        this.amountSlot = new int[decoder.fieldCount()];
        this.instantSlot = new int[decoder.fieldCount()];
        Arrays.fill(amountSlot, -1);
        Arrays.fill(instantSlot, -1);
        for (int k = 0; k < columns.length; k++) {
            slot[columns[k]] = k; // fill() writes the projected columns in this order
            if (decoder.hasTypedAmount(columns[k])) {
                amountSlot[columns[k]] = k;
            }
            if (decoder.hasTypedInstant(columns[k])) {
                instantSlot[columns[k]] = k;
            }
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
                b.rows.rows = 0;
                b.failure = null;
                b.ioFailure = null;
                try {
                    more = decoder.fill(b.rows);
                } catch (RuntimeException e) {
                    b.rows.rows = 0;
                    b.failure = e;
                    more = false;
                } catch (IOException e) {
                    b.rows.rows = 0;
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

    /** Bytes of the row groups decoded so far (ahead of the rows handed out by a few batches). */
    long bytesRead() {
        return current == null ? 0 : current.bytesRead;
    }

    @Override
    public boolean next() throws IOException {
        if (ended) {
            return false;
        }
        while (current == null || ++row >= rows.rows) {
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
            rows = current.rows;
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
        base = row * width;
        return true;
    }

    @Override
    public int fieldCount() {
        return decoder.fieldCount();
    }

    @Override
    public long lineNumber() {
        return rows.firstLine + row;
    }

    @Override
    public byte[] buffer() {
        return rows.bytes;
    }

    @Override
    public int start(int field) {
        int k = slot[field];
        return k < 0 ? 0 : rows.start[base + k];
    }

    @Override
    public int end(int field) {
        int k = slot[field];
        return k < 0 ? 0 : rows.end[base + k];
    }

    @Override
    public int dictionaryId(int field) {
        int k = slot[field];
        return k < 0 ? -1 : rows.ids[base + k];
    }

    @Override
    public int dictionaryGeneration() {
        return rows.generation;
    }

    @Override
    public long scaledAmount(int field) {
        int k = amountSlot[field];
        return k < 0 ? ParquetRecords.NO_VALUE : rows.values[base + k];
    }

    @Override
    public long epochMillis(int field) {
        int k = instantSlot[field];
        return k < 0 ? ParquetRecords.NO_VALUE : rows.values[base + k];
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
        return new String(rows.bytes, from, end(field) - from, StandardCharsets.UTF_8);
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
