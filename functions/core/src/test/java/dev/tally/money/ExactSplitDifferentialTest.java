package dev.tally.money;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The §5 rule through both of {@link ExactSplit}'s entry points — {@code long} units (the fast engine)
 * and decimals (the reference engine, shared charges) — on random amounts and weights, held to each
 * other and to the contract's text written out here with {@link BigDecimal} arithmetic.
 */
class ExactSplitDifferentialTest {
    private static final int CASES = 20_000;

    @Test
    void shouldGiveTheSameParts_throughBothEntryPoints_asTheContractSays() {
        SplittableRandom random = new SplittableRandom(20261201L);
        for (int c = 0; c < CASES; c++) {
            long whole = amount(random);
            long[] weights = weights(random, 1 + random.nextInt(random.nextInt(4) == 0 ? 40 : 6));
            String what = describe(whole, weights);

            long[] fast = new long[weights.length];
            ExactSplit.split(whole, weights.clone(), weights.length, fast);
            List<BigDecimal> decimal = new ArrayList<>(ExactSplit.split(ScaledMoney.toBigDecimal(whole),
                    keyed(weights)).values());
            List<BigDecimal> contract = contract(ScaledMoney.toBigDecimal(whole), decimals(weights));

            assertThat(decimal).as(what).isEqualTo(contract);
            assertThat(asDecimals(fast)).as(what).isEqualTo(contract);
        }
    }

    @Test
    void shouldOrderByKey_notByInsertion() {
        SplittableRandom random = new SplittableRandom(7);
        for (int c = 0; c < CASES / 4; c++) {
            int n = 2 + random.nextInt(8);
            SortedMap<String, BigDecimal> byKey = new TreeMap<>();
            while (byKey.size() < n) {
                byKey.put(Integer.toString(random.nextInt(1000), 36), BigDecimal.valueOf(1 + random.nextInt(3)));
            }
            long whole = amount(random);
            long[] weights = byKey.values().stream().mapToLong(BigDecimal::longValueExact).toArray();
            long[] fast = new long[n];
            ExactSplit.split(whole, weights, n, fast);

            Map<String, BigDecimal> decimal = ExactSplit.split(ScaledMoney.toBigDecimal(whole), byKey);

            assertThat(decimal.keySet()).containsExactlyElementsOf(byKey.keySet());
            assertThat(new ArrayList<>(decimal.values())).as(describe(whole, weights)).isEqualTo(asDecimals(fast));
        }
    }

    @Test
    void shouldSplitBeyondALong_asTheContractSays() {
        SplittableRandom random = new SplittableRandom(42);
        for (int c = 0; c < CASES / 4; c++) {
            // up to 30 integer digits (the largest amount a bill may carry) and weights up to 10^25
            BigDecimal whole = new BigDecimal(new BigInteger(133, new java.util.Random(random.nextLong()))
                    .subtract(BigInteger.ONE.shiftLeft(132)), Money.SCALE);
            int n = 1 + random.nextInt(6);
            List<BigDecimal> weights = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                weights.add(random.nextBoolean()
                        ? new BigDecimal(new BigInteger(84, new java.util.Random(random.nextLong())).add(BigInteger.ONE))
                        : BigDecimal.valueOf(1 + random.nextInt(3)));
            }
            SortedMap<Integer, BigDecimal> keyed = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                keyed.put(i, weights.get(i));
            }

            assertThat(new ArrayList<>(ExactSplit.split(whole, keyed).values())).as(whole + " over " + weights)
                    .isEqualTo(contract(whole, weights));
        }
    }

    @Test
    void shouldGiveTheSameParts_whenWeightsAreScaled_beyondALong() {
        // Weights in the same ratios split alike: the decimal entry point's wide path agrees with the long one.
        SplittableRandom random = new SplittableRandom(3);
        BigDecimal scale = BigDecimal.TEN.pow(20);
        for (int c = 0; c < CASES / 4; c++) {
            long whole = amount(random);
            long[] weights = weights(random, 1 + random.nextInt(6));
            long[] fast = new long[weights.length];
            ExactSplit.split(whole, weights, weights.length, fast);

            SortedMap<Integer, BigDecimal> scaled = new TreeMap<>();
            for (int i = 0; i < weights.length; i++) {
                scaled.put(i, BigDecimal.valueOf(weights[i]).multiply(scale));
            }

            assertThat(new ArrayList<>(ExactSplit.split(ScaledMoney.toBigDecimal(whole), scaled).values()))
                    .as(describe(whole, weights)).isEqualTo(asDecimals(fast));
        }
    }

    @Test
    void shouldSplitWeightsWhoseSumIsBeyondALong_throughTheDecimalEntryPoint() {
        long[] weights = {Long.MAX_VALUE, Long.MAX_VALUE - 1, 3};
        long whole = 1_000_000_000_000_000_007L;

        assertThatThrownBy(() -> ExactSplit.split(whole, weights, 3, new long[3]))
                .isInstanceOf(ArithmeticException.class);
        assertThat(new ArrayList<>(ExactSplit.split(ScaledMoney.toBigDecimal(whole), keyed(weights)).values()))
                .isEqualTo(contract(ScaledMoney.toBigDecimal(whole), decimals(weights)));
    }

    @Test
    void shouldRejectZeroAndNegativeWeights_throughBothEntryPoints() {
        for (long[] weights : new long[][] {{1, 0, 2}, {0}, {3, -1}}) {
            assertThatThrownBy(() -> ExactSplit.split(5, weights, weights.length, new long[weights.length]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ExactSplit.split(ScaledMoney.toBigDecimal(5), keyed(weights)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ExactSplit.split(5, new long[0], 0, new long[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadOnlyTheFirstCountWeights() {
        long[] parts = {9, 9, 9, 9};
        ExactSplit.split(70, new long[] {1, 1, 1, 1000}, 3, parts);

        assertThat(parts).containsExactly(24, 23, 23, 9);
    }

    /** §5 as written: each part rounded half-even to ten places, the remainder to the first largest weight. */
    private static List<BigDecimal> contract(BigDecimal whole, List<BigDecimal> weights) {
        BigDecimal total = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        List<BigDecimal> parts = new ArrayList<>();
        int largest = 0;
        for (int i = 0; i < weights.size(); i++) {
            parts.add(whole.multiply(weights.get(i)).divide(total, Money.SCALE, RoundingMode.HALF_EVEN));
            if (weights.get(i).compareTo(weights.get(largest)) > 0) {
                largest = i;
            }
        }
        BigDecimal remainder = whole.subtract(parts.stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        parts.set(largest, Money.exact(parts.get(largest).add(remainder)));
        return parts;
    }

    /** Amounts in units: small (ties at exact halves), money-sized, near the ends of the fast range, negative. */
    private static long amount(SplittableRandom random) {
        long magnitude = switch (random.nextInt(6)) {
            case 0 -> random.nextLong(100);
            case 1 -> random.nextLong(10_000_000_000_000L); // up to 1000.00
            case 2 -> random.nextLong(1_000_000_000_000_000_000L); // the parser's 18 digits
            case 3 -> Long.MAX_VALUE - random.nextLong(100);
            case 4 -> random.nextLong(Long.MAX_VALUE);
            default -> 0;
        };
        return random.nextBoolean() ? -magnitude : magnitude;
    }

    /** Positive weights: small ones that tie, powers of two (the rounding's shift), CPU-sized, huge. */
    private static long[] weights(SplittableRandom random, int n) {
        int kind = random.nextInt(5);
        long[] weights = new long[n];
        for (int i = 0; i < n; i++) {
            weights[i] = switch (kind) {
                case 0 -> 1 + random.nextInt(3);
                case 1 -> 1L << random.nextInt(50);
                case 2 -> (1 + random.nextLong(3_600_000L)) * (1L << (1 + random.nextInt(12)));
                case 3 -> 1 + random.nextLong(Long.MAX_VALUE / 64);
                default -> random.nextBoolean() ? 1 + random.nextLong(1000) : (1 + random.nextInt(3)) * 1_000_000_000L;
            };
        }
        return weights;
    }

    private static SortedMap<Integer, BigDecimal> keyed(long[] weights) {
        SortedMap<Integer, BigDecimal> keyed = new TreeMap<>();
        for (int i = 0; i < weights.length; i++) {
            keyed.put(i, BigDecimal.valueOf(weights[i]));
        }
        return keyed;
    }

    private static List<BigDecimal> decimals(long[] weights) {
        List<BigDecimal> list = new ArrayList<>();
        for (long w : weights) {
            list.add(BigDecimal.valueOf(w));
        }
        return list;
    }

    private static List<BigDecimal> asDecimals(long[] units) {
        List<BigDecimal> list = new ArrayList<>();
        for (long u : units) {
            list.add(ScaledMoney.toBigDecimal(u));
        }
        return list;
    }

    private static String describe(long whole, long[] weights) {
        return whole + " units over " + java.util.Arrays.toString(weights);
    }
}
