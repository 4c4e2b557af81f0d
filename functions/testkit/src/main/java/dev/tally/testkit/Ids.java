package dev.tally.testkit;

import java.util.SplittableRandom;

/** Random identifiers in AWS shapes, drawn from a given random stream. */
final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Ids() {
    }

    static String hex(SplittableRandom r, int n) {
        char[] c = new char[n];
        long bits = 0;
        for (int i = 0; i < n; i++) {
            if (i % 16 == 0) {
                bits = r.nextLong();
            }
            c[i] = HEX[(int) (bits & 15)];
            bits >>>= 4;
        }
        return new String(c);
    }

    /** {@code i-0123456789abcdef0}: "i-" + 17 hex digits (modern ids start with 0). */
    static String instanceId(SplittableRandom r) {
        return "i-0" + hex(r, 16);
    }

    static String volumeId(SplittableRandom r) {
        return "vol-0" + hex(r, 16);
    }

    static String uuid(SplittableRandom r) {
        String h = hex(r, 32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-"
                + HEX[8 + (int) (r.nextLong() & 3)] + h.substring(17, 20) + "-" + h.substring(20, 32);
    }

    /** CUR identity/LineItemId: 52 lower-case base32 characters. */
    static String lineItemId(SplittableRandom r) {
        char[] c = new char[52];
        long bits = 0;
        for (int i = 0; i < 52; i++) {
            if (i % 12 == 0) {
                bits = r.nextLong();
            }
            c[i] = BASE32[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(c);
    }

    static String digits(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        sb.append((char) ('1' + r.nextInt(9)));
        for (int i = 1; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }
}
