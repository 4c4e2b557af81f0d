package dev.tally.testkit;

/**
 * How "dirty" the events file is. All of it is reproducible from the seed, and the dirt is drawn
 * from random streams of its own: switching an option on or off never changes the bill, and the
 * set of clean events stays the same (shuffling only changes the order).
 *
 * @param duplicateRate   probability that an event line is delivered twice (same id, same bytes)
 * @param shuffle         deliver out of order: lines pass through a buffer of {@code shuffleWindow}
 *                        lines from which a random one is written next (bounded memory, and some
 *                        events end up far from their neighbours)
 * @param shuffleWindow   size of that buffer (ignored unless {@code shuffle})
 * @param malformedEvents exact number of lines that are not valid JSON (truncated lines, trailing
 *                        commas, plain text)
 * @param noiseRate       probability, per relevant event, of an extra event the history must ignore
 *                        (other detail-types, EC2 states other than terminated, other CloudTrail calls);
 *                        when &gt; 0 the instances' pending/running/shutting-down notifications are
 *                        written too (also counted as noise)
 * @param gzip            write {@code events.jsonl.gz} instead of {@code events.jsonl}
 */
public record EventOptions(double duplicateRate, boolean shuffle, int shuffleWindow, int malformedEvents,
                           double noiseRate, boolean gzip) {

    public static final int DEFAULT_SHUFFLE_WINDOW = 2048;

    public EventOptions {
        if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
            throw new IllegalArgumentException("duplicateRate must be in [0, 1]: " + duplicateRate);
        }
        if (!(noiseRate >= 0 && noiseRate <= 1)) {
            throw new IllegalArgumentException("noiseRate must be in [0, 1]: " + noiseRate);
        }
        if (malformedEvents < 0) {
            throw new IllegalArgumentException("malformedEvents must be >= 0: " + malformedEvents);
        }
        if (shuffleWindow < 1) {
            throw new IllegalArgumentException("shuffleWindow must be >= 1: " + shuffleWindow);
        }
    }

    /** In time order, no duplicates, no noise, nothing malformed. */
    public static EventOptions clean() {
        return new EventOptions(0, false, DEFAULT_SHUFFLE_WINDOW, 0, 0, false);
    }

    /** What a real event log looks like: 1% duplicates, shuffled, 2% noise, 3 malformed lines. */
    public static EventOptions messy() {
        return new EventOptions(0.01, true, DEFAULT_SHUFFLE_WINDOW, 3, 0.02, false);
    }

    public EventOptions withDuplicateRate(double rate) {
        return new EventOptions(rate, shuffle, shuffleWindow, malformedEvents, noiseRate, gzip);
    }

    public EventOptions withShuffle(boolean on) {
        return new EventOptions(duplicateRate, on, shuffleWindow, malformedEvents, noiseRate, gzip);
    }

    public EventOptions withShuffleWindow(int window) {
        return new EventOptions(duplicateRate, shuffle, window, malformedEvents, noiseRate, gzip);
    }

    public EventOptions withMalformedEvents(int count) {
        return new EventOptions(duplicateRate, shuffle, shuffleWindow, count, noiseRate, gzip);
    }

    public EventOptions withNoiseRate(double rate) {
        return new EventOptions(duplicateRate, shuffle, shuffleWindow, malformedEvents, rate, gzip);
    }

    public EventOptions withGzip(boolean on) {
        return new EventOptions(duplicateRate, shuffle, shuffleWindow, malformedEvents, noiseRate, on);
    }

    /** @return the events file name */
    public String fileName() {
        return gzip ? "events.jsonl.gz" : "events.jsonl";
    }
}
