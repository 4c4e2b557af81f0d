package dev.tally.privacy.archive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evidence of one request in the archive (privacy.md, "Processing"), addable: the slices of a pass that
 * several workers did add up to the evidence of the whole pass. Fields that describe the pass itself
 * ({@code objects_scanned}, {@code bytes_scanned}, {@code versions_scanned}, {@code unparseable_lines}) are the
 * same for every request of a batch; the others count only what held that request's subjects.
 *
 * @param objectsScanned   current objects read
 * @param bytesScanned     bytes read of them and of the older versions read, each object version once
 * @param versionsScanned  older (non-current) versions read, on a versioned bucket
 * @param objectsRewritten objects rewritten that held one of the request's subjects
 * @param recordsRemoved   records (lines) of the request's subjects removed from current objects
 * @param versionsDeleted  object versions deleted that held one of the request's subjects: older versions, and
 *                         the version each rewrite replaced
 * @param unparseableLines lines of current objects that were not JSON, kept as they were (never matched)
 */
public record ArchiveEvidence(long objectsScanned, long bytesScanned, long versionsScanned, long objectsRewritten,
                              long recordsRemoved, long versionsDeleted, long unparseableLines) {
    public static final ArchiveEvidence ZERO = new ArchiveEvidence(0, 0, 0, 0, 0, 0, 0);

    public ArchiveEvidence plus(ArchiveEvidence other) {
        return new ArchiveEvidence(objectsScanned + other.objectsScanned, bytesScanned + other.bytesScanned,
                versionsScanned + other.versionsScanned, objectsRewritten + other.objectsRewritten,
                recordsRemoved + other.recordsRemoved, versionsDeleted + other.versionsDeleted,
                unparseableLines + other.unparseableLines);
    }

    /** The receipt's evidence fields, in snake_case. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("objects_scanned", objectsScanned);
        map.put("bytes_scanned", bytesScanned);
        map.put("versions_scanned", versionsScanned);
        map.put("objects_rewritten", objectsRewritten);
        map.put("records_removed", recordsRemoved);
        map.put("versions_deleted", versionsDeleted);
        map.put("unparseable_lines", unparseableLines);
        return map;
    }

    /** From receipt evidence (a missing field is 0), e.g. what an earlier slice reported. */
    public static ArchiveEvidence fromMap(Map<String, ?> map) {
        return new ArchiveEvidence(number(map, "objects_scanned"), number(map, "bytes_scanned"),
                number(map, "versions_scanned"), number(map, "objects_rewritten"), number(map, "records_removed"),
                number(map, "versions_deleted"), number(map, "unparseable_lines"));
    }

    /** Adds two slices' evidence by request (a request missing on one side counts as {@link #ZERO} there). */
    public static Map<String, Map<String, Object>> add(Map<String, ? extends Map<String, ?>> a,
                                                       Map<String, ? extends Map<String, ?>> b) {
        Map<String, ArchiveEvidence> sum = new TreeMap<>();
        a.forEach((request, evidence) -> sum.merge(request, fromMap(evidence), ArchiveEvidence::plus));
        b.forEach((request, evidence) -> sum.merge(request, fromMap(evidence), ArchiveEvidence::plus));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        sum.forEach((request, evidence) -> out.put(request, evidence.toMap()));
        return out;
    }

    private static long number(Map<String, ?> map, String field) {
        Object value = map.get(field);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
