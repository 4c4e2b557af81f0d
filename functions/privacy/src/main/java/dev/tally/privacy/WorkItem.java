package dev.tally.privacy;

import java.util.Map;
import java.util.Objects;

/**
 * One message of the work queue: a request's work in one target. It names the request and the target only — the
 * worker reads the subjects from the store — plus, for an asynchronous job it polls, the job's state (job ids,
 * never subject ids).
 */
public record WorkItem(String requestId, String target, Map<String, String> pollState) {
    public WorkItem {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(target, "target");
        pollState = pollState == null ? Map.of() : Map.copyOf(pollState);
    }

    public static WorkItem of(String requestId, String target) {
        return new WorkItem(requestId, target, Map.of());
    }

    public boolean polling() {
        return !pollState.isEmpty();
    }
}
