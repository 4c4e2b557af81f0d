package dev.tally.privacy.warehouse;

import java.util.List;
import java.util.Map;

/**
 * The warehouse as deletions see it: Redshift through the Data API, or any database over JDBC (PostgreSQL locally).
 * Adapters in tally-aws ({@code DataApiWarehouseDeleter}, {@code JdbcWarehouseDeleter}) run one contract suite.
 * Failures are {@link WarehouseDeletionException}s whose messages never hold a subject id, nor SQL text or a
 * database's own error text (which can quote values).
 */
public interface WarehouseDeleter {

    /**
     * The base tables (not views) in these schemas that have the column, as {@code schema.table}, sorted, found
     * through {@code information_schema.columns}.
     */
    List<String> tablesWithColumn(List<String> schemas, String column) throws WarehouseDeletionException;

    /**
     * Deletes the rows of every batch of the plan from one table, in one transaction where the database allows
     * (docs/privacy-warehouse.md: a Data API batch takes 40 statements), batch by batch in plan order.
     *
     * @param table one of the plan's tables
     * @return rows deleted per request id, every request of the plan present (0 when nothing matched)
     */
    Map<String, Long> delete(String table, WarehouseDeletionPlan plan) throws WarehouseDeletionException;
}
