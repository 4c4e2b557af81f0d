package dev.tally.billing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2017-02-01 00:15:00        | 2017-02-01T00:15:00Z",
        "2017-02-01T00:15:00Z       | 2017-02-01T00:15:00Z",
        "2017-02-01T00:15:00.000Z   | 2017-02-01T00:15:00Z",
        "2016-12-06T16:41:06.8Z     | 2016-12-06T16:41:06.800Z",
        "2017-02-01T01:15:00+01:00  | 2017-02-01T00:15:00Z",
        "2017-02-01T00:15:00.123456789Z | 2017-02-01T00:15:00.123Z",
        "2017-02-01                 | 2017-02-01T00:00:00Z",
        "2017-02-01T00:15Z          | 2017-02-01T00:15:00Z",
    })
    void shouldReadEveryFormTheBillsAndEventsUse(String text, String expected) {
        assertThat(Timestamps.parseMillis(text)).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2017-13-01 00:00:00", "2017-02-01 25:00:00", "1486000000"})
    void shouldRejectWhatIsNotAnInstant(String text) {
        assertThatThrownBy(() -> Timestamps.parseMillis(text)).isInstanceOf(DateTimeParseException.class);
    }
}
