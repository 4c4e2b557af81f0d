package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.runtime.Invocations;

import java.util.Map;

/**
 * The slice function of the distributed archive pass: the Distributed Map's item processor, one batch of keys per
 * invocation ({@link ArchiveSlices}). Shares the work function's jar, configuration and bootstrap.
 */
public final class ArchiveSliceHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveSlices slices;

    public ArchiveSliceHandler() {
        this(WorkerDependencies.get().slices());
    }

    ArchiveSliceHandler(ArchiveSlices slices) {
        this.slices = slices;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> batch, Context context) {
        return Invocations.logged(context, () -> slices.run(JSON.valueToTree(batch)));
    }
}
