package dev.tally.money;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {
    @Test
    void shouldParseToTenPlaces() {
        assertThat(Money.parse("0.013").toPlainString()).isEqualTo("0.0130000000");
        assertThat(Money.parse(" -1.5 ").toPlainString()).isEqualTo("-1.5000000000");
        assertThat(Money.parse("1.2E-5").toPlainString()).isEqualTo("0.0000120000");
        assertThat(Money.parse("0.0000000001").toPlainString()).isEqualTo("0.0000000001");
    }

    @Test
    void shouldRoundMoreThanTenPlacesHalfEven_andRejectNonNumbers() {
        assertThat(Money.parse("0.00000000004").toPlainString()).isEqualTo("0.0000000000");
        assertThat(Money.parse("0.00000000005").toPlainString()).isEqualTo("0.0000000000");
        assertThat(Money.parse("0.00000000015").toPlainString()).isEqualTo("0.0000000002");
        assertThat(Money.parse("0.000000000051").toPlainString()).isEqualTo("0.0000000001");
        assertThat(Money.parse("-2.61000000005").toPlainString()).isEqualTo("-2.6100000000");
        assertThat(Money.parse("4.999E-11").toPlainString()).isEqualTo("0.0000000000");
        assertThat(Money.parseAsWritten("4.999E-11")).isEqualByComparingTo("0.00000000004999");
        assertThatThrownBy(() -> Money.parse("")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Money.parse("1,5")).isInstanceOf(NumberFormatException.class)
                .hasMessage("not a decimal number");
        assertThatThrownBy(() -> Money.parse("NaN")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void shouldRefuseAmountsOutOfRange_withoutComputingThem() {
        assertThatThrownBy(() -> Money.parse("1E999999999")).isInstanceOf(Money.OutOfRange.class);
        assertThatThrownBy(() -> Money.parse("1E-999999999")).isInstanceOf(Money.OutOfRange.class);
        assertThat(Money.parse("123456789012345678901234567890.5").toPlainString())
                .isEqualTo("123456789012345678901234567890.5000000000");
    }

    @Test
    void shouldFormatPlainWithoutExponent() {
        assertThat(Money.format(Money.parse("1E+3"))).isEqualTo("1000.0000000000");
        assertThat(Money.format(Money.parse("0"))).isEqualTo("0.0000000000");
    }
}
