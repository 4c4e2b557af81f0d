package dev.tally.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.function.Supplier;

/** Around one invocation: Powertools' structured JSON logging with the request context, in Lambda. */
public final class Invocations {
    private Invocations() {
    }

    /**
     * Runs the invocation with the Lambda context in every log line (request id, function, cold start);
     * without a context (a local run) it simply runs.
     */
    public static <T> T logged(Context context, Supplier<T> invocation) {
        return context == null ? invocation.get() : PowertoolsLogging.withLogging(context, invocation);
    }
}
