package dev.tally.privacy.warehouse;

import java.util.Objects;

/**
 * A deletion the warehouse did not carry out, and whether trying again may help. The message names tables, columns,
 * SQLSTATEs and error classes only — never a subject id, a statement's text or the database's own error text — so
 * it may go into a receipt and a log line as it is. No cause is kept, for the same reason.
 */
public final class WarehouseDeletionException extends Exception {

    /** What kind of failure it is, which decides the receipt's outcome. */
    public enum Kind {
        /** The connection, throttling, a serialization failure or deadlock, a timeout: worth retrying. */
        TRANSIENT,
        /** The table does not exist. */
        MISSING_TABLE,
        /** Permissions, syntax, a missing column, a wrong type: retrying does not help. */
        PERMANENT
    }

    private final Kind kind;

    public WarehouseDeletionException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
