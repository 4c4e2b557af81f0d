package dev.tally.testkit;

import java.util.Locale;

/** How the bill file is compressed. A zip holds exactly one entry, the plain CSV. */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    ZIP(".zip");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** @return the file name suffix added after {@code .csv} ({@code ""}, {@code .gz}, {@code .zip}) */
    public String suffix() {
        return suffix;
    }

    /** Accepts {@code none}/{@code plain}, {@code gzip}/{@code gz}, {@code zip}. */
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
            default:
                throw new IllegalArgumentException("unknown compression '" + text + "' (expected none, gzip or zip)");
        }
    }
}
