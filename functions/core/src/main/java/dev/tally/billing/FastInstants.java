package dev.tally.billing;

/**
 * Reads the timestamps bills write most — {@code 2017-02-01 00:00:00}, {@code 2017-02-01T00:00:00Z},
 * {@code 2017-02-01T00:00:00.000Z}, {@code 2017-02-01} — straight from bytes, with no objects;
 * everything else is left to {@link Timestamps} (the caller parses the text slowly), so both paths
 * accept and reject exactly the same text.
 */
final class FastInstants {
    static final long NOT_FAST = Long.MIN_VALUE;
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private FastInstants() {
    }

    /** The same for text (ASCII forms only). */
    static long parse(String text) {
        int length = text.length();
        if (length > 40) {
            return NOT_FAST;
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0x7F) {
                return NOT_FAST;
            }
            bytes[i] = (byte) c;
        }
        return parse(bytes, 0, length);
    }

    /** UTC epoch millis, or {@link #NOT_FAST}. */
    static long parse(byte[] b, int from, int to) {
        while (from < to && b[from] <= ' ') {
            from++;
        }
        while (to > from && b[to - 1] <= ' ') {
            to--;
        }
        int length = to - from;
        if (length != 10 && length != 19 && length != 20 && length != 24) {
            return NOT_FAST;
        }
        if (b[from + 4] != '-' || b[from + 7] != '-') {
            return NOT_FAST;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return NOT_FAST;
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        int millis = 0;
        if (length > 10) {
            byte separator = b[from + 10];
            if ((separator != ' ' && separator != 'T') || b[from + 13] != ':' || b[from + 16] != ':') {
                return NOT_FAST;
            }
            hour = digits(b, from + 11, 2);
            minute = digits(b, from + 14, 2);
            second = digits(b, from + 17, 2);
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return NOT_FAST;
            }
            if (length == 20 && b[from + 19] != 'Z') {
                return NOT_FAST;
            }
            if (length == 24) {
                if (b[from + 19] != '.' || b[from + 23] != 'Z') {
                    return NOT_FAST;
                }
                millis = digits(b, from + 20, 3);
                if (millis < 0) {
                    return NOT_FAST;
                }
            }
        }
        return epochMillis(year, month, day, hour, minute, second, millis);
    }

    private static int digits(byte[] b, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static boolean leap(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static long epochMillis(int year, int month, int day, int hour, int minute, int second, int millis) {
        long y = year - 1;
        long days = 365L * y + y / 4 - y / 100 + y / 400 - 719_162L // days from 0001-01-01 to 1970-01-01
                + DAYS_BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1 : 0) + day - 1;
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }
}
