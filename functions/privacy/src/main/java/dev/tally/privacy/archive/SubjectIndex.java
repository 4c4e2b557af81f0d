package dev.tally.privacy.archive;

import dev.tally.privacy.SubjectType;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subjects one pass over the archive looks for, each with the groups (request ids) that named it, so that a
 * removed record is counted once for every request one of whose subjects it held. Ids are kept as
 * {@link SubjectType#normalize normalized} (emails in lower case); values found in records are normalized the
 * same way before they are looked up. Holds raw subject ids: never logged.
 */
public final class SubjectIndex {
    private final Map<SubjectType, Map<String, Set<String>>> groupsById;

    private SubjectIndex(Map<SubjectType, Map<String, Set<String>>> groupsById) {
        this.groupsById = groupsById;
    }

    /** One subject type, the subjects of each request (request id → ids), as in a {@code TargetWork}. */
    public static SubjectIndex of(SubjectType type, Map<String, ? extends Collection<String>> subjectsByGroup) {
        Map<String, Set<String>> ids = new HashMap<>();
        subjectsByGroup.forEach((group, subjects) -> {
            for (String id : subjects) {
                ids.computeIfAbsent(type.normalize(id), k -> new LinkedHashSet<>()).add(group);
            }
        });
        ids.replaceAll((id, groups) -> Set.copyOf(groups));
        Map<SubjectType, Map<String, Set<String>>> byType = new EnumMap<>(SubjectType.class);
        if (!ids.isEmpty()) {
            byType.put(type, Map.copyOf(ids));
        }
        return new SubjectIndex(byType);
    }

    /** A single group of subjects: for tests and tools. */
    public static SubjectIndex of(SubjectType type, String group, List<String> ids) {
        return of(type, Map.of(group, ids));
    }

    public Set<SubjectType> types() {
        return groupsById.keySet();
    }

    public boolean isEmpty() {
        return groupsById.isEmpty();
    }

    /** The groups whose subject this raw value found in a record is (after normalizing), or an empty set. */
    public Set<String> groupsOf(SubjectType type, String value) {
        Map<String, Set<String>> ids = groupsById.get(type);
        if (ids == null) {
            return Set.of();
        }
        Set<String> groups = ids.get(type.normalize(value));
        return groups == null ? Set.of() : groups;
    }

    /** Every group named, each once. */
    public Set<String> groups() {
        Set<String> all = new LinkedHashSet<>();
        groupsById.values().forEach(ids -> ids.values().forEach(all::addAll));
        return all;
    }
}
