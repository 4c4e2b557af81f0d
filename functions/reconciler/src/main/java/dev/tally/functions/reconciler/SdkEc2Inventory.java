package dev.tally.functions.reconciler;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link Ec2Inventory} on the EC2 API (AWS SDK v2). */
public final class SdkEc2Inventory implements Ec2Inventory {
    /** Volume ids per DescribeVolumes call when asking for given volumes (a filter takes up to 200 values). */
    static final int VOLUME_ID_BATCH = 100;

    private final Ec2Client ec2;

    public SdkEc2Inventory(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public List<Volume> attachedVolumes() {
        return describe(DescribeVolumesRequest.builder()
                .filters(Filter.builder().name("attachment.status").values("attached").build())
                .maxResults(500)
                .build());
    }

    /**
     * Asks with a {@code volume-id} filter rather than {@code VolumeIds}: a filter leaves deleted volumes
     * out, where {@code VolumeIds} would fail the whole call with {@code InvalidVolume.NotFound}.
     */
    @Override
    public List<Volume> volumes(Collection<String> volumeIds) {
        List<String> ids = List.copyOf(volumeIds);
        List<Volume> volumes = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += VOLUME_ID_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + VOLUME_ID_BATCH));
            volumes.addAll(describe(DescribeVolumesRequest.builder()
                    .filters(Filter.builder().name("volume-id").values(batch).build())
                    .maxResults(500)
                    .build()));
        }
        return volumes;
    }

    private List<Volume> describe(DescribeVolumesRequest request) {
        List<Volume> volumes = new ArrayList<>();
        ec2.describeVolumesPaginator(request).volumes().forEach(volume -> volumes.add(new Volume(volume.volumeId(),
                volume.stateAsString(),
                volume.attachments().stream()
                        .map(a -> new Attachment(a.instanceId(), a.stateAsString(), a.attachTime()))
                        .toList())));
        return volumes;
    }
}
