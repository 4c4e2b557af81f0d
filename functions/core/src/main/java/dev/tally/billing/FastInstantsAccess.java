package dev.tally.billing;

/** The byte-level timestamp reader, for the event scanners in another package. */
public final class FastInstantsAccess {
    public static final long NOT_FAST = FastInstants.NOT_FAST;

    private FastInstantsAccess() {
    }

    /** UTC epoch millis of a plain timestamp in {@code bytes[from, to)}, or {@link #NOT_FAST}. */
    public static long parse(byte[] bytes, int from, int to) {
        return FastInstants.parse(bytes, from, to);
    }
}
