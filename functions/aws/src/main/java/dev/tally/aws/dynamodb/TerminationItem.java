package dev.tally.aws.dynamodb;

import dev.tally.history.HistoryEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** When an instance terminated; a conditional write keeps the earliest instant reported. */
final class TerminationItem {
    static final String BUCKET = "TERM";
    static final String INSTANCE_ID = "instanceId";
    static final String AT = "at";

    private TerminationItem() {
    }

    static HistoryEvent event(Map<String, AttributeValue> item) {
        return new HistoryEvent.InstanceTerminated(item.get(INSTANCE_ID).s(), Long.parseLong(item.get(AT).n()));
    }
}
