package dev.tally.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    private static final de.siegmar.fastcsv.reader.CsvReader.CsvReaderBuilder HEADER = de.siegmar.fastcsv.reader.CsvReader
            .builder().allowExtraFields(true).allowMissingFields(true).allowUnclosedQuote(true)
            .allowExtraCharsAfterClosingQuote(true);

    /** Which columns to keep, chosen from the header (on the reading thread). */
    interface Projection {
        /** The columns to keep, or null for all of them; a failure means all of them too. */
        int[] columns(List<String> header);
    }

    /**
     * A batch of complete records; reused once the consumer is done with it. Without a projection a
     * record's fields are {@code fieldStart/End[firstField[r] .. firstField[r + 1])}; with one, its kept
     * fields are {@code fieldStart/End[r × width + slot]}.
     */
    private static final class Batch {
        byte[] bytes;
        int records;
        int width;
        int[] firstField = new int[1 << 14];
        int[] count = new int[1 << 14];
        long[] line = new long[1 << 14];
        int[] recordStart = new int[1 << 14];
        int[] recordEnd = new int[1 << 14];
        boolean[] recordPlain = new boolean[1 << 14];
        int[] onlyEscaped = new int[1 << 14];
        int fields;
        int[] fieldStart = new int[1 << 18];
        int[] fieldEnd = new int[1 << 18];
        IOException failure;
        boolean end;

        Batch(int size) {
            bytes = new byte[size];
        }

        /** Makes room for one more record and, with a projection, points the tokenizer at its slots. */
        void prepare(CsvTokenizer t) {
            if (records + 1 >= firstField.length) {
                int size = firstField.length * 2;
                firstField = Arrays.copyOf(firstField, size);
                count = Arrays.copyOf(count, size);
                line = Arrays.copyOf(line, size);
                recordStart = Arrays.copyOf(recordStart, size);
                recordEnd = Arrays.copyOf(recordEnd, size);
                recordPlain = Arrays.copyOf(recordPlain, size);
                onlyEscaped = Arrays.copyOf(onlyEscaped, size);
            }
            if (width > 0) {
                int need = (records + 1) * width;
                if (need > fieldStart.length) {
                    fieldStart = Arrays.copyOf(fieldStart, Math.max(fieldStart.length * 2, need));
                    fieldEnd = Arrays.copyOf(fieldEnd, fieldStart.length);
                }
                t.into(fieldStart, fieldEnd, records * width);
            }
        }

        void addRecord(CsvTokenizer t, long lineNumber) {
            if (width == 0) {
                if (fields + t.count > fieldStart.length) {
                    int size = Math.max(fieldStart.length * 2, fields + t.count);
                    fieldStart = Arrays.copyOf(fieldStart, size);
                    fieldEnd = Arrays.copyOf(fieldEnd, size);
                }
                firstField[records] = fields;
                System.arraycopy(t.starts, 0, fieldStart, fields, t.count);
                System.arraycopy(t.ends, 0, fieldEnd, fields, t.count);
                fields += t.count;
                firstField[records + 1] = fields;
            }
            count[records] = t.count;
            line[records] = lineNumber;
            recordStart[records] = t.recordStart;
            recordEnd[records] = t.recordEnd;
            recordPlain[records] = t.recordPlain;
            onlyEscaped[records] = t.onlyEscaped;
            records++;
        }
    }

    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(IN_FLIGHT + 2);
    private final Thread reader;
    private Batch current;
    private int record = -1;
    private boolean finished;

    // with a projection: the slot of each column (-1 if not kept) and the number of kept columns
    private volatile int[] slotOf;
    private volatile int width;
    /** The current record's fields, all of them, when a column that was not kept is asked for. */
    private final CsvTokenizer whole = new CsvTokenizer();
    private Batch wholeBatch;
    private int wholeRecord = -1;

    CsvBatches(InputStream source, Projection projection) {
        this(source, BATCH_BYTES, projection);
    }

    /**
     * @param batchBytes bytes read per batch (small in tests, so records straddle batches)
     * @param projection the columns to keep after the header, or null to keep every field
     */
    CsvBatches(InputStream source, int batchBytes, Projection projection) {
        for (int i = 0; i < IN_FLIGHT; i++) {
            free.add(new Batch(batchBytes));
        }
        reader = new Thread(() -> produce(source, projection), "bill-tokenize");
        reader.setDaemon(true);
        reader.start();
    }

    // ---- the reading thread ---------------------------------------------------------------------------

    private void produce(InputStream source, Projection projection) {
        CsvTokenizer tokens = new CsvTokenizer();
        boolean header = projection != null;
        int batchWidth = 0;
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
                batch.width = batchWidth;
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
                    batch.prepare(tokens);
                    int next = tokens.scan(batch.bytes, pos, limit, eof);
                    if (next < 0) {
                        break;
                    }
                    batch.addRecord(tokens, line);
                    line += tokens.lines;
                    pos = next;
                    if (header) {
                        // the header goes alone in its batch; the next batches keep the chosen columns
                        header = false;
                        batchWidth = project(tokens, batch, projection);
                        break;
                    }
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

    /** Sets the tokenizer's projection from the header record; returns the number of kept columns. */
    private int project(CsvTokenizer tokens, Batch batch, Projection projection) {
        List<String> names;
        if (tokens.recordPlain) {
            names = new ArrayList<>(tokens.count);
            for (int i = 0; i < tokens.count; i++) {
                names.add(new String(batch.bytes, tokens.starts[i], tokens.ends[i] - tokens.starts[i],
                        StandardCharsets.UTF_8));
            }
        } else {
            names = HEADER.ofSingleCsvRecord(new String(batch.bytes, tokens.recordStart,
                    tokens.recordEnd - tokens.recordStart, StandardCharsets.UTF_8)).getFields();
        }
        int[] columns;
        try {
            columns = projection.columns(names);
        } catch (RuntimeException e) {
            columns = null; // the consumer reads the header itself and reports what is wrong with it
        }
        if (columns == null || columns.length == 0) {
            return 0;
        }
        int[] slots = new int[names.size()];
        Arrays.fill(slots, -1);
        int kept = 0;
        for (int column : columns) {
            if (column >= 0 && column < slots.length && slots[column] < 0) {
                slots[column] = kept++;
            }
        }
        if (kept == 0) {
            return 0;
        }
        width = kept;
        slotOf = slots;
        tokens.project(slots);
        return kept;
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
        return current.count[record];
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
        int at = kept(field);
        return at >= 0 ? current.fieldStart[at] : whole().starts[field];
    }

    @Override
    public int end(int field) {
        int at = kept(field);
        return at >= 0 ? current.fieldEnd[at] : whole().ends[field];
    }

    /** Where a field of the current record lies in its batch's offsets, or -1 if it was not kept. */
    private int kept(int field) {
        Batch b = current;
        if (b.width == 0) {
            return b.firstField[record] + field;
        }
        int[] slots = slotOf;
        int slot = field < slots.length ? slots[field] : -1;
        return slot >= 0 ? record * b.width + slot : -1;
    }

    /** All fields of the current record, tokenised again from its bytes (for a column not kept). */
    private CsvTokenizer whole() {
        if (wholeBatch != current || wholeRecord != record) {
            whole.scan(current.bytes, current.recordStart[record], current.recordEnd[record], true);
            wholeBatch = current;
            wholeRecord = record;
        }
        return whole;
    }

    @Override
    public boolean recordIsPlain() {
        return current.recordPlain[record];
    }

    @Override
    public int onlyEscapedField() {
        return current.onlyEscaped[record];
    }

    @Override
    public String recordText() {
        return new String(current.bytes, current.recordStart[record],
                current.recordEnd[record] - current.recordStart[record], StandardCharsets.UTF_8);
    }

    @Override
    public String text(int field) {
        if (kept(field) < 0 && current.width > 0 && !whole().plain[field]) {
            // a field that was not kept and is not plain: its value as the library reads the record
            return HEADER.ofSingleCsvRecord(recordText()).getField(field);
        }
        int start = start(field);
        return new String(current.bytes, start, end(field) - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
