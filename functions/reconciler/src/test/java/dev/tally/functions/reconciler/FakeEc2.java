package dev.tally.functions.reconciler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** EC2's volumes in memory. */
final class FakeEc2 implements Ec2Inventory {
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    final List<List<String>> describeCalls = new ArrayList<>();

    FakeEc2 volume(String volumeId, String state, Attachment... attachments) {
        volumes.put(volumeId, new Volume(volumeId, state, List.of(attachments)));
        return this;
    }

    @Override
    public List<Volume> attachedVolumes() {
        return volumes.values().stream().filter(v -> v.attachments().stream().anyMatch(Attachment::attached)).toList();
    }

    @Override
    public List<Volume> volumes(Collection<String> volumeIds) {
        describeCalls.add(List.copyOf(volumeIds));
        return volumeIds.stream().filter(volumes::containsKey).map(volumes::get).toList();
    }
}
