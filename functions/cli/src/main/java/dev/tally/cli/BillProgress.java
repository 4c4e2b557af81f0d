package dev.tally.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/**
 * Progress of a long read on stderr: a progress bar on a terminal, else a plain line every few
 * seconds (so logs of a batch job show it is alive), or nothing when switched off.
 */
final class BillProgress implements LongConsumer, AutoCloseable {
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final ProgressBar bar;
    private final PrintWriter log;
    private final long size;
    private final long started = System.nanoTime();
    private long lastLog = started;

    private BillProgress(ProgressBar bar, PrintWriter log, long size) {
        this.bar = bar;
        this.log = log;
        this.size = size;
    }

    static BillProgress start(String task, long size, boolean enabled, PrintWriter err) {
        if (!enabled) {
            return new BillProgress(null, null, size);
        }
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(Math.max(1, size))
                    .setUnit(" MiB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
            return new BillProgress(bar, null, size);
        }
        return new BillProgress(null, err, size);
    }

    @Override
    public void accept(long bytesRead) {
        if (bar != null) {
            bar.stepTo(bytesRead);
        } else if (log != null) {
            long now = System.nanoTime();
            if (now - lastLog >= LOG_EVERY_NANOS) {
                lastLog = now;
                log.printf("tally: read %d of %d MiB (%d%%) in %d s%n", bytesRead >> 20, size >> 20,
                        size == 0 ? 100 : bytesRead * 100 / size, (now - started) / 1_000_000_000L);
                log.flush();
            }
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.stepTo(bar.getMax());
            bar.close();
        }
    }
}
