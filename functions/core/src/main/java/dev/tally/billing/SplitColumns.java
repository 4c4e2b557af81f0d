package dev.tally.billing;

import dev.tally.money.Money;

import java.math.BigDecimal;
import java.util.stream.IntStream;

/**
 * Where a CUR or CUR 2.0 header keeps split cost allocation data (allocation contract §9): the parent instance, the
 * split and unused cost, and the ECS-managed tags that name a task's cluster and service (flat columns, or keys of
 * CUR 2.0's {@code resource_tags} map). A bill without the parent column has no split line items.
 */
final class SplitColumns {
    final int parent;
    final int splitCost;
    final int unusedCost;
    /** Flat tag columns ({@code resourceTags/aws:ecs:clusterName}, {@code resource_tags_aws_ecs_cluster_name}). */
    final int clusterTag;
    final int serviceTag;
    /** The tag map column (CUR 2.0 {@code resource_tags}), or {@link BillLayout#ABSENT}. */
    final int tagMap;
    static final String CLUSTER_KEY = "aws_ecs_cluster_name";
    static final String SERVICE_KEY = "aws_ecs_service_name";
    static final byte[] CLUSTER_KEY_BYTES = CLUSTER_KEY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] SERVICE_KEY_BYTES = SERVICE_KEY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SplitColumns(int parent, int splitCost, int unusedCost, int clusterTag, int serviceTag, int tagMap) {
        this.parent = parent;
        this.splitCost = splitCost;
        this.unusedCost = unusedCost;
        this.clusterTag = clusterTag;
        this.serviceTag = serviceTag;
        this.tagMap = tagMap;
    }

    /** The split columns of a header, or null when it has none (DBR, FOCUS, or an export without the data). */
    static SplitColumns of(BillFormat format, AmortizedCost.Columns c, int tagMap) {
        return switch (format) {
            case CUR -> of(c.optional("splitLineItem/ParentResourceId"), c.optional("splitLineItem/SplitCost"),
                    c.optional("splitLineItem/UnusedCost"), c.optional("resourceTags/aws:ecs:clusterName"),
                    c.optional("resourceTags/aws:ecs:serviceName"), BillLayout.ABSENT);
            case CUR2 -> of(c.optional("split_line_item_parent_resource_id"),
                    c.optional("split_line_item_split_cost"), c.optional("split_line_item_unused_cost"),
                    c.optional("resource_tags_aws_ecs_cluster_name"), c.optional("resource_tags_aws_ecs_service_name"),
                    tagMap);
            default -> null;
        };
    }

    private static SplitColumns of(int parent, int split, int unused, int cluster, int service, int tagMap) {
        return parent == BillLayout.ABSENT ? null : new SplitColumns(parent, split, unused, cluster, service, tagMap);
    }

    /** The columns read as bytes by the fast reader (the tag map is read as the product-area tag's is). */
    int[] columns() {
        return IntStream.of(parent, splitCost, unusedCost, clusterTag, serviceTag)
                .filter(c -> c != BillLayout.ABSENT).toArray();
    }

    boolean readsBytes(int column) {
        return column == parent || column == splitCost || column == unusedCost || column == clusterTag
                || column == serviceTag;
    }

    /**
     * The split line item of a cost row, or null when the row is none (its parent cell is empty).
     *
     * @param resource the row's resource id (the task ARN)
     */
    SplitLine read(BillLayout.Fields row, String resource, long start, long end) throws MalformedRowException {
        String parentId = row.get(parent).trim();
        if (parentId.isEmpty()) {
            return null;
        }
        BigDecimal weight = amount(row, splitCost).add(amount(row, unusedCost));
        return new SplitLine(parentId, resource, tag(row, clusterTag, CLUSTER_KEY), tag(row, serviceTag, SERVICE_KEY),
                start, end, weight);
    }

    /** A row's {@code aws:ecs:clusterName} ({@code cluster}) or {@code aws:ecs:serviceName} tag, or empty. */
    String tag(BillLayout.Fields row, boolean cluster) throws MalformedRowException {
        return tag(row, cluster ? clusterTag : serviceTag, cluster ? CLUSTER_KEY : SERVICE_KEY);
    }

    private static BigDecimal amount(BillLayout.Fields row, int column) throws MalformedRowException {
        if (column == BillLayout.ABSENT) {
            return Money.ZERO;
        }
        String cell = row.get(column);
        return cell.isBlank() ? Money.ZERO : Money.round(BillScan.parseCost(cell));
    }

    private String tag(BillLayout.Fields row, int flat, String key) throws MalformedRowException {
        if (flat != BillLayout.ABSENT) {
            String value = row.get(flat).trim();
            if (!value.isEmpty()) {
                return value;
            }
        }
        if (tagMap == BillLayout.ABSENT) {
            return "";
        }
        String map = row.get(tagMap);
        return map.isBlank() || !map.contains(key) ? "" : BillLayout.lookup(BillLayout.parseMap(map, "tags"), key);
    }
}
