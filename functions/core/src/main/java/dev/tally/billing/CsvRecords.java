package dev.tally.billing;

import java.io.IOException;

/** The current record of a CSV source: its fields as offsets into a byte buffer. */
interface CsvRecords {
    /** Advances to the next non-empty record; false at the end. */
    boolean next() throws IOException;

    int fieldCount();

    long lineNumber();

    byte[] buffer();

    int start(int field);

    int end(int field);

    /**
     * Whether every field's bytes are its value (no doubled quotes, nothing after a closing quote) —
     * every field the reader keeps, when it keeps only some ({@link #text} still gives any field's
     * value).
     */
    boolean recordIsPlain();

    /**
     * The record's one non-plain field when that field is merely escaped (quoted, doubled quotes
     * inside, nothing after the closing quote): its value is its bytes with each {@code ""} made
     * {@code "}. -1 when the record is plain or has other non-plain fields.
     */
    int onlyEscapedField();

    /** The record's raw text (for the CSV library's parse of a record that is not plain). */
    String recordText();

    /** A field's bytes as text (for plain records). */
    String text(int field);

    /**
     * A columnar source's dictionary id of the field's value — the same id, the same bytes, within one
     * {@link #dictionaryGeneration} — so a reader can intern each dictionary entry once instead of every row's
     * bytes; -1 when the value has none (CSV, a plain-encoded page, a null).
     */
    default int dictionaryId(int field) {
        return -1;
    }

    /**
     * A typed source's amount of the field in 10<sup>-10</sup> units — exactly what
     * {@link dev.tally.money.ScaledMoney#parse} gives for the field's bytes — so a reader need not parse the text
     * it was written as; {@link dev.tally.money.ScaledMoney#NOT_FAST} when there is none (CSV, a null, an amount
     * of more than ten places): the bytes are then read as ever.
     */
    default long scaledAmount(int field) {
        return Long.MIN_VALUE;
    }

    /**
     * A typed source's instant of the field in epoch millis — exactly what {@link FastInstants#parse} gives for
     * the field's bytes — or {@link FastInstants#NOT_FAST} when there is none (the bytes are then read as ever).
     */
    default long epochMillis(int field) {
        return Long.MIN_VALUE;
    }

    /** Changes whenever {@link #dictionaryId}s may stand for other values (a Parquet bill's next row group). */
    default int dictionaryGeneration() {
        return 0;
    }
}
