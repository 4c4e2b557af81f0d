package dev.tally.money;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ExactSplitTest {

    private static SortedMap<String, BigDecimal> weights(Object... keyValues) {
        SortedMap<String, BigDecimal> map = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], new BigDecimal(keyValues[i + 1].toString()));
        }
        return map;
    }

    private static BigDecimal money(String value) {
        return Money.parse(value);
    }

    @Test
    void shouldGiveRemainderToFirstKey_whenWeightsTie() {
        Map<String, BigDecimal> parts = ExactSplit.split(money("7"), weights("b", 1, "a", 1, "c", 1));

        assertThat(parts).containsExactly(
                entry("a", money("2.3333333334")),
                entry("b", money("2.3333333333")),
                entry("c", money("2.3333333333")));
    }

    @Test
    void shouldGiveRemainderToLargestWeight() {
        // The contract's worked example, row 5: 7.00 over 0.62 / 0.68 / 0.10 / 2.00.
        Map<String, BigDecimal> parts = ExactSplit.split(money("7.00"),
                weights("alpha", "0.62", "unmapped", "0.68", "unallocated", "0.10", "web", "2.00"));

        assertThat(parts).containsEntry("alpha", money("1.2764705882"))
                .containsEntry("unmapped", money("1.4000000000"))
                .containsEntry("unallocated", money("0.2058823529"))
                .containsEntry("web", money("4.1176470589"));
    }

    @Test
    void shouldRoundHalfEven_beforePlacingRemainder() {
        // Each exact half is 0.00000000005: half-even rounds both down to 0, the remainder goes to "a".
        Map<String, BigDecimal> parts = ExactSplit.split(money("0.0000000001"), weights("a", 1, "b", 1));

        assertThat(parts).containsExactly(entry("a", money("0.0000000001")), entry("b", money("0")));
    }

    @Test
    void shouldSplitNegativeAmountsTheSameWay() {
        Map<String, BigDecimal> parts = ExactSplit.split(money("-7"), weights("a", 1, "b", 1, "c", 1));

        assertThat(parts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("-7");
        assertThat(parts).containsEntry("a", money("-2.3333333334"));
    }

    @Test
    void shouldAlwaysSumToWhole_forAwkwardWeights() {
        SortedMap<String, BigDecimal> w = weights("a", 3, "b", 7, "c", 11, "d", 13, "e", 17);
        for (String amount : new String[] {"0.0000000007", "1", "123456.7890123456", "-0.0300000001", "0"}) {
            BigDecimal sum = ExactSplit.split(money(amount), w).values().stream()
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as(amount).isEqualByComparingTo(amount);
        }
    }

    @Test
    void shouldRejectNonPositiveWeights() {
        assertThatThrownBy(() -> ExactSplit.split(money("1"), weights("a", 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactSplit.split(money("1"), new TreeMap<String, BigDecimal>()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
