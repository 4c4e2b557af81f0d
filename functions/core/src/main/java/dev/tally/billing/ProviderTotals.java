package dev.tally.billing;

import dev.tally.money.Money;
import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The exact total of the allocated cost rows per provider of a FOCUS bill ({@code ProviderName}): a
 * FOCUS file may hold other clouds' and vendors' rows, which are allocated like any row (§1), and a
 * person wants to see how much of the bill each provider is. Fast rows add {@code long} units to the
 * provider's id, so no object is made per row.
 */
final class ProviderTotals {
    private final ByteInterner names = new ByteInterner();
    private long[] units = new long[8];
    private BigDecimal[] overflow = new BigDecimal[8];
    private boolean[] seen = new boolean[8];

    // the last provider's bytes and id: a bill's rows come in long runs of one provider
    private final byte[] last = new byte[64];
    private int lastLength = -1;
    private int lastId;

    /** Adds a row whose provider is {@code bytes[from, to)} (already trimmed and with NULL made empty). */
    void add(byte[] bytes, int from, int to, long amount) {
        int length = to - from;
        if (length != lastLength || !Arrays.equals(bytes, from, to, last, 0, length)) {
            lastId = names.intern(bytes, from, to);
            lastLength = length <= last.length ? length : -1;
            if (lastLength >= 0) {
                System.arraycopy(bytes, from, last, 0, length);
            }
        }
        add(lastId, amount);
    }

    void add(String provider, BigDecimal amount) {
        int id = names.intern(provider);
        long fast = ScaledMoney.fromBigDecimal(amount);
        if (fast != ScaledMoney.NOT_FAST) {
            add(id, fast);
        } else {
            grow(id);
            overflow[id] = overflowOf(id).add(amount);
        }
    }

    private void add(int id, long amount) {
        grow(id);
        long sum = units[id] + amount;
        if (((units[id] ^ sum) & (amount ^ sum)) < 0) {
            overflow[id] = overflowOf(id).add(ScaledMoney.toBigDecimal(units[id])).add(ScaledMoney.toBigDecimal(amount));
            units[id] = 0;
        } else {
            units[id] = sum;
        }
    }

    private BigDecimal overflowOf(int id) {
        return overflow[id] == null ? Money.ZERO : overflow[id];
    }

    private void grow(int id) {
        if (id >= units.length) {
            units = Arrays.copyOf(units, Math.max(id + 1, units.length * 2));
            overflow = Arrays.copyOf(overflow, units.length);
            seen = Arrays.copyOf(seen, units.length);
        }
        seen[id] = true;
    }

    /** Provider (empty when a row names none) → total, sorted by provider. */
    SortedMap<String, BigDecimal> totals() {
        SortedMap<String, BigDecimal> totals = new TreeMap<>();
        for (int id = 0; id < Math.min(names.size(), units.length); id++) {
            if (seen[id]) {
                totals.put(names.string(id), overflowOf(id).add(ScaledMoney.toBigDecimal(units[id])));
            }
        }
        return Collections.unmodifiableSortedMap(totals);
    }
}
