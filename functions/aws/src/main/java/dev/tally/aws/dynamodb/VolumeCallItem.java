package dev.tally.aws.dynamodb;

import dev.tally.history.HistoryEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** One successful AttachVolume/DetachVolume call; its key is the call itself, so duplicates collapse. */
final class VolumeCallItem {
    static final String BUCKET = "VOLCALL";
    static final String VOLUME_ID = "volumeId";
    static final String KIND = "kind";
    static final String AT = "at";
    static final String INSTANCE_ID = "instanceId";

    private VolumeCallItem() {
    }

    static HistoryEvent event(Map<String, AttributeValue> item) {
        AttributeValue instance = item.get(INSTANCE_ID);
        return new HistoryEvent.VolumeCall(item.get(VOLUME_ID).s(),
                HistoryEvent.VolumeCall.Kind.valueOf(item.get(KIND).s()), Long.parseLong(item.get(AT).n()),
                instance == null ? null : instance.s());
    }
}
