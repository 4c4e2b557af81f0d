package dev.tally.bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds delimiter bytes eight at a time ("SIMD within a register"): a long read from the byte array,
 * and a few arithmetic steps flag every byte equal to a target. The lowest flag is exact (a flag can
 * be wrong only above a true match), which is all a scan for the next delimiter needs. Bills and event
 * files are mostly long runs of ordinary bytes between delimiters, so this is where reading time goes.
 */
public final class Swar {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final long COMMA = ONES * ',';
    private static final long LF = ONES * '\n';
    private static final long CR = ONES * '\r';
    private static final long QUOTE = ONES * '"';
    private static final long BACKSLASH = ONES * '\\';
    private static final long SPACE = ONES * 0x20;

    private Swar() {
    }

    private static long zeros(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Index of the first ',', LF or CR in {@code b[from, to)}, or {@code to}. */
    public static int fieldEnd(byte[] b, int from, int to) {
        int i = from;
        int words = Math.min(to, b.length - 7);
        while (i < words) {
            long word = (long) LONGS.get(b, i);
            long found = zeros(word ^ COMMA) | zeros(word ^ LF) | zeros(word ^ CR);
            if (found != 0) {
                return Math.min(to, i + (Long.numberOfTrailingZeros(found) >>> 3));
            }
            i += 8;
        }
        while (i < to) {
            byte c = b[i];
            if (c == ',' || c == '\n' || c == '\r') {
                return i;
            }
            i++;
        }
        return to;
    }

    /** Index of the first '"', LF or CR in {@code b[from, to)}, or {@code to} (inside a quoted field). */
    public static int quotedEnd(byte[] b, int from, int to) {
        int i = from;
        int words = Math.min(to, b.length - 7);
        while (i < words) {
            long word = (long) LONGS.get(b, i);
            long found = zeros(word ^ QUOTE) | zeros(word ^ LF) | zeros(word ^ CR);
            if (found != 0) {
                return Math.min(to, i + (Long.numberOfTrailingZeros(found) >>> 3));
            }
            i += 8;
        }
        while (i < to) {
            byte c = b[i];
            if (c == '"' || c == '\n' || c == '\r') {
                return i;
            }
            i++;
        }
        return to;
    }

    /**
     * Flags (the high bit of each byte) every '"', LF and CR among the eight bytes at {@code i}:
     * exact flags, none wrong, so all of them can be visited in turn.
     */
    public static long quoteOrBreakFlags(byte[] b, int i) {
        long word = (long) LONGS.get(b, i);
        return exactZeros(word ^ QUOTE) | exactZeros(word ^ LF) | exactZeros(word ^ CR);
    }

    /** The high bit of each zero byte of {@code x}, and only those (no borrow between bytes). */
    private static long exactZeros(long x) {
        return ~(((x & LOWS) + LOWS) | x | LOWS);
    }

    /** Index of the first LF or CR in {@code b[from, to)}, or {@code to}. */
    public static int lineEnd(byte[] b, int from, int to) {
        int i = from;
        int words = Math.min(to, b.length - 7);
        while (i < words) {
            long word = (long) LONGS.get(b, i);
            long found = zeros(word ^ LF) | zeros(word ^ CR);
            if (found != 0) {
                return Math.min(to, i + (Long.numberOfTrailingZeros(found) >>> 3));
            }
            i += 8;
        }
        while (i < to) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
            i++;
        }
        return to;
    }

    /**
     * Index of the first byte in {@code b[from, to)} that ends a plain run inside a JSON string: a
     * quote, a backslash, a control character (below 0x20) or a non-ASCII byte; or {@code to}.
     */
    public static int jsonStringStop(byte[] b, int from, int to) {
        int i = from;
        int words = Math.min(to, b.length - 7);
        while (i < words) {
            long word = (long) LONGS.get(b, i);
            // bytes below 0x20 (as unsigned, high bit clear) and bytes with the high bit set
            long control = ((word - SPACE) & ~word & HIGHS) | (word & HIGHS);
            long found = zeros(word ^ QUOTE) | zeros(word ^ BACKSLASH) | control;
            if (found != 0) {
                return Math.min(to, i + (Long.numberOfTrailingZeros(found) >>> 3));
            }
            i += 8;
        }
        while (i < to) {
            byte c = b[i];
            if (c == '"' || c == '\\' || c < 0x20) {
                return i;
            }
            i++;
        }
        return to;
    }
}
