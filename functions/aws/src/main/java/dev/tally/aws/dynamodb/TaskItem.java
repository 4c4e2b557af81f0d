package dev.tally.aws.dynamodb;

import dev.tally.history.HistoryEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task item: each field with the version that set it ({@code v_<field>}). Read back as one
 * single-field event per stored field, so the in-memory merge rebuilds exactly the same task.
 */
final class TaskItem {
    static final String BUCKET = "TASKSTOP#";
    static final String TASK_ARN = "taskArn";
    static final String CLUSTER_ARN = "clusterArn";
    static final String GROUP = "grp";
    static final String CONTAINER_INSTANCE_ARN = "ciArn";
    static final String CPU = "cpu";
    static final String CONTAINERS_CPU = "ccpu";
    static final String STARTED_AT = "startedAt";
    static final String STOPPED_AT = "stoppedAt";
    /** The highest version any write has applied; lets a newer event replace all its fields in one write. */
    static final String MAX_VERSION = "vmax";

    private TaskItem() {
    }

    static List<HistoryEvent> events(Map<String, AttributeValue> item) {
        String arn = item.get(TASK_ARN).s();
        List<HistoryEvent> events = new ArrayList<>();
        events.add(new HistoryEvent.TaskStateChange(arn, Long.MIN_VALUE, null, null, null, null, null, null, null));
        if (item.containsKey(CLUSTER_ARN)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, CLUSTER_ARN), item.get(CLUSTER_ARN).s(),
                    null, null, null, null, null, null));
        }
        if (item.containsKey(GROUP)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, GROUP), null, item.get(GROUP).s(),
                    null, null, null, null, null));
        }
        if (item.containsKey(CONTAINER_INSTANCE_ARN)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, CONTAINER_INSTANCE_ARN), null, null,
                    item.get(CONTAINER_INSTANCE_ARN).s(), null, null, null, null));
        }
        if (item.containsKey(CPU)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, CPU), null, null, null,
                    Integer.valueOf(item.get(CPU).n()), null, null, null));
        }
        if (item.containsKey(CONTAINERS_CPU)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, CONTAINERS_CPU), null, null, null, null,
                    Integer.valueOf(item.get(CONTAINERS_CPU).n()), null, null));
        }
        if (item.containsKey(STARTED_AT)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, STARTED_AT), null, null, null, null, null,
                    Long.valueOf(item.get(STARTED_AT).n()), null));
        }
        if (item.containsKey(STOPPED_AT)) {
            events.add(new HistoryEvent.TaskStateChange(arn, version(item, STOPPED_AT), null, null, null, null, null,
                    null, Long.valueOf(item.get(STOPPED_AT).n())));
        }
        return events;
    }

    private static long version(Map<String, AttributeValue> item, String field) {
        return Long.parseLong(item.get("v_" + field).n());
    }
}
