package dev.tally.allocation;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The shared charges of one bill, kept compactly until every other row has been allocated: per
 * product, the amounts as scaled longs (eight bytes a row), so a month with millions of hourly fee
 * rows does not fill the heap with objects. Amounts too large for a long are kept as decimals.
 */
final class SharedCharges {
    private final Map<String, Amounts> byProduct = new TreeMap<>();

    void add(String product, BigDecimal amount) {
        byProduct.computeIfAbsent(product, p -> new Amounts()).add(amount);
    }

    /** Adds a charge given in 10<sup>-10</sup> units. */
    void addUnits(String product, long units) {
        byProduct.computeIfAbsent(product, p -> new Amounts()).addUnits(units);
    }

    /** Adds every charge of another bill part's. */
    void addAll(SharedCharges other) {
        other.byProduct.forEach((product, amounts) -> byProduct.computeIfAbsent(product, p -> new Amounts())
                .addAll(amounts));
    }

    boolean isEmpty() {
        return byProduct.isEmpty();
    }

    /** Each product's charges grouped by amount, as (amount, how many rows), amounts ascending. */
    void forEachGroup(String product, BiConsumer<BigDecimal, Long> group) {
        byProduct.get(product).forEachGroup(group);
    }

    Iterable<String> products() {
        return byProduct.keySet();
    }

    /**
     * Each product's charges as kept, for {@link PartialAllocationCodec}: the 10<sup>-10</sup> units in the order
     * they were added, and the amounts too large for a long, in order.
     */
    void forEachProduct(Charges charges) {
        byProduct.forEach((product, amounts) -> charges.accept(product,
                Arrays.copyOf(amounts.unscaled, amounts.size), amounts.large == null ? List.of() : amounts.large));
    }

    /** One product's charges, as {@link #forEachProduct} hands them out. */
    interface Charges {
        void accept(String product, long[] units, List<BigDecimal> large);
    }

    /** Growable array of unscaled amounts at {@link Money#SCALE}. */
    private static final class Amounts {
        private long[] unscaled = new long[16];
        private int size;
        private List<BigDecimal> large;

        void addUnits(long units) {
            if (size == unscaled.length) {
                unscaled = Arrays.copyOf(unscaled, size * 2);
            }
            unscaled[size++] = units;
        }

        void addAll(Amounts other) {
            for (int i = 0; i < other.size; i++) {
                addUnits(other.unscaled[i]);
            }
            if (other.large != null) {
                other.large.forEach(this::add);
            }
        }

        void add(BigDecimal amount) {
            BigInteger value = Money.exact(amount).unscaledValue();
            if (value.bitLength() < Long.SIZE) {
                addUnits(value.longValue());
            } else {
                if (large == null) {
                    large = new ArrayList<>();
                }
                large.add(amount);
            }
        }

        void forEachGroup(BiConsumer<BigDecimal, Long> group) {
            Arrays.sort(unscaled, 0, size);
            int i = 0;
            while (i < size) {
                int j = i;
                while (j < size && unscaled[j] == unscaled[i]) {
                    j++;
                }
                group.accept(BigDecimal.valueOf(unscaled[i], Money.SCALE), (long) (j - i));
                i = j;
            }
            if (large != null) {
                Map<BigDecimal, Long> counts = new TreeMap<>();
                large.forEach(a -> counts.merge(a, 1L, Long::sum));
                counts.forEach(group);
            }
        }
    }
}
