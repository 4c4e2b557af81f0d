package dev.tally.money;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ScaledMoneyTest {
    private static long parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ScaledMoney.parse(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.0960000000", "-3.5", "1.25", "12345678.9", " 7 ", "+2.5", ".5", "5.",
        "-0.0000000001", "99999999.9999999999"})
    void shouldParseTheFastFormExactlyAsTheSlowParser(String text) {
        assertThat(ScaledMoney.toBigDecimal(parse(text))).isEqualTo(Money.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", ".", "1e5", "1.2E-5", "0.00000000001", "1,5", "NaN", "1.2.3",
        "1234567890123456789", "999999999.9999999999"})
    void shouldLeaveEverythingElseToTheSlowParser(String text) {
        assertThat(parse(text)).isEqualTo(ScaledMoney.NOT_FAST);
    }

    private static long slowPart(long amount, long weight, long total) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(weight))
                .divide(BigDecimal.valueOf(total), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    @Test
    void shouldRoundHalfEven_onExactHalves() {
        assertThat(ScaledMoney.part(1, 1, 2)).isZero();
        assertThat(ScaledMoney.part(3, 1, 2)).isEqualTo(2);
        assertThat(ScaledMoney.part(-3, 1, 2)).isEqualTo(-2);
        assertThat(ScaledMoney.part(5, 1, 2)).isEqualTo(2);
        assertThat(ScaledMoney.part(7, 1, 3)).isEqualTo(2);
    }

    @RepeatedTest(20)
    void shouldEqualBigDecimal_forLargeOperandsNeeding128Bits() {
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < 20_000; i++) {
            long amount = random.nextLong(-4_000_000_000_000_000_000L, 4_000_000_000_000_000_000L) >> random.nextInt(60);
            long total = Math.max(1, random.nextLong(Long.MAX_VALUE) >> random.nextInt(62));
            long weight = random.nextLong(total + 1 > 0 ? total + 1 : total);
            assertThat(ScaledMoney.part(amount, weight, total)).as("%d × %d / %d", amount, weight, total)
                    .isEqualTo(slowPart(amount, weight, total));
        }
    }

    @RepeatedTest(5)
    void shouldEqualBigDecimal_forWeightsSharingPowersOfTwo() {
        // CPU weights: milliseconds × CPU units, so weight and total share large powers of two; exact
        // halves (ties) are common and must still round half-even
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < 20_000; i++) {
            long amount = random.nextLong(-2_000_000_000_000L, 2_000_000_000_000L);
            int shift = random.nextInt(40);
            long total = Math.max(1, random.nextLong(1L << Math.min(62 - shift, 30))) << shift;
            long weight = random.nextBoolean() ? total / 2 : (random.nextLong((total >> shift) + 1) << shift);
            assertThat(ScaledMoney.part(amount, weight, total)).as("%d × %d / %d", amount, weight, total)
                    .isEqualTo(slowPart(amount, weight, total));
        }
        assertThat(ScaledMoney.part(3, 1L << 40, 1L << 41)).isEqualTo(2);
        assertThat(ScaledMoney.part(5, 1L << 40, 1L << 41)).isEqualTo(2);
        assertThat(ScaledMoney.part(-7, 3L << 50, 1L << 52)).isEqualTo(-5);
    }

    @Test
    void shouldDivide128BitNumbers() {
        BigInteger n = BigInteger.valueOf(123_456_789_012_345L).multiply(BigInteger.valueOf(987_654_321_098L));
        long divisor = 998_877_665_544L;
        long[] qr = ScaledMoney.divide128(n.shiftRight(64).longValue(), n.longValue(), divisor);

        BigInteger[] expected = n.divideAndRemainder(BigInteger.valueOf(divisor));
        assertThat(qr[0]).isEqualTo(expected[0].longValueExact());
        assertThat(qr[1]).isEqualTo(expected[1].longValueExact());
    }
}
