package dev.tally.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A configured destination of deletions, as named in the config document's {@code targets}.
 *
 * @param requestTypes the request types it carries out (its {@code request_types}, else the kind's default);
 *                     for the others its receipt is {@code NOT_SUPPORTED} from the start
 * @param settings     the whole entry as configured, for the worker of its kind (bucket, tables, URL, ...)
 */
public record Target(String name, TargetKind kind, Set<RequestType> requestTypes, JsonNode settings) {
    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        requestTypes = requestTypes.isEmpty() ? EnumSet.noneOf(RequestType.class) : EnumSet.copyOf(requestTypes);
        settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    public boolean supports(RequestType type) {
        return requestTypes.contains(type);
    }

    @Override
    public Set<RequestType> requestTypes() {
        return Set.copyOf(requestTypes);
    }
}
