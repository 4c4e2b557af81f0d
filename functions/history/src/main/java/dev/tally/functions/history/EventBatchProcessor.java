package dev.tally.functions.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.history.EventKind;
import dev.tally.history.EventOutcome;
import dev.tally.history.EventParser;
import dev.tally.history.HistoryStore;
import dev.tally.runtime.CountMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Records a batch of events into the history: each event is parsed, checked against the kinds this
 * function subscribes to, and written. Events are independent (the store's writes commute), so
 * they are written concurrently.
 *
 * <p>What can never be used (not JSON, not an event, missing what it must carry) is logged by id
 * and reason only, counted, and sent to the dead letters; it is not retried. What failed to be
 * written (throttling, an outage) is reported as a batch item failure so SQS retries it alone, and
 * after the queue's receive limit moves it to its dead-letter queue; one bad record never costs the
 * good ones.
 */
public final class EventBatchProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(EventBatchProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HistoryStore store;
    private final Set<EventKind> subscribed;
    private final DeadLetters deadLetters;
    private final CountMetrics metrics;
    private final ExecutorService executor;

    public EventBatchProcessor(HistoryStore store, Set<EventKind> subscribed, DeadLetters deadLetters,
                               CountMetrics metrics, ExecutorService executor) {
        this.store = store;
        this.subscribed = EnumSet.copyOf(subscribed);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.executor = executor;
    }

    /** What happened to one event. */
    enum Outcome { RECORDED, IGNORED, NOT_SUBSCRIBED, INVALID, FAILED }

    /** The result of one invocation. */
    public record Result(boolean fromSqs, Map<Outcome, Long> counts, List<String> failedIds) {
        public long count(Outcome outcome) {
            return counts.getOrDefault(outcome, 0L);
        }

        /** The Lambda response: SQS's partial batch response, or a summary for a direct invocation. */
        public ObjectNode response() {
            ObjectNode node = JSON.createObjectNode();
            if (fromSqs) {
                ArrayNode failures = node.putArray("batchItemFailures");
                failedIds.forEach(id -> failures.addObject().put("itemIdentifier", id));
            } else {
                counts.forEach((outcome, n) -> {
                    if (n > 0) {
                        node.put(outcome.name().toLowerCase(java.util.Locale.ROOT), n);
                    }
                });
            }
            return node;
        }
    }

    /**
     * @throws IllegalArgumentException if the input is not an SQS batch or an EventBridge event
     * @throws EventWriteException      for a direct invocation whose event could not be written (retry)
     */
    public Result process(JsonNode input) {
        EventBatch batch;
        try {
            batch = EventBatch.of(input);
        } catch (IllegalArgumentException e) {
            LOG.warn("unusable invocation: {}", e.getMessage());
            metrics.publish(Map.of(IngestMetrics.INVALID, 1L));
            throw e;
        }
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (EventBatch.Entry entry : batch.entries()) {
            futures.add(CompletableFuture.supplyAsync(() -> handle(entry), executor));
        }
        Map<Outcome, Long> counts = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0L);
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            Outcome outcome = futures.get(i).join();
            counts.merge(outcome, 1L, Long::sum);
            if (outcome == Outcome.FAILED) {
                failed.add(batch.entries().get(i).id());
            }
        }
        metrics.publish(Map.of(
                IngestMetrics.RECORDED, counts.get(Outcome.RECORDED),
                IngestMetrics.IGNORED, counts.get(Outcome.IGNORED),
                IngestMetrics.NOT_SUBSCRIBED, counts.get(Outcome.NOT_SUBSCRIBED),
                IngestMetrics.INVALID, counts.get(Outcome.INVALID),
                IngestMetrics.FAILED, counts.get(Outcome.FAILED)));
        if (!batch.fromSqs() && !failed.isEmpty()) {
            throw new EventWriteException("event " + failed.get(0) + " could not be recorded; retrying");
        }
        return new Result(batch.fromSqs(), counts, failed);
    }

    private Outcome handle(EventBatch.Entry entry) {
        JsonNode event = entry.parsed();
        if (event == null) {
            try {
                event = JSON.readTree(entry.body());
            } catch (JsonProcessingException e) {
                return deadLetter(entry, "body is not JSON");
            }
        }
        EventOutcome outcome = EventParser.parse(event);
        if (outcome instanceof EventOutcome.Invalid invalid) {
            return deadLetter(entry, invalid.reason());
        }
        if (outcome instanceof EventOutcome.Ignored) {
            return Outcome.IGNORED;
        }
        if (outcome instanceof EventOutcome.Unknown) {
            return Outcome.NOT_SUBSCRIBED;
        }
        EventOutcome.Used used = (EventOutcome.Used) outcome;
        if (!subscribed.contains(EventKind.of(used.event()))) {
            return Outcome.NOT_SUBSCRIBED;
        }
        try {
            store.record(used.event());
            return Outcome.RECORDED;
        } catch (RuntimeException e) {
            LOG.warn("event {} not recorded, will be retried: {}", entry.id(), e.toString());
            return Outcome.FAILED;
        }
    }

    private Outcome deadLetter(EventBatch.Entry entry, String reason) {
        LOG.warn("event {} cannot be used and goes to the dead letters: {}", entry.id(), reason);
        try {
            deadLetters.send(entry.id(), reason,
                    entry.body() != null ? entry.body() : entry.parsed().toString());
            return Outcome.INVALID;
        } catch (RuntimeException e) {
            LOG.warn("event {} could not be dead-lettered, will be retried: {}", entry.id(), e.toString());
            return Outcome.FAILED;
        }
    }

    /** A directly invoked event could not be written; Lambda retries the invocation. */
    public static final class EventWriteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EventWriteException(String message) {
            super(message);
        }
    }
}
