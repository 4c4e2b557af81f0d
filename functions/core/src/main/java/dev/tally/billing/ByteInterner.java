package dev.tally.billing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Gives each distinct byte string (a product name, a resource id, a tag) a small int id, without
 * creating a String per row: the bytes are hashed and compared where they lie in the read buffer,
 * and copied once, when first seen. Id 0 is the empty string.
 */
public final class ByteInterner {
    public static final int EMPTY = 0;

    private byte[] arena = new byte[1 << 16];
    private int arenaSize;
    private int[] offsets = new int[1024];
    private int[] lengths = new int[1024];
    private int[] hashes = new int[1024];
    private String[] strings = new String[1024];
    private int size;
    private int[] table = new int[2048];

    public ByteInterner() {
        add(new byte[0], 0, 0, hash(new byte[0], 0, 0));
    }

    /** The id of {@code bytes[from, to)}, adding it if new. */
    public int intern(byte[] bytes, int from, int to) {
        int hash = hash(bytes, from, to);
        int mask = table.length - 1;
        int slot = hash & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                break;
            }
            int id = entry - 1;
            if (hashes[id] == hash && equal(id, bytes, from, to)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        return add(bytes, from, to, hash);
    }

    public int intern(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return intern(bytes, 0, bytes.length);
    }

    /** The string of an id (decoded once, then kept). */
    public String string(int id) {
        String value = strings[id];
        if (value == null) {
            value = new String(arena, offsets[id], lengths[id], StandardCharsets.UTF_8);
            strings[id] = value;
        }
        return value;
    }

    public int size() {
        return size;
    }

    /** Whether the value of {@code id} starts with {@code prefix} (ASCII). */
    public boolean startsWith(int id, String prefix) {
        if (lengths[id] < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (arena[offsets[id] + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean equal(int id, byte[] bytes, int from, int to) {
        int length = to - from;
        return lengths[id] == length && Arrays.equals(arena, offsets[id], offsets[id] + length, bytes, from, to);
    }

    private int add(byte[] bytes, int from, int to, int hash) {
        int length = to - from;
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(bytes, from, arena, arenaSize, length);
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            strings = Arrays.copyOf(strings, size * 2);
        }
        int id = size++;
        offsets[id] = arenaSize;
        lengths[id] = length;
        hashes[id] = hash;
        arenaSize += length;
        if (size * 2 > table.length) {
            rehash();
        } else {
            place(id);
        }
        return id;
    }

    private void rehash() {
        table = new int[table.length * 2];
        for (int id = 0; id < size; id++) {
            place(id);
        }
    }

    private void place(int id) {
        int mask = table.length - 1;
        int slot = hashes[id] & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = id + 1;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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
