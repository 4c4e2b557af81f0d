package dev.tally.privacy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as asked over the API, after the wire format was checked (types, sizes, unknown fields): what the
 * domain decides on. Holds raw subject ids; never logged.
 *
 * @param targets the configured targets to carry it out in, or empty for all of them
 */
public record NewRequest(RequestType type, SubjectType subjectType, List<String> subjectIds,
                         Optional<String> clientRequestId, Regulation regulation, Optional<List<String>> targets) {
    public NewRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(regulation, "regulation");
        subjectIds = List.copyOf(subjectIds);
        targets = targets.map(List::copyOf);
    }

    /**
     * The request in a canonical text, for its keyed fingerprint: a retry with the same body has the same one,
     * any difference in what is asked gives another.
     */
    public String canonical() {
        StringBuilder text = new StringBuilder().append(type).append('\n').append(subjectType).append('\n')
                .append(regulation).append('\n').append(clientRequestId.orElse("")).append('\n')
                .append(targets.map(t -> String.join("\u0000", t)).orElse("\u0001")).append('\n');
        subjectIds.forEach(id -> text.append(id.length()).append(':').append(id));
        return text.toString();
    }
}
