package dev.tally.billing;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Instants as the bills and events write them, read as UTC epoch milliseconds.
 *
 * <p>Accepted: {@code 2017-02-01 00:00:00} (DBR), {@code 2017-02-01T00:00:00Z} (CUR, FOCUS),
 * {@code 2017-02-01T00:00:00.000Z} (CUR 2.0), fractions of any length ({@code 16:41:06.8Z} in
 * ECS events), offsets ({@code +00:00}), a bare date, and CUR's {@code 2017-02-01T00:00:00Z/2017-...}
 * interval is not accepted here (callers pick the column). A time without zone is UTC.
 */
public final class Timestamps {
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /**
     * @return UTC epoch milliseconds (sub-millisecond digits are truncated)
     * @throws DateTimeParseException if the text is not one of the accepted forms
     */
    public static long parseMillis(String text) {
        long fast = FastInstants.parse(text);
        if (fast != FastInstants.NOT_FAST) {
            return fast;
        }
        String s = text.trim();
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        var parsed = LOCAL.parse(s);
        LocalDateTime local = LocalDateTime.from(parsed);
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)))
                    .toInstant().toEpochMilli();
        }
        return local.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
