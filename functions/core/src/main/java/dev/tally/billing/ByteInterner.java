package dev.tally.billing;

import java.nio.charset.StandardCharsets;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Gives each distinct byte string (a product name, a resource id, a tag) a small int id, without
 * creating a String per row: the bytes are hashed and compared where they lie in the read buffer,
 * and copied once, when first seen. Id 0 is the empty string.
 */
public final class ByteInterner {
    public static final int EMPTY = 0;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] arena = new byte[1 << 16];
    private int arenaSize;
    /** Per id: offset in the arena (high half) and length (low half), so one read finds the bytes. */
    private long[] spans = new long[1024];
    private String[] strings = new String[1024];
    private int size;
    /** Open addressing: hash (high half) and id + 1 (low half) per slot; 0 is a free slot. */
    private long[] table = new long[2048];

    public ByteInterner() {
        add(new byte[0], 0, 0, hash(new byte[0], 0, 0));
    }

    /** The id of {@code bytes[from, to)}, adding it if new. */
    public int intern(byte[] bytes, int from, int to) {
        int hash = hash(bytes, from, to);
        long[] t = table;
        int mask = t.length - 1;
        int slot = hash & mask;
        while (true) {
            long entry = t[slot];
            if (entry == 0) {
                return add(bytes, from, to, hash);
            }
            if ((int) (entry >>> 32) == hash) {
                int id = (int) entry - 1;
                if (equal(spans[id], bytes, from, to)) {
                    return id;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id here of the value another interner holds as {@code id}. */
    public int intern(ByteInterner other, int id) {
        long span = other.spans[id];
        return intern(other.arena, offset(span), offset(span) + length(span));
    }

    public int intern(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return intern(bytes, 0, bytes.length);
    }

    /** The string of an id (decoded once, then kept). */
    public String string(int id) {
        String value = strings[id];
        if (value == null) {
            value = new String(arena, offset(spans[id]), length(spans[id]), StandardCharsets.UTF_8);
            strings[id] = value;
        }
        return value;
    }

    public int size() {
        return size;
    }

    /** Whether the value of {@code id} starts with {@code prefix} (ASCII). */
    public boolean startsWith(int id, String prefix) {
        long span = spans[id];
        if (length(span) < prefix.length()) {
            return false;
        }
        int offset = offset(span);
        for (int i = 0; i < prefix.length(); i++) {
            if (arena[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int offset(long span) {
        return (int) (span >>> 32);
    }

    private static int length(long span) {
        return (int) span;
    }

    /** Compares eight bytes a step: the values are short, so this beats a call to a general mismatch. */
    private boolean equal(long span, byte[] bytes, int from, int to) {
        int length = to - from;
        if (length(span) != length) {
            return false;
        }
        byte[] a = arena;
        int i = offset(span);
        int j = from;
        int words = length >>> 3;
        for (int w = 0; w < words; w++, i += 8, j += 8) {
            if ((long) LONGS.get(a, i) != (long) LONGS.get(bytes, j)) {
                return false;
            }
        }
        for (; j < to; i++, j++) {
            if (a[i] != bytes[j]) {
                return false;
            }
        }
        return true;
    }

    private int add(byte[] bytes, int from, int to, int hash) {
        int length = to - from;
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(bytes, from, arena, arenaSize, length);
        if (size == spans.length) {
            spans = Arrays.copyOf(spans, size * 2);
            strings = Arrays.copyOf(strings, size * 2);
        }
        int id = size++;
        spans[id] = ((long) arenaSize << 32) | length;
        arenaSize += length;
        if (size * 2 > table.length) {
            rehash();
        }
        place(id, hash);
        return id;
    }

    private void rehash() {
        long[] old = table;
        table = new long[old.length * 2];
        for (long entry : old) {
            if (entry != 0) {
                place((int) entry - 1, (int) (entry >>> 32));
            }
        }
    }

    private void place(int id, int hash) {
        int mask = table.length - 1;
        int slot = hash & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = ((long) hash << 32) | ((id + 1) & 0xFFFF_FFFFL);
    }

    /** Eight bytes a step: a multiply-rotate mix per word, then the tail bytes. */
    private static int hash(byte[] bytes, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONGS.get(bytes, i)) * 0xC2B2AE3D27D4EB4FL, 31);
        }
        for (; i < to; i++) {
            h = (h ^ bytes[i]) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
