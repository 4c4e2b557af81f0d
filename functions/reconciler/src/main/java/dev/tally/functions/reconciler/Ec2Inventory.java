package dev.tally.functions.reconciler;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * What EC2 says now about EBS volumes, in the reconciler's terms (no AWS SDK types). The SDK adapter is
 * {@link SdkEc2Inventory}; every method may throw a {@link RuntimeException} when the API fails.
 */
public interface Ec2Inventory {

    /** Every volume with an attachment in state {@code attached} (DescribeVolumes, filtered, all pages). */
    List<Volume> attachedVolumes();

    /** The given volumes in whatever state they are; volumes that no longer exist are left out. */
    List<Volume> volumes(Collection<String> volumeIds);

    /**
     * @param state the volume's state as EC2 writes it: {@code available}, {@code in-use}, ...
     */
    record Volume(String volumeId, String state, List<Attachment> attachments) {
        public Volume {
            attachments = List.copyOf(attachments);
        }
    }

    /**
     * @param state      {@code attaching}, {@code attached}, {@code detaching}, {@code detached} or {@code busy}
     * @param attachTime when the attachment was initiated
     */
    record Attachment(String instanceId, String state, Instant attachTime) {
        public static final String ATTACHED = "attached";
        public static final String DETACHED = "detached";

        public boolean attached() {
            return ATTACHED.equals(state);
        }
    }
}
