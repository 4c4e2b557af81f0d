package dev.tally.history;

import java.util.List;
import java.util.Map;

/**
 * Counts from reading event files: how many events were used, ignored, of unknown type or unusable.
 *
 * @param files        files read
 * @param events       events seen (parsed JSON objects plus unparseable lines)
 * @param used         events that contributed a fact, by detail-type
 * @param ignored      well-formed events the history does not need (failed calls, other states)
 * @param unknown      events of types the history does not subscribe to, by type
 * @param invalid      unparseable JSON, or subscribed events lacking what they must carry
 * @param problems     the first problems: file, line and reason (never event content)
 */
public record EventReadReport(
        long files,
        long events,
        Map<String, Long> used,
        long ignored,
        Map<String, Long> unknown,
        long invalid,
        List<String> problems) {

    public long usedTotal() {
        return used.values().stream().mapToLong(Long::longValue).sum();
    }

    public long unknownTotal() {
        return unknown.values().stream().mapToLong(Long::longValue).sum();
    }
}
