package dev.tally.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Writes event lines: duplicates, bounded-window shuffling and malformed lines, with counts. */
final class EventSink implements Closeable {
    private static final String[] PLAIN_TEXT = {"Task timed out after 3.00 seconds",
        "<html><body><h1>502 Bad Gateway</h1></body></html>", "null,", "{\"version\":\"0\",\"id\":"};

    private final Writer out;
    private final EventOptions options;
    private final SplittableRandom dupRng;
    private final SplittableRandom shuffleRng;
    private final SplittableRandom malformedRng;
    private final String[] window;
    private int windowSize;
    private String last;

    long written;
    long duplicates;
    long malformed;
    long noise;
    final SortedMap<String, Long> byType = new TreeMap<>();

    EventSink(Writer out, EventOptions options, SplittableRandom dupRng, SplittableRandom shuffleRng,
              SplittableRandom malformedRng) {
        this.out = out;
        this.options = options;
        this.dupRng = dupRng;
        this.shuffleRng = shuffleRng;
        this.malformedRng = malformedRng;
        this.window = options.shuffle() ? new String[options.shuffleWindow()] : null;
    }

    void emit(String json, String type, boolean isNoise) throws IOException {
        byType.merge(type, 1L, Long::sum);
        if (isNoise) {
            noise++;
        }
        last = json;
        put(json);
        if (options.duplicateRate() > 0 && dupRng.nextDouble() < options.duplicateRate()) {
            duplicates++;
            put(json);
        }
    }

    /** One line that is not valid JSON, made from the last event when there is one. */
    void emitMalformed() throws IOException {
        malformed++;
        int kind = last == null ? 2 : malformedRng.nextInt(3);
        String line;
        switch (kind) {
            case 0: {
                int cut = 10 + malformedRng.nextInt(Math.max(1, last.length() - 20));
                line = last.substring(0, cut);
                break;
            }
            case 1:
                // trailing commas, as in the EBS notification sample in the AWS docs
                line = last.substring(0, last.length() - 2) + ",},";
                break;
            default:
                line = PLAIN_TEXT[malformedRng.nextInt(PLAIN_TEXT.length)];
        }
        put(line);
    }

    private void put(String line) throws IOException {
        if (window == null) {
            write(line);
        } else if (windowSize < window.length) {
            window[windowSize++] = line;
        } else {
            int i = shuffleRng.nextInt(window.length);
            write(window[i]);
            window[i] = line;
        }
    }

    private void write(String line) throws IOException {
        out.write(line);
        out.write('\n');
        written++;
    }

    @Override
    public void close() throws IOException {
        if (window != null) {
            for (int n = windowSize; n > 0; n--) {
                int i = shuffleRng.nextInt(n);
                write(window[i]);
                window[i] = window[n - 1];
            }
            windowSize = 0;
        }
        out.close();
    }
}
