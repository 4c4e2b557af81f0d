package dev.tally.allocation;

import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums of money in 10<sup>-10</sup> units by a long key, without an object per key or per addition:
 * open addressing over primitive arrays. A sum that would overflow a long moves to an exact decimal,
 * so no addition is ever lost.
 */
final class LongSums {
    private long[] keys = new long[1024];
    private long[] sums = new long[1024];
    private boolean[] used = new boolean[1024];
    private int size;
    private final Map<Long, BigDecimal> overflow = new HashMap<>();

    void add(long key, long units) {
        int slot = slot(key);
        if (!used[slot]) {
            used[slot] = true;
            keys[slot] = key;
            sums[slot] = 0;
            if (++size * 2 > keys.length) {
                grow();
                slot = slot(key);
            }
        }
        long sum = sums[slot];
        long result = sum + units;
        if (((sum ^ result) & (units ^ result)) < 0) {
            overflow.merge(key, ScaledMoney.toBigDecimal(sum).add(ScaledMoney.toBigDecimal(units)), BigDecimal::add);
            sums[slot] = 0;
        } else {
            sums[slot] = result;
        }
    }

    /** Every key with its exact sum. */
    void forEach(KeyAmount action) {
        for (int slot = 0; slot < keys.length; slot++) {
            if (used[slot]) {
                BigDecimal extra = overflow.get(keys[slot]);
                BigDecimal total = ScaledMoney.toBigDecimal(sums[slot]);
                action.accept(keys[slot], extra == null ? total : total.add(extra));
            }
        }
    }

    /** Receives a key and its sum. */
    interface KeyAmount {
        void accept(long key, BigDecimal amount);
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int slot = (int) (mix(key) & mask);
        while (used[slot] && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldSums = sums;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        sums = new long[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int slot = slot(oldKeys[i]);
                used[slot] = true;
                keys[slot] = oldKeys[i];
                sums[slot] = oldSums[i];
            }
        }
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    static long key(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    static int high(long key) {
        return (int) (key >>> 32);
    }

    static int low(long key) {
        return (int) key;
    }
}
