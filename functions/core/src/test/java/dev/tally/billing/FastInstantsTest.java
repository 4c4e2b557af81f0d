package dev.tally.billing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class FastInstantsTest {
    private static long fast(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return FastInstants.parse(b, 0, b.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2017-02-01 00:00:00", "2017-02-01T00:00:00Z", "2017-02-01T00:00:00.000Z",
        "2017-02-01", "2016-02-29 23:59:59", "1970-01-01T00:00:00Z", "2024-12-31T23:59:59.999Z", " 2017-02-01 01:00:00 ",
        "2000-02-29T12:00:00Z", "1969-12-31 23:59:59"})
    void shouldAgreeWithTheSlowParser(String text) {
        assertThat(fast(text)).isEqualTo(Timestamps.parseMillis(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2017-02-30 00:00:00", "2017-13-01", "2017-02-01 24:00:00", "2017-02-01T00:00:00+01:00",
        "2017-02-01T00:00", "20170201", "2017/02/01", "1900-02-29", "2017-02-01T00:00:00.5Z", "x"})
    void shouldLeaveOtherFormsToTheSlowParser(String text) {
        assertThat(fast(text)).isEqualTo(FastInstants.NOT_FAST);
    }

    @Test
    void shouldAgreeOnManyRandomInstants() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L));
            String iso = instant.toString();
            String text = iso.length() == 24 ? iso : iso.replace("Z", "") .substring(0, 19) + "Z";
            assertThat(fast(text)).as(text).isEqualTo(Timestamps.parseMillis(text));
        }
    }
}
