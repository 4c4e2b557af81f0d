package dev.tally.privacy.warehouse;

import dev.tally.privacy.PrivacyConfig.InvalidConfigException;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes work's subjects from a {@code WAREHOUSE} target: the configured tables and, when schemas are configured,
 * every base table in them with the subject type's column; each table by {@link WarehouseDeleter#delete}, one
 * transaction a table. Evidence per request: {@code rows_deleted} (its total), {@code tables} (table → its rows,
 * every table tried, 0s included) and, when some of its ids could match no row, {@code ids_skipped}.
 *
 * <p>Outcomes: a request type that does not delete, or a subject type without a configured column, is
 * {@code NotSupported}; a configuration mistake, a configured table that does not exist, or a permanent database
 * error is {@code Failed} naming the table; a transient one is {@code Retry}. Rows a failed attempt deleted from
 * the tables before the failing one stay deleted; the retry finds none left there and counts 0 for them (the
 * receipt's evidence is that of the attempt that succeeded). A discovered table dropped between discovery and its
 * {@code DELETE} took its rows with it and is left out. Logs say tables, counts and request ids, never ids.
 */
public final class WarehouseExecutor implements TargetExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseExecutor.class);

    private final WarehouseDeleter deleter;

    public WarehouseExecutor(WarehouseDeleter deleter) {
        this.deleter = deleter;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.WAREHOUSE;
    }

    @Override
    public TargetOutcome execute(TargetWork work) {
        if (!work.type().deletes()) {
            return new TargetOutcome.NotSupported("the warehouse only deletes; " + work.type() + " deletes nothing");
        }
        WarehouseTargetConfig config;
        try {
            config = WarehouseTargetConfig.of(work.target());
        } catch (InvalidConfigException | IllegalArgumentException e) {
            return new TargetOutcome.Failed(e.getMessage());
        }
        Optional<String> column = config.column(work.subjectType());
        if (column.isEmpty()) {
            return new TargetOutcome.NotSupported("target " + config.name() + " has no column for "
                    + work.subjectType());
        }
        String name = config.name();
        try {
            List<String> discovered = config.schemas().isEmpty() ? List.of()
                    : deleter.tablesWithColumn(config.schemas(), column.get());
            Set<String> tables = new LinkedHashSet<>(config.tables());
            tables.addAll(discovered);
            WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(new ArrayList<>(tables), column.get(),
                    work.subjectType(), work.subjectsByRequest(), config.batchSize());
            return new TargetOutcome.Done(evidence(plan, delete(name, plan, Set.copyOf(config.tables()))));
        } catch (WarehouseDeletionException e) {
            LOG.warn("warehouse target {} (attempt {}): {} ({})", name, work.attempt(), e.getMessage(), e.kind());
            return switch (e.kind()) {
                case TRANSIENT -> new TargetOutcome.Retry(e.getMessage(), Optional.empty());
                case MISSING_TABLE, PERMANENT -> new TargetOutcome.Failed(e.getMessage());
            };
        }
    }

    /** Table → request id → rows, for every table that exists. */
    private Map<String, Map<String, Long>> delete(String name, WarehouseDeletionPlan plan, Set<String> configured)
            throws WarehouseDeletionException {
        Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
        if (plan.tables().isEmpty()) {
            LOG.warn("warehouse target {}: no table has column {}; nothing to delete", name, plan.column());
        }
        for (String table : plan.tables()) {
            if (plan.batches().isEmpty()) {
                rows.put(table, zeros(plan));
                continue;
            }
            long started = System.nanoTime();
            try {
                Map<String, Long> deleted = new LinkedHashMap<>(zeros(plan));
                deleted.putAll(deleter.delete(table, plan));
                rows.put(table, deleted);
                LOG.info("warehouse target {}: {} rows deleted from {} for {} requests, {} ms", name,
                        deleted.values().stream().mapToLong(Long::longValue).sum(), table, deleted.size(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (WarehouseDeletionException e) {
                if (e.kind() == WarehouseDeletionException.Kind.MISSING_TABLE && !configured.contains(table)) {
                    LOG.info("warehouse target {}: table {} was dropped since it was discovered; left out", name,
                            table);
                    continue;
                }
                throw e.kind() == WarehouseDeletionException.Kind.MISSING_TABLE
                        ? new WarehouseDeletionException(e.kind(), "table " + table + " does not exist")
                        : e;
            }
        }
        return rows;
    }

    private static Map<String, Long> zeros(WarehouseDeletionPlan plan) {
        Map<String, Long> zeros = new LinkedHashMap<>();
        plan.requestIds().forEach(id -> zeros.put(id, 0L));
        return zeros;
    }

    private static Map<String, Map<String, Object>> evidence(WarehouseDeletionPlan plan,
                                                             Map<String, Map<String, Long>> rows) {
        Map<String, Map<String, Object>> evidence = new LinkedHashMap<>();
        for (String request : plan.requestIds()) {
            Map<String, Long> tables = new LinkedHashMap<>();
            rows.forEach((table, byRequest) -> tables.put(table, byRequest.getOrDefault(request, 0L)));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("rows_deleted", tables.values().stream().mapToLong(Long::longValue).sum());
            fields.put("tables", Collections.unmodifiableMap(tables));
            if (plan.skippedIds(request) > 0) {
                fields.put("ids_skipped", plan.skippedIds(request));
            }
            evidence.put(request, Collections.unmodifiableMap(fields));
        }
        return evidence;
    }
}
