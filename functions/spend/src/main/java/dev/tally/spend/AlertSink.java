package dev.tally.spend;

import java.io.IOException;

/** Where alerts go: SNS in AWS, a Slack-compatible webhook, standard output or a file locally. */
public interface AlertSink {
    /** A short name for reports: {@code sns}, {@code webhook}, {@code file}. */
    String name();

    /** Delivers one alert; a failure is thrown, and the alert is sent again on the next run. */
    void send(Alert alert) throws IOException;
}
