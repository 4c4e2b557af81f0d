package dev.tally.privacy.warehouse;

import dev.tally.privacy.SubjectType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What deleting a piece of work from the warehouse comes to: which tables, which column, how it is compared, and
 * the ids in batches — each batch belongs to one request, so that every request's rows are counted apart even when
 * a table's batches run in one transaction. Holds raw subject ids: never logged, its {@link #toString()} says only
 * sizes.
 *
 * @param tables    the tables, {@code table} or {@code schema.table}, each once
 * @param column    the column holding the ids, a plain lower-case identifier
 * @param match     how the column is compared with the ids
 * @param batches   the ids, per request (requests in the order of their ids), at most {@code batchSize} a batch
 * @param requests  every request of the work, in that order, with the ids left out of its batches (below)
 */
public record WarehouseDeletionPlan(List<String> tables, String column, Match match, List<Batch> batches,
                                    Map<String, Integer> requests) {

    /** How the column is compared with the ids. */
    public enum Match {
        /** {@code column IN (ids)}: user ids, exactly. */
        EXACT,
        /** {@code LOWER(column) IN (ids)}, the ids lower-cased: emails, whose case does not matter. */
        LOWER_CASE;

        static Match of(SubjectType type) {
            return type == SubjectType.EMAIL ? LOWER_CASE : EXACT;
        }
    }

    /** Ids of one request, to go into one {@code DELETE}. */
    public record Batch(String requestId, List<String> ids) {
        public Batch {
            Objects.requireNonNull(requestId, "requestId");
            ids = List.copyOf(ids);
        }

        @Override
        public String toString() {
            return "Batch[requestId=" + requestId + ", ids=" + ids.size() + "]";
        }
    }

    public WarehouseDeletionPlan {
        tables = List.copyOf(new LinkedHashSet<>(tables));
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(match, "match");
        batches = List.copyOf(batches);
        requests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requests));
    }

    /**
     * The plan for a work's subjects: each request's ids in the subject type's normalized form (emails trimmed and
     * lower-cased), each once per request, cut into batches of at most {@code batchSize}. Ids that can match no row
     * are left out and counted per request: an empty id (an email of blanks) — which would otherwise match every
     * row with an empty value — and an id holding a NUL character, which neither Redshift nor PostgreSQL can store
     * in a text column. A subject named by two requests is in both; the first request's batch deletes its rows.
     */
    public static WarehouseDeletionPlan of(List<String> tables, String column, SubjectType type,
                                           Map<String, List<String>> subjectsByRequest, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        List<Batch> batches = new ArrayList<>();
        Map<String, Integer> requests = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> request : new TreeMap<>(subjectsByRequest).entrySet()) {
            Set<String> ids = new LinkedHashSet<>();
            int skipped = 0;
            for (String raw : request.getValue()) {
                String id = type.normalize(raw);
                if (id.isEmpty() || id.indexOf('\0') >= 0) {
                    skipped++;
                } else {
                    ids.add(id);
                }
            }
            List<String> all = new ArrayList<>(ids);
            for (int from = 0; from < all.size(); from += batchSize) {
                batches.add(new Batch(request.getKey(), all.subList(from, Math.min(all.size(), from + batchSize))));
            }
            requests.put(request.getKey(), skipped);
        }
        return new WarehouseDeletionPlan(tables, column, Match.of(type), batches, requests);
    }

    /** The request ids, in plan order. */
    public List<String> requestIds() {
        return List.copyOf(requests.keySet());
    }

    /** How many of a request's ids could match no row and were left out. */
    public int skippedIds(String requestId) {
        return requests.getOrDefault(requestId, 0);
    }

    /** How many ids the plan deletes by (a subject named by two requests counts twice). */
    public int idCount() {
        return batches.stream().mapToInt(batch -> batch.ids().size()).sum();
    }

    /** The same plan for other tables (after discovery). */
    public WarehouseDeletionPlan withTables(List<String> otherTables) {
        return new WarehouseDeletionPlan(otherTables, column, match, batches, requests);
    }

    @Override
    public String toString() {
        return "WarehouseDeletionPlan[tables=" + tables + ", column=" + column + ", match=" + match + ", batches="
                + batches.size() + ", ids=" + idCount() + ", requests=" + requests.keySet() + "]";
    }
}
