package dev.tally.billing;

import org.apache.parquet.CorruptDeltaByteArrays;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.RequiresPreviousReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One column chunk read a page at a time: each page's repetition and definition levels and, on a dictionary page,
 * its dictionary ids are decoded at once into arrays (the RLE / bit-packed hybrid by hand), and plain values are
 * read where they lie in the page — instead of parquet-java's {@code ColumnReaderImpl}, which decodes every level
 * and id through a chain of calls per value (and, for a column that is never null or never repeated, still runs a
 * bit unpacker of width 0 for each). Any encoding other than the dictionary ones and {@code PLAIN} (the delta
 * encodings, byte stream split, plain booleans; bit-packed levels) is read by parquet-java's own value readers, so
 * nothing it reads is refused here. Same contract as {@link ColumnReader} for what the cells use: the reader
 * stands on a value; {@link #consume} moves to the next; {@link #skip} is not needed (values are found by
 * position), and {@link #getCurrentValueDictionaryID} throws {@link UnsupportedOperationException} off
 * dictionary pages.
 */
final class ParquetColumn implements ColumnReader {
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int DICTIONARY = 0;
    private static final int PLAIN = 1;
    private static final int GENERIC = 2;

    private final ColumnDescriptor descriptor;
    private final PageReader pages;
    private final VersionParser.ParsedVersion writerVersion;
    private final Dictionary dictionary;
    private final PrimitiveTypeName type;
    /** Bytes of a plain fixed-width value, or -1 for BINARY (length-prefixed). */
    private final int width;
    private final int maxDefinition;
    private final int maxRepetition;
    private final long total;
    private long valuesBeforePage;

    // the current page
    private int pageValues;
    private int index;
    private int[] definitions = new int[0];
    private int[] repetitions = new int[0];
    private int mode;
    /** Non-null values before the current level. */
    private int valueIndex;
    private int[] ids = new int[0];
    private byte[] data;
    private int dataStart;
    private int dataEnd;
    /** PLAIN BINARY: the offset of value {@link #binaryIndex}'s length prefix. */
    private int binaryAt;
    private int binaryIndex;
    private ValuesReader generic;
    private ValuesReader previousGeneric;
    /** GENERIC: values taken from {@link #generic} so far; the last taken is cached (it is value {@code taken - 1}). */
    private int taken;
    private long cachedLong;
    private double cachedDouble;
    private Binary cachedBinary;

    ParquetColumn(ColumnDescriptor descriptor, PageReader pages, VersionParser.ParsedVersion writerVersion) {
        this.descriptor = descriptor;
        this.pages = pages;
        this.writerVersion = writerVersion;
        this.type = descriptor.getPrimitiveType().getPrimitiveTypeName();
        this.width = switch (type) {
            case DOUBLE, INT64 -> 8;
            case INT32, FLOAT -> 4;
            case INT96 -> 12;
            case FIXED_LEN_BYTE_ARRAY -> descriptor.getPrimitiveType().getTypeLength();
            default -> -1;
        };
        this.maxDefinition = descriptor.getMaxDefinitionLevel();
        this.maxRepetition = descriptor.getMaxRepetitionLevel();
        this.total = pages.getTotalValueCount();
        DictionaryPage page = pages.readDictionaryPage();
        try {
            this.dictionary = page == null ? null : page.getEncoding().initDictionary(descriptor, page);
        } catch (IOException e) {
            throw new ParquetDecodingException("could not decode the dictionary of " + descriptor, e);
        }
        if (total > 0) {
            readPage();
        }
    }

    /** The writer's version, for parquet-java's workaround of old writers' delta byte arrays; null if unknown. */
    static VersionParser.ParsedVersion writerVersion(String createdBy) {
        try {
            return createdBy == null ? null : VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public long getTotalValueCount() {
        return total;
    }

    @Override
    public ColumnDescriptor getDescriptor() {
        return descriptor;
    }

    @Override
    public int getCurrentDefinitionLevel() {
        return definitions[index];
    }

    @Override
    public int getCurrentRepetitionLevel() {
        return repetitions[index];
    }

    @Override
    public void consume() {
        if (definitions[index] == maxDefinition) {
            valueIndex++;
        }
        if (++index == pageValues) {
            valuesBeforePage += pageValues;
            if (valuesBeforePage < total) {
                readPage();
            }
        }
    }

    @Override
    public void skip() {
        // values are found by position: nothing to skip
    }

    @Override
    public int getCurrentValueDictionaryID() {
        if (mode != DICTIONARY) {
            throw new UnsupportedOperationException("not a dictionary page");
        }
        return ids[valueIndex];
    }

    @Override
    public double getDouble() {
        return switch (mode) {
            case DICTIONARY -> dictionary.decodeToDouble(ids[valueIndex]);
            case PLAIN -> Double.longBitsToDouble((long) LONGS.get(data, fixedAt(8)));
            default -> {
                takeGeneric();
                yield cachedDouble;
            }
        };
    }

    @Override
    public long getLong() {
        return switch (mode) {
            case DICTIONARY -> dictionary.decodeToLong(ids[valueIndex]);
            case PLAIN -> (long) LONGS.get(data, fixedAt(8));
            default -> {
                takeGeneric();
                yield cachedLong;
            }
        };
    }

    @Override
    public int getInteger() {
        return switch (mode) {
            case DICTIONARY -> dictionary.decodeToInt(ids[valueIndex]);
            case PLAIN -> (int) INTS.get(data, fixedAt(4));
            default -> {
                takeGeneric();
                yield (int) cachedLong;
            }
        };
    }

    @Override
    public float getFloat() {
        return switch (mode) {
            case DICTIONARY -> dictionary.decodeToFloat(ids[valueIndex]);
            case PLAIN -> Float.intBitsToFloat((int) INTS.get(data, fixedAt(4)));
            default -> {
                takeGeneric();
                yield (float) cachedDouble;
            }
        };
    }

    @Override
    public boolean getBoolean() {
        if (mode == DICTIONARY) {
            return dictionary.decodeToBoolean(ids[valueIndex]);
        }
        takeGeneric(); // plain booleans are read by parquet-java's reader
        return cachedLong != 0;
    }

    @Override
    public Binary getBinary() {
        return switch (mode) {
            case DICTIONARY -> dictionary.decodeToBinary(ids[valueIndex]);
            case PLAIN -> width < 0 ? Binary.fromConstantByteArray(data, binaryStart() + 4, binaryLength())
                    : Binary.fromConstantByteArray(data, fixedAt(width), width);
            default -> {
                takeGeneric();
                yield cachedBinary;
            }
        };
    }

    /** Length of the current BINARY value (without a {@link Binary}). */
    int valueLength() {
        if (mode == PLAIN && width < 0) {
            return binaryLength();
        }
        return getBinary().length();
    }

    /** Copies the current BINARY value to {@code into} at {@code at} (room for {@link #valueLength} bytes). */
    void copyValue(byte[] into, int at) {
        if (mode == PLAIN && width < 0) {
            System.arraycopy(data, binaryStart() + 4, into, at, binaryLength());
            return;
        }
        Binary value = getBinary();
        value.toByteBuffer().get(into, at, value.length());
    }

    @Override
    public void writeCurrentValueToConverter() {
        throw new UnsupportedOperationException("the cells read the values themselves");
    }

    // ---- values ---------------------------------------------------------------------------------

    private int fixedAt(int size) {
        long at = dataStart + (long) valueIndex * size;
        if (at + size > dataEnd) {
            throw new ParquetDecodingException(descriptor + ": a page's values end early");
        }
        return (int) at;
    }

    /** The offset of the current BINARY value's length prefix (the page's values are walked in order). */
    private int binaryStart() {
        if (binaryIndex > valueIndex) {
            binaryAt = dataStart; // a value read again after later ones (never done by the cells): walk anew
            binaryIndex = 0;
        }
        while (binaryIndex < valueIndex) {
            binaryAt += 4 + prefix(binaryAt);
            binaryIndex++;
        }
        return binaryAt;
    }

    private int binaryLength() {
        return prefix(binaryStart());
    }

    private int prefix(int at) {
        if (at + 4 > dataEnd) {
            throw new ParquetDecodingException(descriptor + ": a page's values end early");
        }
        int length = (int) INTS.get(data, at);
        if (length < 0 || at + 4L + length > dataEnd) {
            throw new ParquetDecodingException(descriptor + ": a value's length runs past its page");
        }
        return length;
    }

    /** Moves parquet-java's reader on to the current value and reads it (once). */
    private void takeGeneric() {
        if (taken == valueIndex + 1) {
            return; // already read
        }
        if (taken > valueIndex + 1) {
            throw new IllegalStateException(descriptor + ": a value read again after later ones");
        }
        while (taken < valueIndex) {
            generic.skip();
            taken++;
        }
        switch (type) {
            case BOOLEAN -> cachedLong = generic.readBoolean() ? 1 : 0;
            case INT32 -> cachedLong = generic.readInteger();
            case INT64 -> cachedLong = generic.readLong();
            case FLOAT -> cachedDouble = generic.readFloat();
            case DOUBLE -> cachedDouble = generic.readDouble();
            default -> cachedBinary = generic.readBytes();
        }
        taken++;
    }

    // ---- pages ----------------------------------------------------------------------------------

    private void readPage() {
        DataPage page = pages.readPage();
        if (page == null) {
            throw new ParquetDecodingException(descriptor + ": the column chunk ends before its " + total + " values");
        }
        try {
            int n = page.getValueCount();
            if (n <= 0) {
                throw new ParquetDecodingException(descriptor + ": an empty data page");
            }
            if (definitions.length < n) {
                definitions = new int[Math.max(n, definitions.length * 2)];
                repetitions = new int[definitions.length];
            }
            if (page instanceof DataPageV1 v1) {
                byte[] bytes = v1.getBytes().toByteArray();
                int at = levels(bytes, 0, n, maxRepetition, v1.getRlEncoding(), ValuesType.REPETITION_LEVEL,
                        repetitions);
                at = levels(bytes, at, n, maxDefinition, v1.getDlEncoding(), ValuesType.DEFINITION_LEVEL,
                        definitions);
                values(v1.getValueEncoding(), bytes, at, bytes.length, n);
            } else if (page instanceof DataPageV2 v2) {
                hybridLevels(v2.getRepetitionLevels().toByteArray(), n, maxRepetition, repetitions);
                hybridLevels(v2.getDefinitionLevels().toByteArray(), n, maxDefinition, definitions);
                byte[] bytes = v2.getData().toByteArray();
                values(v2.getDataEncoding(), bytes, 0, bytes.length, n);
            } else {
                throw new ParquetDecodingException(descriptor + ": unknown page " + page);
            }
            pageValues = n;
            index = 0;
            valueIndex = 0;
        } catch (IOException e) {
            throw new ParquetDecodingException("could not read a page of " + descriptor, e);
        } catch (IndexOutOfBoundsException e) {
            throw new ParquetDecodingException(descriptor + ": a page is truncated", e);
        }
    }

    /** A v1 page's levels from {@code at}; returns where they end. */
    private int levels(byte[] bytes, int at, int n, int maxLevel, Encoding encoding, ValuesType kind, int[] into)
            throws IOException {
        if (maxLevel == 0) {
            Arrays.fill(into, 0, n, 0); // nothing is stored
            return at;
        }
        if (encoding == Encoding.RLE) {
            int length = (int) INTS.get(bytes, at);
            if (length < 0 || at + 4L + length > bytes.length) {
                throw new ParquetDecodingException(descriptor + ": levels run past their page");
            }
            hybrid(bytes, at + 4, at + 4 + length, bitWidth(maxLevel), into, n);
            return at + 4 + length;
        }
        ValuesReader reader = encoding.getValuesReader(descriptor, kind); // BIT_PACKED (deprecated)
        ByteBufferInputStream in = ByteBufferInputStream.wrap(ByteBuffer.wrap(bytes, at, bytes.length - at));
        reader.initFromPage(n, in);
        for (int i = 0; i < n; i++) {
            into[i] = reader.readInteger();
        }
        return at + (int) in.position();
    }

    private void hybridLevels(byte[] bytes, int n, int maxLevel, int[] into) {
        if (maxLevel == 0) {
            Arrays.fill(into, 0, n, 0);
            return;
        }
        hybrid(bytes, 0, bytes.length, bitWidth(maxLevel), into, n);
    }

    private void values(Encoding encoding, byte[] bytes, int from, int to, int n) throws IOException {
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (definitions[i] == maxDefinition) {
                present++;
            }
        }
        data = bytes;
        dataStart = from;
        dataEnd = to;
        binaryAt = from;
        binaryIndex = 0;
        if (encoding.usesDictionary()) {
            if (dictionary == null) {
                throw new ParquetDecodingException(descriptor + ": a dictionary page is missing");
            }
            if (ids.length < present) {
                ids = new int[Math.max(present, ids.length * 2)];
            }
            if (present > 0) {
                if (from >= to) {
                    throw new ParquetDecodingException(descriptor + ": a page's dictionary ids are missing");
                }
                hybrid(bytes, from + 1, to, bytes[from] & 0xff, ids, present);
                int max = dictionary.getMaxId();
                for (int i = 0; i < present; i++) {
                    if (ids[i] < 0 || ids[i] > max) {
                        throw new ParquetDecodingException(descriptor + ": dictionary id " + ids[i] + " out of range");
                    }
                }
            }
            mode = DICTIONARY;
        } else if (encoding == Encoding.PLAIN && type != PrimitiveTypeName.BOOLEAN) {
            mode = PLAIN;
        } else {
            ValuesReader reader = encoding.getValuesReader(descriptor, ValuesType.VALUES);
            if (CorruptDeltaByteArrays.requiresSequentialReads(writerVersion, encoding)
                    && previousGeneric instanceof RequiresPreviousReader) {
                ((RequiresPreviousReader) reader).setPreviousReader(previousGeneric);
            }
            reader.initFromPage(n, ByteBufferInputStream.wrap(ByteBuffer.wrap(bytes, from, to - from)));
            generic = reader;
            previousGeneric = reader;
            taken = 0;
            mode = GENERIC;
        }
    }

    private static int bitWidth(int maxLevel) {
        return 32 - Integer.numberOfLeadingZeros(maxLevel);
    }

    /**
     * The RLE / bit-packed hybrid: {@code n} values of {@code bitWidth} bits from {@code bytes[from, to)} into
     * {@code into}. A run of bit-packed groups may be padded past the last value (or cut short of its padding).
     */
    private void hybrid(byte[] bytes, int from, int to, int bitWidth, int[] into, int n) {
        if (bitWidth > 32) {
            throw new ParquetDecodingException(descriptor + ": bit width " + bitWidth);
        }
        int at = from;
        int filled = 0;
        int valueBytes = (bitWidth + 7) >>> 3;
        long mask = (1L << bitWidth) - 1;
        while (filled < n) {
            if (at >= to) {
                throw new ParquetDecodingException(descriptor + ": " + (n - filled) + " encoded values missing");
            }
            int header = 0;
            int shift = 0;
            byte b;
            do {
                b = bytes[at++];
                header |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0 && shift < 35);
            if ((header & 1) == 0) {
                int count = header >>> 1;
                int value = 0;
                for (int i = 0; i < valueBytes; i++) {
                    value |= (bytes[at++] & 0xff) << (8 * i);
                }
                int end = Math.min(n, filled + count);
                Arrays.fill(into, filled, end, value);
                filled = end;
            } else {
                int groups = header >>> 1;
                int count = Math.min(groups * 8, n - filled);
                int end = at + groups * bitWidth;
                if (bitWidth == 0) {
                    Arrays.fill(into, filled, filled + count, 0);
                } else {
                    long buffer = 0;
                    int bits = 0;
                    int p = at;
                    for (int i = 0; i < count; i++) {
                        while (bits < bitWidth) {
                            buffer |= (long) (p < to ? bytes[p] & 0xff : 0) << bits;
                            p++;
                            bits += 8;
                        }
                        into[filled + i] = (int) (buffer & mask);
                        buffer >>>= bitWidth;
                        bits -= bitWidth;
                    }
                }
                filled += count;
                at = end;
            }
        }
    }
}
