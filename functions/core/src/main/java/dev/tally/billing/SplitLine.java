package dev.tally.billing;

import java.math.BigDecimal;

/**
 * A split line item of a bill exported with split cost allocation data (allocation contract §9): AWS's share of an
 * EC2 instance's cost for one ECS task over the row's usage window. The row is also a cost line item like any other
 * (told to the listener right after this).
 *
 * @param parent       the parent EC2 instance id
 * @param task         the row's resource, the task ARN
 * @param clusterTag   the row's {@code aws:ecs:clusterName} tag, or empty
 * @param serviceTag   the row's {@code aws:ecs:serviceName} tag, or empty
 * @param usageStart   usage window start, UTC epoch millis
 * @param usageEnd     usage window end, UTC epoch millis (exclusive)
 * @param weight       {@code SplitCost + UnusedCost}, each read at ten places (an empty cell is 0)
 */
public record SplitLine(String parent, String task, String clusterTag, String serviceTag, long usageStart,
                        long usageEnd, BigDecimal weight) {
}
