package dev.tally.testkit;

import java.util.List;
import java.util.SplittableRandom;

/** The random draws the simulation's parts share (each takes the stream it draws from). */
final class Draw {
    private Draw() {
    }

    static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    /** Uniform in {@code [lo, hi)}; {@code lo} (and no draw) when the range is empty. */
    static long uniform(SplittableRandom r, long lo, long hi) {
        return hi <= lo ? lo : r.nextLong(lo, hi);
    }

    static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** Exponentially distributed with the given mean. */
    static double expo(SplittableRandom r, double mean) {
        return -Math.log(1 - r.nextDouble()) * mean;
    }
}
