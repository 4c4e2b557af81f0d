package dev.tally.aws.redshift;

import dev.tally.delivery.Warehouse.WarehouseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Brings a warehouse's schema to the newest version on a loader's first load, for both adapters. Two loaders
 * starting at once on an empty database both try: creating the schema is harmless twice but may fail the loser of
 * the race (PostgreSQL reports a duplicate catalog row), and the versions themselves are applied under a lock with
 * a guarded version row ({@link WarehouseSql#migrate}). A failed attempt is rolled back whole and tried again from
 * the version it then finds, so every version is applied once.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    static final int ATTEMPTS = 4;

    /** What the migrator needs of a database. */
    interface Database {
        /** Runs the statements as one transaction: all of them or none. */
        void transaction(List<String> statements, String name) throws WarehouseException;

        /** The one number a query answers. */
        long queryLong(String sql) throws WarehouseException;
    }

    private SchemaMigrator() {
    }

    static void migrate(WarehouseSql sql, Database database, Clock clock) throws WarehouseException {
        for (int attempt = 1; ; attempt++) {
            try {
                database.transaction(sql.bootstrap(), "tally-schema-bootstrap");
                long current = database.queryLong(sql.currentVersion());
                List<WarehouseSql.Migration> pending = sql.migrations().stream()
                        .filter(migration -> migration.version() > current).toList();
                if (!pending.isEmpty()) {
                    database.transaction(sql.migrate(pending, clock.instant()), "tally-schema-migrate");
                    LOG.info("warehouse schema {} at version {} (was {})", sql.schema(),
                            pending.get(pending.size() - 1).version(), current);
                }
                return;
            } catch (WarehouseException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.info("warehouse schema {}: migration attempt {} failed, trying again: {}", sql.schema(), attempt,
                        e.getMessage());
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) throws WarehouseException {
        try {
            Thread.sleep(100L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("interrupted while migrating the warehouse schema", e);
        }
    }
}
