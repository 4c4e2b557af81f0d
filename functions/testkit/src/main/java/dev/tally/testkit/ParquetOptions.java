package dev.tally.testkit;

import java.util.Locale;

/**
 * How a Parquet bill ({@code --compression parquet}) lays out what the CSV writes as text. AWS's Data Exports
 * write costs as {@code DOUBLE}, times as {@code TIMESTAMP} and tags as {@code MAP<string,string>}; other tools
 * that rewrite bills (Athena, Spark, Glue) write {@code INT96} times, or times and tags as strings.
 *
 * @param times         {@code timestamp} (INT64 micros, UTC), {@code int96}, or {@code string} (the CSV's text)
 * @param tags          {@code map} (MAP&lt;string,string&gt;) or {@code json} (the CSV's JSON text in a string column)
 * @param rowGroupBytes the writer's row group size (parquet-java's default 128 MB; small values give several row
 *                      groups in a small month)
 */
public record ParquetOptions(Times times, Tags tags, long rowGroupBytes) {
    /** Time columns. */
    public enum Times { TIMESTAMP, INT96, STRING }

    /** The tag (and other map) columns. */
    public enum Tags { MAP, JSON }

    public static final long DEFAULT_ROW_GROUP_BYTES = 128L << 20;

    public static ParquetOptions defaults() {
        return new ParquetOptions(Times.TIMESTAMP, Tags.MAP, DEFAULT_ROW_GROUP_BYTES);
    }

    public ParquetOptions {
        if (rowGroupBytes < 1024) {
            throw new IllegalArgumentException("parquet-row-group-bytes must be at least 1024: " + rowGroupBytes);
        }
    }

    static Times times(String text) {
        try {
            return Times.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option parquet-times: expected timestamp, int96 or string, got '"
                    + text + "'");
        }
    }

    static Tags tags(String text) {
        try {
            return Tags.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option parquet-tags: expected map or json, got '" + text + "'");
        }
    }
}
