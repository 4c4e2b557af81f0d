package dev.tally.testkit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants of one billing period as epoch milliseconds, and their text forms (cached per hour). */
final class Times {
    static final long SECOND = 1000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private static final DateTimeFormatter DBR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter ISO_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    enum Style { DBR, ISO, ISO_MS }

    final YearMonth period;
    final long start;
    final long end;
    final int hours;
    private final String[] dbr;
    private final String[] iso;
    private final String[] isoMs;

    Times(YearMonth period) {
        this.period = period;
        this.start = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        this.end = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        this.hours = (int) ((end - start) / HOUR);
        dbr = new String[hours + 1];
        iso = new String[hours + 1];
        isoMs = new String[hours + 1];
        for (int h = 0; h <= hours; h++) {
            LocalDateTime t = local(start + h * HOUR);
            dbr[h] = DBR.format(t);
            iso[h] = ISO.format(t);
            isoMs[h] = ISO_MS.format(t);
        }
    }

    int days() {
        return hours / 24;
    }

    long hourStart(int h) {
        return start + h * HOUR;
    }

    /** Hour index of an instant inside the period. */
    int hourOf(long ms) {
        return (int) Math.floorDiv(ms - start, HOUR);
    }

    String format(long ms, Style style) {
        long off = ms - start;
        if (off >= 0 && ms <= end && off % HOUR == 0) {
            int h = (int) (off / HOUR);
            switch (style) {
                case DBR:
                    return dbr[h];
                case ISO:
                    return iso[h];
                default:
                    return isoMs[h];
            }
        }
        LocalDateTime t = local(ms);
        switch (style) {
            case DBR:
                return DBR.format(t);
            case ISO:
                return ISO.format(t);
            default:
                return ISO_MS.format(t);
        }
    }

    /** ECS-style timestamp with milliseconds. */
    static String isoMs(long ms) {
        return ISO_MS.format(local(ms));
    }

    /** EventBridge envelope / CloudTrail style, whole seconds. */
    static String isoSeconds(long ms) {
        return ISO.format(local(Math.floorDiv(ms, SECOND) * SECOND));
    }

    static LocalDateTime local(long ms) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
    }
}
