package dev.tally.billing;

import dev.tally.money.ScaledMoney;
import dev.tally.money.ShortestDecimal;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet bill part read as the records of a CSV of the same bill, so that both engines — and the one
 * classification pass they share ({@link BillScan}) — read it with the code they read CSV with: each row's cells
 * are the text the same bill's CSV writes. Only the columns the allocation uses are decoded (the projection the
 * {@link BillLayout} found by name in the schema's top-level columns); the file is read one row group at a time
 * through the low-level column API of parquet-java (no record assembly, no Hadoop file system), so memory follows
 * the row group, not the file (docs/parquet.md).
 *
 * <p>The cells: a string as it is; a {@code DOUBLE} (AWS's costs) as its shortest decimal
 * ({@link ShortestDecimal}, never through binary arithmetic); a {@code TIMESTAMP} ({@code INT64} millis, micros or
 * nanos, or {@code INT96}) or {@code DATE} as ISO-8601 UTC text to the millisecond; a {@code DECIMAL} plainly;
 * a {@code MAP<string,string>} (tags) as a JSON object of the entries the lookup asks for; a null as an empty
 * cell. A row's line number is the one it would have in the CSV (header on line 1). Values are text here, but a
 * column's repeated values — dictionary entries, equal times and amounts — are turned into text once.
 */
final class ParquetRecords implements CsvRecords, AutoCloseable {
    private static final int JULIAN_EPOCH_DAY = 2_440_588;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** No typed value: {@link ScaledMoney#NOT_FAST} and {@link FastInstants#NOT_FAST} alike. */
    static final long NO_VALUE = Long.MIN_VALUE;

    private final String file;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final List<String> header = new ArrayList<>();
    private final String createdBy;
    private final org.apache.parquet.VersionParser.ParsedVersion writerVersion;
    private Cell[] cells = new Cell[0];
    private int[] start;
    private int[] end;
    /** The current row's dictionary id per field (text columns on dictionary pages), else -1. */
    private int[] ids;
    /** The current row's typed value per field ({@link #scaledAmount}, {@link #epochMillis}), else {@link #NO_VALUE}. */
    private long[] values;
    private byte[] buffer = new byte[4096];
    private long rowsLeft;
    private long line = 1;
    private long bytesRead;

    private ParquetRecords(String file, ParquetFileReader reader) {
        this.file = file;
        this.reader = reader;
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        this.createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
        this.writerVersion = ParquetColumn.writerVersion(createdBy);
        for (Type field : schema.getFields()) {
            header.add(field.getName());
        }
        this.start = new int[header.size()];
        this.end = new int[header.size()];
        this.ids = new int[header.size()];
        java.util.Arrays.fill(ids, -1);
        this.values = new long[header.size()];
        java.util.Arrays.fill(values, NO_VALUE);
        this.typedAmount = new boolean[header.size()];
        this.typedInstant = new boolean[header.size()];
    }

    /**
     * Opens a part and reads its footer.
     *
     * @throws BillFileException if it cannot be read or is not a whole Parquet file
     */
    static ParquetRecords open(BillPart part) {
        long size = part.size();
        if (size < 0) {
            throw new BillFileException(part.name(), "is Parquet, but its size is unknown (needed to find the footer)");
        }
        try {
            ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
            return new ParquetRecords(part.name(), ParquetFileReader.open(new PartFile(part, size), options));
        } catch (BillFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BillFileException(part.name(), "is not a readable Parquet file (" + e.getMessage() + ")", e);
        }
    }

    /** The top-level column names, in schema order: the header {@link BillLayout#detect} finds columns in. */
    List<String> header() {
        return header;
    }

    /**
     * Decodes only these columns from now on (the others' cells stay empty, and are never read).
     *
     * @param layout the bill's layout, for the map keys its lookups ask for
     * @throws BillFileException naming a column whose Parquet type Tally does not read
     */
    void project(int[] columns, BillLayout layout) {
        List<Type> fields = new ArrayList<>();
        List<Cell> chosen = new ArrayList<>();
        for (int column : columns) {
            Type type = schema.getType(column);
            String[] keys = column == layout.tagMap ? layout.tagMapKeys
                    : column == layout.productMap ? new String[] {"product_name"} : null;
            chosen.add(cell(column, type, keys));
            fields.add(type);
        }
        for (Cell cell : chosen) {
            typedAmount[cell.column] = cell instanceof DoubleCell;
            typedInstant[cell.column] = cell instanceof TimestampCell || cell instanceof Int96Cell
                    || (cell instanceof IntegerCell integer && integer.date);
        }
        MessageType projection = new MessageType(schema.getName(), fields);
        reader.setRequestedSchema(projection);
        this.projection = projection;
        this.cells = chosen.toArray(new Cell[0]);
    }

    private MessageType projection;
    /** Fields whose typed value is an amount ({@code DOUBLE}), and those whose typed value is an instant. */
    private final boolean[] typedAmount;
    private final boolean[] typedInstant;

    /** Whether {@link #scaledAmount} can give the field's value (else it always gives {@link #NO_VALUE}). */
    boolean hasTypedAmount(int field) {
        return typedAmount[field];
    }

    /** Whether {@link #epochMillis} can give the field's value (else it always gives {@link #NO_VALUE}). */
    boolean hasTypedInstant(int field) {
        return typedInstant[field];
    }

    private Cell cell(int column, Type type, String[] keys) {
        String name = type.getName();
        if (type.isPrimitive()) {
            return leafCell(column, type.asPrimitiveType(), new String[] {name});
        }
        GroupType group = type.asGroupType();
        LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
        boolean map = logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
        if (map && group.getFieldCount() == 1 && !group.getType(0).isPrimitive()) {
            GroupType entry = group.getType(0).asGroupType();
            if (entry.isRepetition(Type.Repetition.REPEATED) && entry.getFieldCount() == 2
                    && isText(entry.getType(0)) && isText(entry.getType(1))) {
                return new MapCell(column, new String[] {name, entry.getName(), entry.getType(0).getName()},
                        new String[] {name, entry.getName(), entry.getType(1).getName()}, keys);
            }
        }
        throw unreadable(name, type);
    }

    private static boolean isText(Type type) {
        return type.isPrimitive() && type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                && !type.isRepetition(Type.Repetition.REPEATED);
    }

    private BillFileException unreadable(String name, Type type) {
        return new BillFileException(file, "column " + name + " has a Parquet type Tally does not read ("
                + type.toString().trim().replaceAll("\\s+", " ") + ")");
    }

    private Cell leafCell(int column, PrimitiveType type, String[] path) {
        if (type.isRepetition(Type.Repetition.REPEATED)) {
            throw unreadable(path[0], type);
        }
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
            return new DecimalCell(column, path, decimal.getScale(), type.getPrimitiveTypeName());
        }
        switch (type.getPrimitiveTypeName()) {
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
                return new TextCell(column, path);
            case DOUBLE:
                return new DoubleCell(column, path);
            case FLOAT:
                return new FloatCell(column, path);
            case INT96:
                return new Int96Cell(column, path);
            case BOOLEAN:
                return new BooleanCell(column, path);
            case INT64:
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp) {
                    return new TimestampCell(column, path, switch (timestamp.getUnit()) {
                        case MILLIS -> 1;
                        case MICROS -> 1_000;
                        case NANOS -> 1_000_000;
                    });
                }
                return new IntegerCell(column, path, false);
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return new IntegerCell(column, path, true);
                }
                return new IntegerCell(column, path, false);
            default:
                throw unreadable(path[0], type);
        }
    }

    /** Bytes of the row groups read so far, compressed as stored (for progress). */
    long bytesRead() {
        return bytesRead;
    }

    @Override
    public boolean next() throws IOException {
        try {
            while (rowsLeft == 0) {
                if (!nextRowGroup()) {
                    return false;
                }
            }
            rowsLeft--;
            line++;
            int at = 0;
            for (Cell cell : cells) {
                start[cell.column] = at;
                at = cell.write(at);
                end[cell.column] = at;
            }
            return true;
        } catch (ParquetDecodingException | IllegalArgumentException | IllegalStateException e) {
            throw new BillFileException(file, "Parquet data is corrupt (" + e.getMessage() + ")", e);
        }
    }

    private int groupIndex;

    /**
     * Rows of cells decoded column by column (for {@link ParquetBatches}): row r's projected column k is
     * {@code bytes[start[r × width + k], end[r × width + k])}, with its dictionary id and typed value beside it.
     * A fill never spans row groups, so one {@link #generation} holds for all its rows.
     */
    static final class Rows {
        final int capacity;
        final int width;
        byte[] bytes = new byte[1 << 20];
        int rows;
        final int[] start;
        final int[] end;
        final int[] ids;
        final long[] values;
        long firstLine;
        int generation;

        Rows(int capacity, int width) {
            this.capacity = capacity;
            this.width = width;
            start = new int[capacity * width];
            end = new int[capacity * width];
            ids = new int[capacity * width];
            values = new long[capacity * width];
        }
    }

    /**
     * Decodes the next rows, up to {@code into.capacity} and never past the row group, column by column
     * straight into {@code into} (its cells are those {@link #next} would give, row by row). The row-at-a-time
     * view ({@link #start}, {@link #text}, …) is not kept up to date by it.
     *
     * @return false at the end of the file
     */
    boolean fill(Rows into) throws IOException {
        try {
            while (rowsLeft == 0) {
                if (!nextRowGroup()) {
                    into.rows = 0;
                    return false;
                }
            }
            int n = (int) Math.min(rowsLeft, into.capacity);
            byte[] own = buffer;
            buffer = into.bytes; // the cells write here (ensure() may grow it)
            int at = 0;
            try {
                for (int k = 0; k < cells.length; k++) {
                    at = cells[k].writeColumn(n, into, k, at);
                }
            } finally {
                into.bytes = buffer;
                buffer = own;
            }
            into.rows = n;
            into.firstLine = line + 1;
            into.generation = groupIndex;
            rowsLeft -= n;
            line += n;
            return true;
        } catch (ParquetDecodingException | IllegalArgumentException | IllegalStateException e) {
            throw new BillFileException(file, "Parquet data is corrupt (" + e.getMessage() + ")", e);
        }
    }

    /** The field's cost in 10<sup>-10</sup> units: what {@link ScaledMoney#parse} gives for its cell, or {@link #NO_VALUE}. */
    @Override
    public long scaledAmount(int field) {
        return typedAmount[field] ? values[field] : NO_VALUE;
    }

    /** The field's instant in epoch millis: what {@link FastInstants#parse} gives for its cell, or {@link #NO_VALUE}. */
    @Override
    public long epochMillis(int field) {
        return typedInstant[field] ? values[field] : NO_VALUE;
    }

    private boolean nextRowGroup() throws IOException {
        if (projection == null) {
            throw new IllegalStateException("project() first");
        }
        PageReadStore pages = reader.readNextRowGroup();
        if (pages == null) {
            return false;
        }
        List<BlockMetaData> groups = reader.getRowGroups();
        if (groupIndex < groups.size()) {
            bytesRead += groups.get(groupIndex).getCompressedSize();
        }
        groupIndex++;
        for (Cell cell : cells) {
            cell.rowGroup(pages);
        }
        rowsLeft = pages.getRowCount();
        return true;
    }

    @Override
    public int fieldCount() {
        return header.size();
    }

    @Override
    public long lineNumber() {
        return line;
    }

    @Override
    public byte[] buffer() {
        return buffer;
    }

    @Override
    public int start(int field) {
        return start[field];
    }

    @Override
    public int end(int field) {
        return end[field];
    }

    @Override
    public boolean recordIsPlain() {
        return true; // every cell's bytes are its value: nothing is quoted
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
        return new String(buffer, start[field], end[field] - start[field], StandardCharsets.UTF_8);
    }

    @Override
    public int dictionaryId(int field) {
        return ids[field];
    }

    @Override
    public int dictionaryGeneration() {
        return groupIndex;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
        }
    }

    // ---- cells ---------------------------------------------------------------------------------

    /** One projected column: writes the current row's cell text and moves on to the next row. */
    private abstract class Cell {
        final int column;

        Cell(int column) {
            this.column = column;
        }

        abstract void rowGroup(PageReadStore pages);

        abstract int write(int at);

        /** Writes this column's cells of the next {@code n} rows into slot {@code k} of {@code into}'s rows. */
        int writeColumn(int n, Rows into, int k, int at) {
            int width = into.width;
            int[] starts = into.start;
            int[] ends = into.end;
            int[] dictionaryIds = into.ids;
            long[] typed = into.values;
            for (int r = 0, i = k; r < n; r++, i += width) {
                starts[i] = at;
                at = write(at);
                ends[i] = at;
                dictionaryIds[i] = ids[column];
                typed[i] = values[column];
            }
            return at;
        }
    }

    /** A column with one value (or null) per row. */
    private abstract class LeafCell extends Cell {
        private final ColumnDescriptor descriptor;
        ParquetColumn reader;
        private int maxDefinition;

        LeafCell(int column, String[] path) {
            super(column);
            this.descriptor = schema.getColumnDescription(path);
        }

        @Override
        void rowGroup(PageReadStore pages) {
            reader = new ParquetColumn(descriptor, pages.getPageReader(descriptor), writerVersion);
            maxDefinition = descriptor.getMaxDefinitionLevel();
            newRowGroup();
        }

        void newRowGroup() {
        }

        @Override
        final int write(int at) {
            int to = at;
            if (reader.getCurrentDefinitionLevel() == maxDefinition) {
                to = value(at);
                reader.skip(); // no-op once read; consume() alone would leave an unread value in the stream
            } else {
                values[column] = NO_VALUE;
                nullValue();
            }
            reader.consume();
            return to;
        }

        void nullValue() {
        }

        /** Writes the current (non-null) value. */
        abstract int value(int at);

        int put(byte[] bytes, int at) {
            ensure(at + bytes.length);
            System.arraycopy(bytes, 0, buffer, at, bytes.length);
            return at + bytes.length;
        }

        int put(String text, int at) {
            return put(text.getBytes(StandardCharsets.UTF_8), at);
        }
    }

    /** Strings: a dictionary entry's bytes copied once per row group, not per row. */
    private final class TextCell extends LeafCell {
        private byte[][] dictionary = new byte[64][];
        private boolean dictionaryPages;

        TextCell(int column, String[] path) {
            super(column, path);
        }

        @Override
        void newRowGroup() {
            java.util.Arrays.fill(dictionary, null);
            dictionaryPages = true;
        }

        @Override
        void nullValue() {
            ids[column] = -1;
        }

        @Override
        int value(int at) {
            ids[column] = -1;
            if (dictionaryPages) {
                int id;
                try {
                    id = reader.getCurrentValueDictionaryID();
                } catch (UnsupportedOperationException | IllegalArgumentException plainPage) {
                    dictionaryPages = false; // a chunk that falls back to plain pages stays plain
                    return copy(at);
                }
                ids[column] = id;
                if (id >= dictionary.length) {
                    dictionary = java.util.Arrays.copyOf(dictionary, Math.max(id + 1, dictionary.length * 2));
                }
                byte[] bytes = dictionary[id];
                if (bytes == null) {
                    dictionary[id] = bytes = reader.getBinary().getBytes();
                }
                return put(bytes, at);
            }
            return copy(at);
        }

        private int copy(int at) {
            int length = reader.valueLength();
            ensure(at + length);
            reader.copyValue(buffer, at);
            return at + length;
        }
    }

    /**
     * Costs: the shortest decimal, and its units when it has at most ten places ({@link #scaledAmount}: then
     * exactly what its text parses to). Converted once per dictionary entry on dictionary pages, else once per
     * run of equal values (amounts repeat: 0, a rate's multiples).
     */
    private final class DoubleCell extends LeafCell {
        private long lastBits = Double.doubleToRawLongBits(Double.NaN) ^ 1;
        private final byte[] last = new byte[ShortestDecimal.MAX_TEXT];
        private int lastLength;
        private long lastUnits;
        private boolean dictionaryPages;
        private byte[][] dictionaryText = new byte[64][];
        private long[] dictionaryUnits = new long[64];
        private static final int CACHE_BITS = 13;
        private final long[] cachedBits = new long[1 << CACHE_BITS];
        private final long[] cachedUnits = new long[1 << CACHE_BITS];
        private final byte[][] cachedText = new byte[1 << CACHE_BITS][];

        DoubleCell(int column, String[] path) {
            super(column, path);
        }

        @Override
        void newRowGroup() {
            java.util.Arrays.fill(dictionaryText, null);
            dictionaryPages = true;
        }

        @Override
        int value(int at) {
            if (dictionaryPages) {
                int id;
                try {
                    id = reader.getCurrentValueDictionaryID();
                } catch (UnsupportedOperationException | IllegalArgumentException plainPage) {
                    dictionaryPages = false; // a chunk that falls back to plain pages stays plain
                    return plain(at);
                }
                if (id >= dictionaryText.length) {
                    int size = Math.max(id + 1, dictionaryText.length * 2);
                    dictionaryText = java.util.Arrays.copyOf(dictionaryText, size);
                    dictionaryUnits = java.util.Arrays.copyOf(dictionaryUnits, size);
                }
                byte[] text = dictionaryText[id];
                if (text == null) {
                    double value = reader.getDouble();
                    int n = ShortestDecimal.write(value, last, 0);
                    dictionaryText[id] = text = java.util.Arrays.copyOf(last, n);
                    dictionaryUnits[id] = units(value);
                    lastBits = Double.doubleToRawLongBits(Double.NaN) ^ 1; // last[] now holds other text
                }
                values[column] = dictionaryUnits[id];
                return put(text, at);
            }
            return plain(at);
        }

        private int plain(int at) {
            double value = reader.getDouble();
            long bits = Double.doubleToRawLongBits(value);
            if (bits != lastBits) {
                // plain pages: the conversion kept per distinct bit pattern in a small direct-mapped cache
                int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> (64 - CACHE_BITS));
                byte[] text = cachedText[slot];
                if (text == null || cachedBits[slot] != bits) {
                    int n = ShortestDecimal.write(value, last, 0);
                    cachedText[slot] = text = java.util.Arrays.copyOf(last, n);
                    cachedBits[slot] = bits;
                    cachedUnits[slot] = units(value);
                }
                System.arraycopy(text, 0, last, 0, text.length);
                lastLength = text.length;
                lastUnits = cachedUnits[slot];
                lastBits = bits;
            }
            values[column] = lastUnits;
            ensure(at + lastLength);
            System.arraycopy(last, 0, buffer, at, lastLength);
            return at + lastLength;
        }

        /** The units {@link ShortestDecimal#write} wrote the text from (it has at most ten places), else none. */
        private long units(double value) {
            return Double.isFinite(value) ? ScaledMoney.fromDouble(value) : NO_VALUE;
        }
    }

    private final class FloatCell extends LeafCell {
        FloatCell(int column, String[] path) {
            super(column, path);
        }

        @Override
        int value(int at) {
            float value = reader.getFloat();
            return put(Float.isFinite(value) ? new BigDecimal(Float.toString(value)).toPlainString()
                    : Float.toString(value), at);
        }
    }

    private final class BooleanCell extends LeafCell {
        BooleanCell(int column, String[] path) {
            super(column, path);
        }

        @Override
        int value(int at) {
            return put(reader.getBoolean() ? "true" : "false", at);
        }
    }

    private final class IntegerCell extends LeafCell {
        final boolean date;
        private final boolean int32;
        private final InstantText instants = new InstantText(column);

        IntegerCell(int column, String[] path, boolean date) {
            super(column, path);
            this.date = date;
            this.int32 = schema.getColumnDescription(path).getPrimitiveType().getPrimitiveTypeName()
                    == PrimitiveType.PrimitiveTypeName.INT32;
        }

        @Override
        int value(int at) {
            long value = int32 ? reader.getInteger() : reader.getLong();
            if (date) {
                return instants.write(value * MILLIS_PER_DAY, at);
            }
            return put(Long.toString(value), at);
        }
    }

    private final class DecimalCell extends LeafCell {
        private final int scale;
        private final PrimitiveType.PrimitiveTypeName stored;

        DecimalCell(int column, String[] path, int scale, PrimitiveType.PrimitiveTypeName stored) {
            super(column, path);
            this.scale = scale;
            this.stored = stored;
        }

        @Override
        int value(int at) {
            BigInteger unscaled = switch (stored) {
                case INT32 -> BigInteger.valueOf(reader.getInteger());
                case INT64 -> BigInteger.valueOf(reader.getLong());
                default -> new BigInteger(reader.getBinary().getBytes());
            };
            return put(new BigDecimal(unscaled, scale).toPlainString(), at);
        }
    }

    /** {@code TIMESTAMP} in {@code INT64}: {@code divisor} units to the millisecond. */
    private final class TimestampCell extends LeafCell {
        private final long divisor;
        private final InstantText instants = new InstantText(column);

        TimestampCell(int column, String[] path, long divisor) {
            super(column, path);
            this.divisor = divisor;
        }

        @Override
        int value(int at) {
            return instants.write(Math.floorDiv(reader.getLong(), divisor), at);
        }
    }

    /** Older writers' (Spark, Hive, AWS's Athena) timestamps: 8 bytes nanos of the day, then the Julian day. */
    private final class Int96Cell extends LeafCell {
        private final InstantText instants = new InstantText(column);

        Int96Cell(int column, String[] path) {
            super(column, path);
        }

        @Override
        int value(int at) {
            ByteBuffer b = reader.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long nanos = b.getLong(b.position());
            int julianDay = b.getInt(b.position() + 8);
            return instants.write((julianDay - JULIAN_EPOCH_DAY) * MILLIS_PER_DAY + Math.floorDiv(nanos, 1_000_000L),
                    at);
        }
    }

    /**
     * A column's instants as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (as CUR 2.0's CSV writes times), the last one's
     * text kept: a column's times repeat row after row (one hour's usage).
     */
    private final class InstantText {
        private final int column;
        private long last = Long.MIN_VALUE;
        private final byte[] text = new byte[40];
        private int length;
        /** {@link #last}, or {@link #NO_VALUE} when its text is not of the form {@link FastInstants} reads. */
        private long typed = NO_VALUE;

        InstantText(int column) {
            this.column = column;
        }

        int write(long millis, int at) {
            if (millis != last) {
                long day = Math.floorDiv(millis, MILLIS_PER_DAY);
                LocalDate date = LocalDate.ofEpochDay(day);
                if (date.getYear() >= 1000 && date.getYear() <= 9999) {
                    int ms = (int) (millis - day * MILLIS_PER_DAY);
                    int n = digits(date.getYear(), 4, 0);
                    text[n++] = '-';
                    n = digits(date.getMonthValue(), 2, n);
                    text[n++] = '-';
                    n = digits(date.getDayOfMonth(), 2, n);
                    text[n++] = 'T';
                    n = digits(ms / 3_600_000, 2, n);
                    text[n++] = ':';
                    n = digits(ms / 60_000 % 60, 2, n);
                    text[n++] = ':';
                    n = digits(ms / 1000 % 60, 2, n);
                    text[n++] = '.';
                    n = digits(ms % 1000, 3, n);
                    text[n++] = 'Z';
                    length = n;
                    typed = millis;
                } else {
                    typed = NO_VALUE;
                    byte[] iso = Instant.ofEpochMilli(millis).toString().getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(iso, 0, text, 0, iso.length);
                    length = iso.length;
                }
                last = millis;
            }
            values[column] = typed;
            ensure(at + length);
            System.arraycopy(text, 0, buffer, at, length);
            return at + length;
        }

        private int digits(int value, int width, int at) {
            for (int i = at + width - 1; i >= at; i--) {
                text[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            return at + width;
        }
    }

    /**
     * A {@code MAP<string,string>} (CUR 2.0's {@code resource_tags} as AWS writes it in Parquet): key and value
     * read in step by repetition level, the entries the lookup asks for (all of them when it asks for none in
     * particular) written as a JSON object, so the same map lookup reads Parquet and CSV.
     */
    private final class MapCell extends Cell {
        private final ColumnDescriptor keyColumn;
        private final ColumnDescriptor valueColumn;
        private final byte[][] wanted;
        /** Each wanted key as JSON text. */
        private final byte[][] wantedJson;
        private ParquetColumn keys;
        private ParquetColumn values;
        private long levelsLeft;

        MapCell(int column, String[] keyPath, String[] valuePath, String[] wantedKeys) {
            super(column);
            this.keyColumn = schema.getColumnDescription(keyPath);
            this.valueColumn = schema.getColumnDescription(valuePath);
            if (wantedKeys == null) {
                this.wanted = null;
                this.wantedJson = null;
            } else {
                this.wanted = new byte[wantedKeys.length][];
                this.wantedJson = new byte[wantedKeys.length][];
                for (int i = 0; i < wantedKeys.length; i++) {
                    wanted[i] = wantedKeys[i].getBytes(StandardCharsets.UTF_8);
                    wantedJson[i] = jsonText(wanted[i]);
                }
            }
        }

        /** Per key dictionary id: its index in {@link #wanted} (0 when all are wanted), -1 if unwanted, -2 unknown. */
        private int[] keyWanted = new int[64];
        /** Per value dictionary id: the value as JSON text, once found. */
        private byte[][] valueJson = new byte[64][];
        private boolean keyIds;
        private boolean valueIds;

        @Override
        void rowGroup(PageReadStore pages) {
            keys = new ParquetColumn(keyColumn, pages.getPageReader(keyColumn), writerVersion);
            values = new ParquetColumn(valueColumn, pages.getPageReader(valueColumn), writerVersion);
            levelsLeft = keys.getTotalValueCount();
            java.util.Arrays.fill(keyWanted, -2);
            java.util.Arrays.fill(valueJson, null);
            keyIds = true;
            valueIds = true;
        }

        /**
         * Also gives the cell a dictionary id when it holds exactly one wanted entry with a value on a dictionary
         * page: the value's id and the key's place among the wanted keys, which together fix the cell's text.
         */
        @Override
        int write(int at) {
            int entries = 0;
            int to = at;
            int id = -1;
            do {
                if (keys.getCurrentDefinitionLevel() == keyColumn.getMaxDefinitionLevel()) {
                    int w = wantedIndex();
                    if (w >= 0) {
                        ensure(to + 1);
                        buffer[to++] = (byte) (entries++ == 0 ? '{' : ',');
                        to = wanted == null ? json(keys.getBinary(), to) : put(wantedJson[w], to);
                        ensure(to + 1);
                        buffer[to++] = ':';
                        id = -1;
                        if (values.getCurrentDefinitionLevel() == valueColumn.getMaxDefinitionLevel()) {
                            int valueId = valueId();
                            if (valueId < 0) {
                                to = json(values.getBinary(), to);
                            } else {
                                byte[] text = valueJson[valueId];
                                if (text == null) {
                                    int end = json(values.getBinary(), to);
                                    valueJson[valueId] = text = java.util.Arrays.copyOfRange(buffer, to, end);
                                }
                                to = put(text, to);
                                id = wanted == null ? -1 : valueId * wanted.length + w;
                            }
                        } else {
                            ensure(to + 4);
                            to = putAscii("null", to);
                        }
                    }
                }
                keys.consume();
                values.consume();
                levelsLeft--;
            } while (levelsLeft > 0 && keys.getCurrentRepetitionLevel() > 0);
            if (entries > 0) {
                ensure(to + 1);
                buffer[to++] = '}';
            }
            ids[column] = entries == 1 ? id : -1;
            return to;
        }

        private int put(byte[] bytes, int at) {
            ensure(at + bytes.length);
            System.arraycopy(bytes, 0, buffer, at, bytes.length);
            return at + bytes.length;
        }

        private int wantedIndex() {
            if (keyIds) {
                int id;
                try {
                    id = keys.getCurrentValueDictionaryID();
                } catch (UnsupportedOperationException | IllegalArgumentException plainPage) {
                    keyIds = false;
                    return wantedIndex(keys.getBinary());
                }
                if (id >= keyWanted.length) {
                    int old = keyWanted.length;
                    keyWanted = java.util.Arrays.copyOf(keyWanted, Math.max(id + 1, old * 2));
                    java.util.Arrays.fill(keyWanted, old, keyWanted.length, -2);
                }
                if (keyWanted[id] == -2) {
                    keyWanted[id] = wantedIndex(keys.getBinary());
                }
                return keyWanted[id];
            }
            return wantedIndex(keys.getBinary());
        }

        private int valueId() {
            if (!valueIds) {
                return -1;
            }
            int id;
            try {
                id = values.getCurrentValueDictionaryID();
            } catch (UnsupportedOperationException | IllegalArgumentException plainPage) {
                valueIds = false;
                return -1;
            }
            if (id >= valueJson.length) {
                valueJson = java.util.Arrays.copyOf(valueJson, Math.max(id + 1, valueJson.length * 2));
            }
            return id;
        }

        private int wantedIndex(Binary key) {
            if (wanted == null) {
                return 0;
            }
            for (int i = 0; i < wanted.length; i++) {
                if (key.length() == wanted[i].length && key.equals(Binary.fromConstantByteArray(wanted[i]))) {
                    return i;
                }
            }
            return -1;
        }

        private int putAscii(String text, int at) {
            for (int i = 0; i < text.length(); i++) {
                buffer[at++] = (byte) text.charAt(i);
            }
            return at;
        }

        /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped. */
        private static byte[] jsonText(byte[] utf8) {
            StringBuilder text = new StringBuilder("\"");
            for (byte c : utf8) {
                if (c == '"' || c == '\\') {
                    text.append('\\').append((char) c);
                } else if (c >= 0 && c < 0x20) {
                    text.append(String.format("\\u%04x", (int) c));
                } else {
                    text.append((char) (c & 0xff)); // one char per byte: ISO-8859-1 below gives the bytes back
                }
            }
            return text.append('"').toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private int json(Binary value, int at) {
            ByteBuffer b = value.toByteBuffer();
            int length = value.length();
            ensure(at + 2 + length * 6);
            buffer[at++] = '"';
            for (int i = 0; i < length; i++) {
                byte c = b.get(b.position() + i);
                if (c == '"' || c == '\\') {
                    buffer[at++] = '\\';
                    buffer[at++] = c;
                } else if (c >= 0 && c < 0x20) {
                    at = putAscii(String.format("\\u%04x", (int) c), at);
                } else {
                    buffer[at++] = c;
                }
            }
            buffer[at++] = '"';
            return at;
        }
    }

    // ---- the part as Parquet's InputFile ---------------------------------------------------------

    /** A bill part read where Parquet asks (its footer, then each row group's chunks), not from the start. */
    private record PartFile(BillPart part, long size) implements InputFile {
        @Override
        public long getLength() {
            return size;
        }

        @Override
        public SeekableInputStream newStream() {
            return new PartStream(part, size);
        }
    }

    /**
     * Positional reads of a part: a large read (a column chunk) goes to the part as it is, small ones (the footer,
     * page headers read byte by byte) through a read-ahead buffer.
     */
    private static final class PartStream extends SeekableInputStream {
        private static final int READ_AHEAD = 1 << 16;
        private final BillPart part;
        private final long size;
        private long position;
        private final byte[] ahead = new byte[READ_AHEAD];
        private long aheadStart = -1;
        private int aheadLength;

        PartStream(BillPart part, long size) {
            this.part = part;
            this.size = size;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPos) {
            position = newPos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            readFully(b, off, n);
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            if (position + len > size) {
                throw new EOFException(part.name() + ": ends before byte " + (position + len));
            }
            if (len >= READ_AHEAD) {
                part.readFully(position, bytes, start, len);
                position += len;
                return;
            }
            while (len > 0) {
                if (aheadStart < 0 || position < aheadStart || position >= aheadStart + aheadLength) {
                    aheadStart = position;
                    aheadLength = (int) Math.min(READ_AHEAD, size - position);
                    part.readFully(aheadStart, ahead, 0, aheadLength);
                }
                int from = (int) (position - aheadStart);
                int n = Math.min(len, aheadLength - from);
                System.arraycopy(ahead, from, bytes, start, n);
                position += n;
                start += n;
                len -= n;
            }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(buf.remaining(), size - position);
            byte[] bytes = new byte[n];
            readFully(bytes, 0, n);
            buf.put(bytes);
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            byte[] bytes = new byte[buf.remaining()];
            readFully(bytes, 0, bytes.length);
            buf.put(bytes);
        }
    }
}
