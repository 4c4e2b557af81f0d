package dev.tally.history;

import com.fasterxml.jackson.core.filter.TokenFilter;

import java.util.Map;
import java.util.Set;

/**
 * Keeps, while an event is parsed, only the fields {@link EventParser} reads; the rest of an event
 * (attachments, overrides, network interfaces, user identity...) is skipped without building
 * objects for it. The parser then sees exactly the values it would see in the whole event.
 */
final class EventFieldFilter extends TokenFilter {
    private static final Set<String> CLOUDTRAIL = Set.of("eventName", "eventSource", "eventTime", "errorCode");
    /** Inside {@code requestParameters} and {@code responseElements}. */
    private static final TokenFilter CALL = new EventFieldFilter(Set.of("volumeId", "instanceId", "attachTime"),
            Map.of());
    private static final Set<String> DETAIL = union(CLOUDTRAIL, Set.of("taskArn", "version", "clusterArn", "group",
            "containerInstanceArn", "cpu", "startedAt", "stoppedAt", "state", "instance-id", "ec2InstanceId"));
    private static final Set<String> ENVELOPE = union(CLOUDTRAIL, Set.of("detail-type", "time"));

    /** Filter for a whole event (envelope or bare CloudTrail record). */
    static final TokenFilter EVENT = new EventFieldFilter(ENVELOPE, Map.of(
            "requestParameters", CALL, "responseElements", CALL,
            "detail", new EventFieldFilter(DETAIL, Map.of("containers", new ContainersFilter(),
                    "requestParameters", CALL, "responseElements", CALL))));

    private final Set<String> whole;
    private final Map<String, TokenFilter> nested;

    private EventFieldFilter(Set<String> whole, Map<String, TokenFilter> nested) {
        this.whole = whole;
        this.nested = nested;
    }

    @Override
    public TokenFilter includeProperty(String name) {
        TokenFilter child = nested.get(name);
        if (child != null) {
            return child;
        }
        return whole.contains(name) ? TokenFilter.INCLUDE_ALL : null;
    }

    @Override
    public boolean includeEmptyObject(boolean contentsFiltered) {
        return true;
    }

    /** {@code containers}: every element, with only its {@code cpu}; elements without one stay as {}. */
    private static final class ContainersFilter extends TokenFilter {
        private static final TokenFilter CONTAINER = new EventFieldFilter(Set.of("cpu"), Map.of());

        @Override
        public TokenFilter includeElement(int index) {
            return CONTAINER;
        }

        @Override
        public boolean includeEmptyArray(boolean contentsFiltered) {
            return true;
        }

        @Override
        public boolean includeEmptyObject(boolean contentsFiltered) {
            return true;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
