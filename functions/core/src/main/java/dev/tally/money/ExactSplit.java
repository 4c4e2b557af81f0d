package dev.tally.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Splits an amount into parts proportional to weights so that the parts sum to the whole exactly
 * (allocation contract §5): the one home of the rule, used by both engines.
 *
 * <p>Each part is {@code whole × weight / Σ weights} rounded half-even to ten places (one unit of
 * {@link ScaledMoney}); the remainder (whole minus the sum of the rounded parts) is added to the part
 * with the largest weight, ties going to the first key in ascending order. The caller gives the parts
 * in key order, so "first in ascending order" is simply the first of the equal weights met.
 *
 * <p>Two entry points, one rule:
 * <ul>
 *   <li>{@link #split(long, long[], int, long[])} — the fast engine's: amounts in 10<sup>-10</sup>
 *       units, weights and parts in caller-owned arrays, no object per split, each part exact in 128
 *       bits ({@link ScaledMoney#part});</li>
 *   <li>{@link #split(BigDecimal, SortedMap)} — the reference engine's and the shared charges': brings
 *       the whole to units and the weights to one scale, and runs the same {@code long} code whenever
 *       they fit in a long (every real bill); only beyond that, the same three steps on
 *       {@link BigInteger}.</li>
 * </ul>
 */
public final class ExactSplit {
    private ExactSplit() {
    }

    /**
     * The rule on {@code long} units: splits {@code whole} over {@code weights[0, count)}, given in key
     * order, writing the parts to {@code parts[0, count)}.
     *
     * @param whole   amount in 10<sup>-10</sup> units ({@link ScaledMoney}), not {@link Long#MIN_VALUE}
     * @param weights positive weights in key order; only the first {@code count} are read
     * @param count   how many parts, at least one
     * @param parts   receives one part per weight, summing exactly to {@code whole}; may not be {@code weights}
     * @throws IllegalArgumentException if {@code count} is not positive or a weight is not positive
     * @throws ArithmeticException      if the weights' sum does not fit in a long
     */
    public static void split(long whole, long[] weights, int count, long[] parts) {
        if (count <= 0) {
            throw new IllegalArgumentException("nothing to split over");
        }
        long total = 0;
        int largest = 0;
        for (int i = 0; i < count; i++) {
            long weight = weights[i];
            if (weight <= 0) {
                throw new IllegalArgumentException("weight " + i + " is not positive: " + weight);
            }
            total = Math.addExact(total, weight);
            if (weight > weights[largest]) {
                largest = i;
            }
        }
        long assigned = 0;
        for (int i = 0; i < count; i++) {
            long part = ScaledMoney.part(whole, weights[i], total);
            parts[i] = part;
            assigned += part; // may wrap near the ends of the range; the remainder below is still exact
        }
        // |remainder| ≤ count / 2 units, so whole − assigned is exact modulo 2^64
        parts[largest] = Math.addExact(parts[largest], whole - assigned);
    }

    /**
     * The rule on decimals.
     *
     * @param whole   amount to split, at {@link Money#SCALE} (or fewer) places
     * @param weights positive weights, keyed and ordered by the split's keys
     * @return one part per key, in key order, at {@link Money#SCALE} places, summing exactly to {@code whole}
     * @throws IllegalArgumentException if there are no weights or a weight is not positive
     * @throws ArithmeticException      if {@code whole} has more than {@link Money#SCALE} places
     */
    public static <K> Map<K, BigDecimal> split(BigDecimal whole, SortedMap<K, BigDecimal> weights) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("nothing to split over");
        }
        int count = weights.size();
        Object[] keys = new Object[count];
        BigDecimal[] decimals = new BigDecimal[count];
        int scale = 0;
        int i = 0;
        for (Map.Entry<K, BigDecimal> entry : weights.entrySet()) {
            BigDecimal weight = entry.getValue();
            if (weight.signum() <= 0) {
                throw new IllegalArgumentException("weight of " + entry.getKey() + " is not positive: " + weight);
            }
            keys[i] = entry.getKey();
            decimals[i++] = weight;
            scale = Math.max(scale, weight.scale());
        }
        // Weights at one scale are integers in the same ratios: the split is the same.
        BigInteger wholeUnits = Money.exact(whole).unscaledValue();
        BigInteger[] wide = new BigInteger[count];
        boolean fits = wholeUnits.bitLength() < Long.SIZE;
        for (i = 0; i < count; i++) {
            wide[i] = decimals[i].setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
            fits &= wide[i].bitLength() < Long.SIZE;
        }
        BigInteger[] parts = null;
        if (fits) {
            long[] longWeights = new long[count];
            for (i = 0; i < count; i++) {
                longWeights[i] = wide[i].longValue();
            }
            long[] longParts = new long[count];
            try {
                split(wholeUnits.longValue(), longWeights, count, longParts);
                parts = new BigInteger[count];
                for (i = 0; i < count; i++) {
                    parts[i] = BigInteger.valueOf(longParts[i]);
                }
            } catch (ArithmeticException beyondLong) { // the weights' sum, or Long.MIN_VALUE units
                parts = null;
            }
        }
        if (parts == null) {
            parts = splitWide(wholeUnits, wide);
        }
        Map<K, BigDecimal> result = new LinkedHashMap<>(count * 2);
        for (i = 0; i < count; i++) {
            @SuppressWarnings("unchecked")
            K key = (K) keys[i];
            result.put(key, new BigDecimal(parts[i], Money.SCALE));
        }
        return result;
    }

    /**
     * {@link #split(long, long[], int, long[])}'s steps on {@link BigInteger}, for a whole or weights
     * beyond a long: parts rounded half-even to a unit, remainder to the first of the largest weights.
     */
    private static BigInteger[] splitWide(BigInteger whole, BigInteger[] weights) {
        BigInteger total = BigInteger.ZERO;
        int largest = 0;
        for (int i = 0; i < weights.length; i++) {
            total = total.add(weights[i]);
            if (weights[i].compareTo(weights[largest]) > 0) {
                largest = i;
            }
        }
        BigDecimal divisor = new BigDecimal(total);
        BigInteger[] parts = new BigInteger[weights.length];
        BigInteger assigned = BigInteger.ZERO;
        for (int i = 0; i < weights.length; i++) {
            parts[i] = new BigDecimal(whole.multiply(weights[i])).divide(divisor, 0, RoundingMode.HALF_EVEN)
                    .toBigIntegerExact();
            assigned = assigned.add(parts[i]);
        }
        parts[largest] = parts[largest].add(whole.subtract(assigned));
        return parts;
    }
}
