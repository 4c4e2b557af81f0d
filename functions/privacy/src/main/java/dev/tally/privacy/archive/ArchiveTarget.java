package dev.tally.privacy.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@code S3_ARCHIVE} target's settings (privacy.md, "Local mode"): {@code bucket}, {@code prefixes} (at
 * least one; {@code ""} is the whole bucket) and {@code match}. Prefixes inside another configured prefix are
 * dropped, so that no object is read twice.
 */
public record ArchiveTarget(String name, String bucket, List<String> prefixes, RecordMatcher matcher) {
    public ArchiveTarget {
        prefixes = List.copyOf(prefixes);
    }

    /** Reads a configured target; a mistake fails with {@link IllegalArgumentException} naming the field. */
    public static ArchiveTarget from(Target target) {
        if (target.kind() != TargetKind.S3_ARCHIVE) {
            throw new IllegalArgumentException("target " + target.name() + " is " + target.kind() + ", not S3_ARCHIVE");
        }
        String field = "target " + target.name();
        JsonNode settings = target.settings();
        JsonNode bucket = settings.path("bucket");
        if (!bucket.isTextual() || bucket.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": bucket must be a non-empty string");
        }
        JsonNode listed = settings.path("prefixes");
        if (!listed.isArray() || listed.isEmpty()) {
            throw new IllegalArgumentException(field + ": prefixes must be a non-empty array of strings");
        }
        List<String> prefixes = new ArrayList<>();
        for (JsonNode prefix : listed) {
            if (!prefix.isTextual()) {
                throw new IllegalArgumentException(field + ": prefixes must be a non-empty array of strings");
            }
            prefixes.add(prefix.asText());
        }
        RecordMatcher matcher = RecordMatcher.fromConfig(settings.get("match"), field + ": match");
        return new ArchiveTarget(target.name(), bucket.asText(), outermost(prefixes), matcher);
    }

    /**
     * Why the work cannot run in its archive target at all, if so — the request type does not delete, the target's
     * settings are wrong, it has no match paths for the subject type — checked before any object is read, by every
     * archive executor alike.
     */
    public static Optional<TargetOutcome> refusal(TargetWork work) {
        if (!work.type().deletes()) {
            return Optional.of(new TargetOutcome.NotSupported("the archive only deletes; " + work.type()
                    + " is not carried out"));
        }
        ArchiveTarget target;
        try {
            target = from(work.target());
        } catch (IllegalArgumentException e) {
            return Optional.of(new TargetOutcome.Failed(e.getMessage()));
        }
        if (!target.matcher().covers(work.subjectType())) {
            return Optional.of(new TargetOutcome.NotSupported("target " + target.name() + " has no match paths for "
                    + work.subjectType()));
        }
        return Optional.empty();
    }

    /** Whether the key is under one of the prefixes. */
    public boolean covers(String key) {
        return prefixes.stream().anyMatch(key::startsWith);
    }

    private static List<String> outermost(List<String> prefixes) {
        return prefixes.stream().distinct()
                .filter(p -> prefixes.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)))
                .sorted(ArchiveSlice::compareKeys).toList();
    }
}
