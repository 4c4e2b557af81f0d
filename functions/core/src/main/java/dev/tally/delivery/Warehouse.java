package dev.tally.delivery;

/**
 * The SQL warehouse the runs go to (Redshift in AWS, PostgreSQL locally): append-only {@code *_rollup}
 * tables with every run, {@code *_finalized} tables with one set of rows per period, and
 * {@code rollup_runs}. A load is one transaction: it happens whole or not at all, so a failed load is
 * simply loaded again.
 */
public interface Warehouse {
    /**
     * Loads a run from its tables in the output bucket; when the run is {@link RunRecord#finalized()},
     * the period's finalized rows are replaced by its rows in the same transaction. Loading a run again
     * changes nothing (its earlier rows are replaced by the same rows).
     */
    void load(RunRecord run) throws WarehouseException;

    /** A load that did not happen; nothing of it is in the warehouse. */
    final class WarehouseException extends Exception {
        private static final long serialVersionUID = 1L;

        public WarehouseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** No warehouse configured: the runs stay in S3 only. */
    Warehouse NONE = run -> { };
}
