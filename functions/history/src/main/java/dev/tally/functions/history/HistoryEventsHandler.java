package dev.tally.functions.history;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.runtime.Invocations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The thin Lambda side of the history functions: JSON in, one call to the {@link EventBatchProcessor},
 * the partial batch response out.
 */
abstract class HistoryEventsHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventBatchProcessor processor;

    HistoryEventsHandler(EventBatchProcessor processor) {
        this.processor = processor;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        EventBatchProcessor.Result result = Invocations.logged(context, () -> processor.process(event));
        JSON.writeValue(output, result.response());
    }
}
