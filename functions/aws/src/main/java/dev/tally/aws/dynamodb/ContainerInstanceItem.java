package dev.tally.aws.dynamodb;

import dev.tally.history.HistoryEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** A container instance item: its ARN, EC2 instance and the version that set them. */
final class ContainerInstanceItem {
    static final String BUCKET = "CI";
    static final String ARN = "arn";
    static final String EC2_INSTANCE_ID = "ec2InstanceId";

    private ContainerInstanceItem() {
    }

    static HistoryEvent event(Map<String, AttributeValue> item) {
        return new HistoryEvent.ContainerInstanceChange(item.get(ARN).s(), Long.parseLong(item.get("v").n()),
                item.get(EC2_INSTANCE_ID).s());
    }
}
