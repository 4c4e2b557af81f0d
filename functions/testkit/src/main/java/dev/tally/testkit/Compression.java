package dev.tally.testkit;

import java.util.Locale;

/**
 * How the bill file is compressed. A zip holds exactly one entry, the plain CSV; {@code PARQUET} is no CSV at all
 * but a Snappy Parquet file in AWS's types ({@link ParquetRows}, CUR 2.0 and FOCUS).
 */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    ZIP(".zip"),
    PARQUET(".snappy.parquet");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** @return the file name suffix added after {@code .csv} ({@code ""}, {@code .gz}, {@code .zip}) */
    public String suffix() {
        return suffix;
    }

    /** @return the bill's file name for the plain CSV's name {@code bill-2017-02.csv} */
    public String fileName(String csvName) {
        return this == PARQUET ? csvName.substring(0, csvName.length() - ".csv".length()) + suffix : csvName + suffix;
    }

    /** Accepts {@code none}/{@code plain}, {@code gzip}/{@code gz}, {@code zip}, {@code parquet}. */
    public static Compression parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none":
            case "plain":
            case "":
                return NONE;
            case "gzip":
            case "gz":
                return GZIP;
            case "zip":
                return ZIP;
            case "parquet":
                return PARQUET;
            default:
                throw new IllegalArgumentException("unknown compression '" + text
                        + "' (expected none, gzip, zip or parquet)");
        }
    }
}
