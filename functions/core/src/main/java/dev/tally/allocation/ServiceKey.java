package dev.tally.allocation;

import java.util.Comparator;

/** An ECS service within its cluster; the key of a CPU-seconds split. */
public record ServiceKey(String cluster, String service) implements Comparable<ServiceKey> {
    private static final Comparator<ServiceKey> ORDER = Comparator.comparing((ServiceKey k) -> k.cluster())
            .thenComparing(ServiceKey::service);

    @Override
    public int compareTo(ServiceKey other) {
        return ORDER.compare(this, other);
    }
}
