package dev.tally.privacy.target;

import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One piece of work for one target: the subjects of one or more requests (the archive combines the requests
 * queued within a window into one pass), by request, all of one request type and subject type. Holds raw
 * subject ids; never logged.
 *
 * @param subjectsByRequest request id → that request's subject ids, in request order
 * @param attempt           1 for the first try, counting up on retries
 */
public record TargetWork(Target target, RequestType type, SubjectType subjectType,
                         Map<String, List<String>> subjectsByRequest, int attempt) {
    public TargetWork {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subjectType, "subjectType");
        subjectsByRequest = Map.copyOf(subjectsByRequest);
    }

    /** Every subject id of the work, each once (as normalized for the subject type), in a stable order. */
    public List<String> subjectIds() {
        return subjectsByRequest.keySet().stream().sorted()
                .flatMap(id -> subjectsByRequest.get(id).stream())
                .map(subjectType::normalize).distinct().toList();
    }
}
