package dev.tally.functions.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.delivery.DistributedRollups;
import dev.tally.delivery.DistributedRun;
import dev.tally.runtime.Invocations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The part function of a distributed rollup: the Distributed Map's item processor, one part of the bill per
 * invocation — {@code {"run": <the execution's input>, "part": <an item of its parts list>}} in, the part read with
 * the history of its period and its read written to the output bucket, {@code {"index": n, "key": "<its read>"}} out.
 * Shares the billing function's jar, configuration and bootstrap.
 */
public final class BillPartHandler implements RequestStreamHandler {
    /** The input's fields, which the state machine's item selector writes. */
    public static final String RUN = "run";
    public static final String PART = "part";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DistributedRollups rollups;

    public BillPartHandler() {
        this(BillingDependencies.get().rollups());
    }

    BillPartHandler(DistributedRollups rollups) {
        this.rollups = rollups;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        DistributedRun run = DistributedRun.fromJson(event.path(RUN));
        DistributedRun.Part part = DistributedRun.Part.fromJson(event.path(PART));
        String key = Invocations.logged(context, () -> {
            try {
                return rollups.readPart(run, part);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        JSON.writeValue(output, JSON.createObjectNode().put(DistributedRun.Part.INDEX, part.index()).put("key", key));
    }
}
