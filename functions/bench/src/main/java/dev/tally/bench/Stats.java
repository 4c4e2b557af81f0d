package dev.tally.bench;

import java.util.List;

/** Best (smallest) and median of a run's measurements. */
record Stats(long best, double median, int n) {
    static final Stats NONE = new Stats(-1, -1, 0);

    /** Over the non-negative values (negative means not measured); {@link #NONE} if there are none. */
    static Stats of(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) {
            return NONE;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
        return new Stats(v[0], median, v.length);
    }

    boolean measured() {
        return n > 0;
    }

    static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    @Override
    public String toString() {
        return measured() ? "best " + best + ", median " + median + " of " + n : "not measured";
    }
}
