package dev.tally.functions.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.runtime.CountMetrics;
import dev.tally.runtime.Invocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The scheduled Lambda function: any scheduled event in (EventBridge Scheduler or a schedule rule; its
 * content is not used), one {@link Reconciler} run, its summary out as JSON. The counts are published
 * as CloudWatch metrics; if any part failed, the invocation fails after that
 * ({@link ReconciliationFailedException}), so the schedule's retry and the error alarm see it.
 */
public final class ReconcilerHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Reconciler reconciler;
    private final CountMetrics metrics;

    public ReconcilerHandler() {
        this(Dependencies.get());
    }

    private ReconcilerHandler(Dependencies dependencies) {
        this(dependencies.reconciler, dependencies.metrics);
    }

    ReconcilerHandler(Reconciler reconciler, CountMetrics metrics) {
        this.reconciler = reconciler;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = readEvent(input);
        ReconcileSummary summary = Invocations.logged(context, () -> run(event));
        JSON.writeValue(output, toJson(summary));
    }

    private ReconcileSummary run(JsonNode event) {
        LOG.info("reconciler invoked by {} event {} at {}", text(event, "detail-type"), text(event, "id"),
                text(event, "time"));
        ReconcileSummary summary = reconciler.run();
        metrics.publish(summary.metrics());
        if (summary.failed()) {
            summary.errors().forEach(error -> LOG.error("reconciler failure: {}", error));
            throw new ReconciliationFailedException(summary);
        }
        return summary;
    }

    /** The summary as the function's result. */
    static ObjectNode toJson(ReconcileSummary summary) {
        ObjectNode node = JSON.createObjectNode();
        node.put("runAt", summary.runAt().toString());
        node.put("clusters", summary.clusters());
        node.put("tasksSeen", summary.tasksSeen());
        node.put("containerInstancesSeen", summary.containerInstancesSeen());
        node.put("stopsClosed", summary.stopsClosed());
        node.put("stopsAssumed", summary.stopsAssumed());
        node.put("attachmentsSeen", summary.attachmentsSeen());
        node.put("attachmentsAdded", summary.attachmentsAdded());
        node.put("detachesAdded", summary.detachesAdded());
        node.put("errors", summary.errors().size());
        summary.errors().forEach(node.withArray("errorMessages")::add);
        return node;
    }

    /** The invoking event, if it is JSON at all: it is only logged. */
    private static JsonNode readEvent(InputStream input) throws IOException {
        byte[] bytes = input.readAllBytes();
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event == null ? null : event.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
