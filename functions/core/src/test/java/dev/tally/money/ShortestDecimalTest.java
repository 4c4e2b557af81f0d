package dev.tally.money;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ShortestDecimal} against BigDecimal: it converts back, and no decimal with fewer digits does. */
class ShortestDecimalTest {

    /** The property itself, checked the slow way: exact, and one digit fewer (either direction) does not convert back. */
    private static void assertShortest(double value) {
        BigDecimal shortest = ShortestDecimal.of(value);
        String text = ShortestDecimal.text(value);
        assertThat(new BigDecimal(text)).as("text of %s", value).isEqualByComparingTo(shortest);
        assertThat(text).as("plain text of %s", value).doesNotContain("E").doesNotEndWith(".");
        assertThat(Double.parseDouble(text)).as("%s converts back", text).isEqualTo(value == 0 ? 0.0 : value);
        byte[] b = new byte[ShortestDecimal.MAX_TEXT];
        int n = ShortestDecimal.write(value, b, 0);
        assertThat(new String(b, 0, n, StandardCharsets.US_ASCII)).isEqualTo(text);
        int precision = shortest.signum() == 0 ? 1 : shortest.precision();
        if (precision > 1) {
            BigDecimal exact = new BigDecimal(value);
            MathContext fewer = new MathContext(precision - 1, RoundingMode.FLOOR);
            MathContext fewerUp = new MathContext(precision - 1, RoundingMode.CEILING);
            assertThat(exact.round(fewer).doubleValue()).as("%s with fewer digits (down)", value).isNotEqualTo(value);
            assertThat(exact.round(fewerUp).doubleValue()).as("%s with fewer digits (up)", value).isNotEqualTo(value);
        }
    }

    @Test
    void shouldFindTheShortestDecimal_ofRandomDoublesOfEveryMagnitude() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value) && Math.abs(value) < 1e30 && Math.abs(value) > 1e-30) {
                assertShortest(value);
            }
        }
    }

    @Test
    void shouldGiveBackTheDecimalWritten_whenItHasAtMostFifteenDigits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            int places = random.nextInt(13);
            long digits = random.nextLong(1, 999_999_999_999_999L);
            BigDecimal written = BigDecimal.valueOf(random.nextBoolean() ? digits : -digits, places);
            double value = written.doubleValue(); // what a Parquet export stores for it
            assertThat(ShortestDecimal.of(value)).as("%s", written).isEqualByComparingTo(written);
            assertShortest(value);
        }
    }

    @Test
    void shouldWriteSmallAndLargeAmountsPlain() {
        assertThat(ShortestDecimal.text(4.999E-11)).isEqualTo("0.00000000004999");
        assertThat(ShortestDecimal.text(0.1)).isEqualTo("0.1");
        assertThat(ShortestDecimal.text(-1234.5)).isEqualTo("-1234.5");
        assertThat(ShortestDecimal.text(1e21)).isEqualTo("1000000000000000000000");
        assertThat(ShortestDecimal.text(0.0)).isEqualTo("0");
        assertThat(ShortestDecimal.text(-0.0)).isEqualTo("0");
        assertThat(ShortestDecimal.text(2e-3)).isEqualTo("0.002");
        assertThat(ShortestDecimal.text(Double.NaN)).isEqualTo("NaN");
        assertShortest(Double.MIN_VALUE);
        assertShortest(Double.MAX_VALUE);
        assertShortest(5e-324 * 3);
    }
}
