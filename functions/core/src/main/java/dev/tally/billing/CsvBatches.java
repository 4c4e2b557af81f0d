package dev.tally.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and tokenises a CSV stream on a thread of its own: decompression and finding records and
 * fields happen there, and the consumer receives whole batches of records (a few megabytes of bytes
 * with their field offsets), so both cores work on a bill at once. Memory is bounded by the batches
 * in flight, whatever the file's size. A failure of the reading thread (a truncated archive) reaches
 * the consumer as the same {@link IOException}.
 */
final class CsvBatches implements CsvRecords, AutoCloseable {
    private static final int BATCH_BYTES = 4 << 20;
    private static final int IN_FLIGHT = 4;

    /** A batch of complete records; reused once the consumer is done with it. */
    private static final class Batch {
        byte[] bytes;
        int records;
        int[] firstField = new int[1 << 14];
        long[] line = new long[1 << 14];
        int[] recordStart = new int[1 << 14];
        int[] recordEnd = new int[1 << 14];
        boolean[] recordPlain = new boolean[1 << 14];
        int fields;
        int[] fieldStart = new int[1 << 18];
        int[] fieldEnd = new int[1 << 18];
        IOException failure;
        boolean end;

        Batch(int size) {
            bytes = new byte[size];
        }

        void addRecord(CsvTokenizer t, long lineNumber) {
            if (records + 1 >= firstField.length) {
                int size = firstField.length * 2;
                firstField = Arrays.copyOf(firstField, size);
                line = Arrays.copyOf(line, size);
                recordStart = Arrays.copyOf(recordStart, size);
                recordEnd = Arrays.copyOf(recordEnd, size);
                recordPlain = Arrays.copyOf(recordPlain, size);
            }
            if (fields + t.count > fieldStart.length) {
                int size = Math.max(fieldStart.length * 2, fields + t.count);
                fieldStart = Arrays.copyOf(fieldStart, size);
                fieldEnd = Arrays.copyOf(fieldEnd, size);
            }
            firstField[records] = fields;
            line[records] = lineNumber;
            recordStart[records] = t.recordStart;
            recordEnd[records] = t.recordEnd;
            boolean plain = true;
            for (int i = 0; i < t.count; i++) {
                fieldStart[fields] = t.starts[i];
                fieldEnd[fields] = t.ends[i];
                plain &= t.plain[i];
                fields++;
            }
            recordPlain[records] = plain;
            records++;
            firstField[records] = fields;
        }
    }

    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(IN_FLIGHT + 2);
    private final Thread reader;
    private Batch current;
    private int record = -1;
    private boolean finished;

    CsvBatches(InputStream source) {
        this(source, BATCH_BYTES);
    }

    /** @param batchBytes bytes read per batch (small in tests, so records straddle batches) */
    CsvBatches(InputStream source, int batchBytes) {
        for (int i = 0; i < IN_FLIGHT; i++) {
            free.add(new Batch(batchBytes));
        }
        reader = new Thread(() -> produce(source), "bill-tokenize");
        reader.setDaemon(true);
        reader.start();
    }

    // ---- the reading thread ---------------------------------------------------------------------------

    private void produce(InputStream source) {
        CsvTokenizer tokens = new CsvTokenizer();
        byte[] carry = new byte[0];
        int carried = 0;
        long line = 1;
        boolean first = true;
        try {
            while (true) {
                Batch batch = free.take();
                batch.records = 0;
                batch.fields = 0;
                batch.firstField[0] = 0;
                if (batch.bytes.length < Math.max(carried * 2, 3)) {
                    batch.bytes = new byte[Math.max(carried * 2, 3)]; // room to see a byte-order mark too
                }
                System.arraycopy(carry, 0, batch.bytes, 0, carried);
                int want = batch.bytes.length - carried;
                int got = source.readNBytes(batch.bytes, carried, want);
                int limit = carried + got;
                boolean eof = got < want;
                int pos = 0;
                if (first) {
                    first = false;
                    if (limit >= 3 && (batch.bytes[0] & 0xff) == 0xEF && (batch.bytes[1] & 0xff) == 0xBB
                            && (batch.bytes[2] & 0xff) == 0xBF) {
                        pos = 3;
                    }
                }
                while (true) {
                    int p = tokens.skipEmptyLines(batch.bytes, pos, limit, eof);
                    if (p < 0) {
                        break;
                    }
                    line += tokens.lines;
                    pos = p;
                    if (pos >= limit) {
                        break;
                    }
                    int next = tokens.scan(batch.bytes, pos, limit, eof);
                    if (next < 0) {
                        break;
                    }
                    batch.addRecord(tokens, line);
                    line += tokens.lines;
                    pos = next;
                }
                carried = limit - pos;
                if (carry.length < carried) {
                    carry = new byte[Math.max(carried, carry.length * 2)];
                }
                System.arraycopy(batch.bytes, pos, carry, 0, carried);
                batch.end = eof && carried == 0;
                full.put(batch);
                if (batch.end) {
                    return;
                }
            }
        } catch (IOException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(new IOException(e.getMessage(), e));
        }
    }

    private void fail(IOException e) {
        Batch failure = new Batch(0);
        failure.failure = e;
        try {
            full.put(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the consumer ------------------------------------------------------------------------------------

    @Override
    public boolean next() throws IOException {
        while (true) {
            if (current != null && record + 1 < current.records) {
                record++;
                return true;
            }
            if (finished) {
                return false;
            }
            if (current != null) {
                if (current.end) {
                    finished = true;
                    return false;
                }
                free.offer(current);
            }
            try {
                current = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the bill");
            }
            record = -1;
            if (current.failure != null) {
                finished = true;
                throw current.failure;
            }
        }
    }

    @Override
    public int fieldCount() {
        return current.firstField[record + 1] - current.firstField[record];
    }

    @Override
    public long lineNumber() {
        return current.line[record];
    }

    @Override
    public byte[] buffer() {
        return current.bytes;
    }

    @Override
    public int start(int field) {
        return current.fieldStart[current.firstField[record] + field];
    }

    @Override
    public int end(int field) {
        return current.fieldEnd[current.firstField[record] + field];
    }

    @Override
    public boolean recordIsPlain() {
        return current.recordPlain[record];
    }

    @Override
    public String recordText() {
        return new String(current.bytes, current.recordStart[record],
                current.recordEnd[record] - current.recordStart[record], StandardCharsets.UTF_8);
    }

    @Override
    public String text(int field) {
        int start = start(field);
        return new String(current.bytes, start, end(field) - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
