package dev.tally.money;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScaledMoney#fromDouble} against the slow way it stands for: the shortest decimal that converts back
 * to the double, rounded half-even to ten places. {@code Double.toString} is that shortest decimal only from
 * Java 19 (JDK-4511638) and the build runs on 17, so the slow way is {@link ShortestDecimal#slow}'s search by
 * precision over the double's exact value.
 */
class ScaledMoneyFromDoubleTest {
    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
        1_000_000_000, 10_000_000_000L};

    private static BigDecimal slow(double value) {
        return Money.round(ShortestDecimal.slow(value));
    }

    private static void assertAgrees(double value) {
        long fast = ScaledMoney.fromDouble(value);
        if (fast != ScaledMoney.NOT_FAST) {
            assertThat(ScaledMoney.toBigDecimal(fast)).as("%s", value).isEqualByComparingTo(slow(value));
        }
    }

    @Test
    void shouldReadCostsWrittenWithAtMostTenPlaces_fast() {
        SplittableRandom random = new SplittableRandom(20261201);
        int fast = 0;
        for (int i = 0; i < 500_000; i++) {
            int places = random.nextInt(11);
            long digits = random.nextLong(1, 524_288L * POWERS[places]);
            BigDecimal written = BigDecimal.valueOf(random.nextBoolean() ? digits : -digits, places);
            double value = written.doubleValue(); // what a Parquet export stores for it
            long units = ScaledMoney.fromDouble(value);
            if (units != ScaledMoney.NOT_FAST) {
                fast++;
                assertThat(ScaledMoney.toBigDecimal(units)).as("%s", written).isEqualByComparingTo(written);
            } else {
                assertThat(slow(value)).as("%s", written).isEqualByComparingTo(written);
            }
        }
        assertThat(fast).isEqualTo(500_000); // every such amount takes the fast way
    }

    @Test
    void shouldAgreeWithTheShortestDecimal_onAnyDouble() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 500_000; i++) {
            assertAgrees(Double.longBitsToDouble(random.nextLong()));
            assertAgrees(random.nextDouble(-600_000, 600_000));
            assertAgrees(random.nextDouble(-1, 1) * 1e-9);
        }
        for (double edge : new double[] {0.0, -0.0, 1e-10, 5e-11, 4.9999999999e-11, 0.1 + 0.2, 524_287.9999999999,
            524_288.0, -524_288.0, Double.MIN_VALUE, Double.MAX_VALUE}) {
            assertAgrees(edge);
        }
    }

    @Test
    void shouldLeaveWhatIsNotANumberToTheCaller() {
        assertThat(ScaledMoney.fromDouble(Double.NaN)).isEqualTo(ScaledMoney.NOT_FAST);
        assertThat(ScaledMoney.fromDouble(Double.POSITIVE_INFINITY)).isEqualTo(ScaledMoney.NOT_FAST);
        assertThat(ScaledMoney.fromDouble(0.1 + 0.2)).isEqualTo(ScaledMoney.NOT_FAST); // 0.30000000000000004
        assertThat(ScaledMoney.fromDouble(1e6)).isEqualTo(ScaledMoney.NOT_FAST); // beyond the fast range
    }
}
