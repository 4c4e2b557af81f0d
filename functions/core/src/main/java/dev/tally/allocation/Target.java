package dev.tally.allocation;

import java.util.Comparator;

/**
 * Where allocated money lands: a product area, and for money that came to an ECS service, its
 * cluster and service (empty otherwise). Ordered by area, then cluster, then service; that order
 * decides ties when a split's remainder is placed (allocation contract §5).
 */
public record Target(String area, String cluster, String service) implements Comparable<Target> {
    public static final String UNALLOCATED = "(unallocated)";
    public static final String UNMAPPED = "(unmapped)";
    public static final Target UNALLOCATED_TARGET = new Target(UNALLOCATED, "", "");

    private static final Comparator<Target> ORDER = Comparator.comparing((Target t) -> t.area())
            .thenComparing(Target::cluster)
            .thenComparing(Target::service);

    public static Target area(String area) {
        return new Target(area, "", "");
    }

    public boolean isService() {
        return !service.isEmpty() || !cluster.isEmpty();
    }

    @Override
    public int compareTo(Target other) {
        return ORDER.compare(this, other);
    }
}
