package dev.tally.allocation;

/** A volume attached to an instance over [start, end), UTC epoch millis, end &gt; start. */
public record VolumeAttachment(String volumeId, String instanceId, long start, long end) {
}
