package dev.tally.privacy.webhook;

import java.time.Duration;

/** Waits: {@link #SYSTEM} for real, tests move a clock instead. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
