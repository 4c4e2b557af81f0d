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
    void shouldRejectMoreThanTenPlacesAndNonNumbers() {
        assertThatThrownBy(() -> Money.parse("0.00000000001")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Money.parse("")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Money.parse("1,5")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Money.parse("NaN")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void shouldFormatPlainWithoutExponent() {
        assertThat(Money.format(Money.parse("1E+3"))).isEqualTo("1000.0000000000");
        assertThat(Money.format(Money.parse("0"))).isEqualTo("0.0000000000");
    }
}
