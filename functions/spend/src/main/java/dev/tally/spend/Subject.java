package dev.tally.spend;

import java.util.Comparator;

/**
 * What a cost is of: a product area, an ECS service, or one AWS product within a product area — the three ways
 * the rollup tables cut a month, and what changes, forecasts and alerts are about.
 *
 * @param first  the area; the service's cluster; the AWS product (of a product in an area, or of a resource)
 * @param second empty for an area; the service's name; the area of the AWS product; the resource id
 */
public record Subject(Kind kind, String first, String second) implements Comparable<Subject> {
    /** The three cuts. */
    public enum Kind {
        AREA("product area"), SERVICE("service"), PRODUCT_AREA("AWS product in a product area"),
        /** A resource rule 6 left unallocated (untagged): what to tag next. */
        RESOURCE("untagged resource");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private static final Comparator<Subject> ORDER = Comparator.comparing(Subject::kind)
            .thenComparing(Subject::first).thenComparing(Subject::second);

    public static Subject area(String area) {
        return new Subject(Kind.AREA, area, "");
    }

    public static Subject service(String cluster, String service) {
        return new Subject(Kind.SERVICE, cluster, service);
    }

    public static Subject productInArea(String awsProduct, String area) {
        return new Subject(Kind.PRODUCT_AREA, awsProduct, area);
    }

    public static Subject untaggedResource(String awsProduct, String resourceId) {
        return new Subject(Kind.RESOURCE, awsProduct, resourceId);
    }

    /** How people name it: {@code search}, {@code prod/indexer}, {@code Amazon EC2 in search}. */
    public String label() {
        return switch (kind) {
            case AREA -> first;
            case SERVICE -> first + "/" + second;
            case PRODUCT_AREA -> first + " in " + second;
            case RESOURCE -> second + " (" + first + ")";
        };
    }

    /** A stable key for de-duplication and configuration: {@code area:search}, {@code service:prod/indexer}. */
    public String id() {
        return switch (kind) {
            case AREA -> "area:" + first;
            case SERVICE -> "service:" + first + "/" + second;
            case PRODUCT_AREA -> "product:" + first + "|" + second;
            case RESOURCE -> "resource:" + first + "|" + second;
        };
    }

    @Override
    public int compareTo(Subject other) {
        return ORDER.compare(this, other);
    }
}
