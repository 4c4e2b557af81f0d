package dev.tally.billing;

import dev.tally.InputException;

import java.nio.file.Path;

/** A bill that cannot be used at all: missing, unreadable, not a bill, or a broken archive. Fails the run. */
public class BillFileException extends InputException {
    private static final long serialVersionUID = 1L;

    public BillFileException(Path file, String reason) {
        this(file.toString(), reason);
    }

    public BillFileException(Path file, String reason, Throwable cause) {
        this(file.toString(), reason, cause);
    }

    /** @param part how the part is named: a path, or {@code s3://bucket/key} */
    public BillFileException(String part, String reason) {
        super(part + ": " + reason);
    }

    public BillFileException(String part, String reason, Throwable cause) {
        super(part + ": " + reason, cause);
    }
}
