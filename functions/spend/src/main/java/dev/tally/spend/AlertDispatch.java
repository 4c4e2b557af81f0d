package dev.tally.spend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Sends each alert once: claimed in the {@link AlertLedger}, delivered to every channel, the outcome recorded. */
public final class AlertDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatch.class);

    private AlertDispatch() {
    }

    /**
     * @param sent        alerts delivered to every channel in this run
     * @param alreadySent alerts an earlier run has sent (or another run is sending)
     * @param failed      alerts some channel refused; the next run tries them again
     */
    public record Outcome(List<Alert> sent, List<Alert> alreadySent, List<Alert> failed) {
    }

    public static Outcome dispatch(List<Alert> alerts, AlertLedger ledger, List<AlertSink> sinks) throws IOException {
        List<Alert> sent = new ArrayList<>();
        List<Alert> already = new ArrayList<>();
        List<Alert> failed = new ArrayList<>();
        for (Alert alert : alerts) {
            AlertLedger.Claim claim = ledger.claim(alert);
            if (!claim.send()) {
                already.add(alert);
                continue;
            }
            Set<String> delivered = new TreeSet<>(claim.delivered());
            boolean complete = true;
            for (AlertSink sink : sinks) {
                if (delivered.contains(sink.name())) {
                    continue;
                }
                try {
                    sink.send(alert);
                    delivered.add(sink.name());
                } catch (IOException | RuntimeException e) {
                    complete = false;
                    LOG.warn("alert {} not delivered to {}: {}", alert.id(), sink.name(), e.toString());
                }
            }
            ledger.record(alert, delivered, complete);
            (complete ? sent : failed).add(alert);
        }
        return new Outcome(List.copyOf(sent), List.copyOf(already), List.copyOf(failed));
    }
}
