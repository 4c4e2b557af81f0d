package dev.tally.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RollupOutputs;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which alerts have gone out, kept in the output bucket beside the runs:
 * {@code alerts/billing_period=YYYY-MM/<alert id>.json}, one object per (period, subject, direction). An alert is
 * claimed with a conditional write before it is sent, so of two runs only one sends it; the object then says which
 * channels have it. A send that failed, or a claim left by a run that died before it sent (older than
 * {@link #ABANDONED}), is tried again by the next run, on the channels that do not have it yet.
 */
public final class AlertLedger {
    public static final Duration ABANDONED = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "application/json";

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final Clock clock;

    public AlertLedger(ObjectStore store, String bucket, String prefix, Clock clock) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = RollupOutputs.keyPrefix(prefix);
        this.clock = clock;
    }

    public String key(Alert alert) {
        return prefix + "alerts/billing_period=" + alert.period() + "/" + alert.id() + ".json";
    }

    /**
     * What to do with an alert.
     *
     * @param send          whether to send it now
     * @param delivered     the channels that already have it
     */
    public record Claim(boolean send, Set<String> delivered) {
    }

    /** Claims an alert for sending, or says it has gone out (or is going out in another run). */
    public Claim claim(Alert alert) throws IOException {
        if (store.putIfAbsent(bucket, key(alert), record(alert, "sending", Set.of()), TYPE)) {
            return new Claim(true, Set.of());
        }
        JsonNode existing;
        try (InputStream in = store.get(bucket, key(alert), "", "")) {
            existing = JSON.readTree(in);
        }
        Set<String> delivered = new TreeSet<>();
        existing.path("delivered").forEach(d -> delivered.add(d.asText()));
        String state = existing.path("state").asText();
        Instant at = Instant.parse(existing.path("at").asText(Instant.EPOCH.toString()));
        boolean retry = "failed".equals(state)
                || "sending".equals(state) && at.plus(ABANDONED).isBefore(clock.instant());
        if (retry) {
            store.put(bucket, key(alert), record(alert, "sending", delivered), TYPE);
        }
        return new Claim(retry, Set.copyOf(delivered));
    }

    /** Records the channels that have the alert: {@code complete} when every channel does. */
    public void record(Alert alert, Collection<String> delivered, boolean complete) throws IOException {
        store.put(bucket, key(alert), record(alert, complete ? "sent" : "failed", delivered), TYPE);
    }

    private byte[] record(Alert alert, String state, Collection<String> delivered) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("state", state);
        node.put("at", clock.instant().toString());
        ArrayNode channels = node.putArray("delivered");
        new TreeSet<>(delivered).forEach(channels::add);
        node.set("alert", AlertJson.of(alert));
        return JSON.writeValueAsBytes(node);
    }
}
