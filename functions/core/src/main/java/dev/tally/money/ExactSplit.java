package dev.tally.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Splits an amount into parts proportional to weights so that the parts sum to the whole exactly
 * (allocation contract §5).
 *
 * <p>Each part is {@code whole × weight / Σ weights} rounded half-even to ten places; the remainder
 * (whole minus the sum of the rounded parts) is added to the part with the largest weight, ties going
 * to the first key in ascending order. The weights arrive as a {@link SortedMap}, so "first in
 * ascending order" is simply the first of the equal weights met while iterating.
 */
public final class ExactSplit {
    private ExactSplit() {
    }

    /**
     * @param whole   amount to split, at {@link Money#SCALE}
     * @param weights positive weights, keyed and ordered by the split's keys
     * @return one part per key, in key order, summing exactly to {@code whole}
     * @throws IllegalArgumentException if there are no weights or a weight is not positive
     */
    public static <K> Map<K, BigDecimal> split(BigDecimal whole, SortedMap<K, BigDecimal> weights) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("nothing to split over");
        }
        BigDecimal total = BigDecimal.ZERO;
        K largestKey = null;
        BigDecimal largestWeight = null;
        for (Map.Entry<K, BigDecimal> entry : weights.entrySet()) {
            BigDecimal weight = entry.getValue();
            if (weight.signum() <= 0) {
                throw new IllegalArgumentException("weight of " + entry.getKey() + " is not positive: " + weight);
            }
            total = total.add(weight);
            if (largestWeight == null || weight.compareTo(largestWeight) > 0) {
                largestWeight = weight;
                largestKey = entry.getKey();
            }
        }
        Map<K, BigDecimal> parts = new LinkedHashMap<>(weights.size() * 2);
        if (weights.size() == 1) {
            parts.put(largestKey, Money.exact(whole));
            return parts;
        }
        BigDecimal assigned = BigDecimal.ZERO;
        for (Map.Entry<K, BigDecimal> entry : weights.entrySet()) {
            BigDecimal part = whole.multiply(entry.getValue()).divide(total, Money.SCALE, RoundingMode.HALF_EVEN);
            parts.put(entry.getKey(), part);
            assigned = assigned.add(part);
        }
        BigDecimal remainder = whole.subtract(assigned);
        if (remainder.signum() != 0) {
            parts.put(largestKey, parts.get(largestKey).add(remainder));
        }
        return parts;
    }
}
