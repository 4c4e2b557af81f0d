package dev.tally.billing;

import dev.tally.InputException;

import java.nio.file.Path;

/** A bill that cannot be used at all: missing, unreadable, not a bill, or a broken archive. Fails the run. */
public class BillFileException extends InputException {
    private static final long serialVersionUID = 1L;

    public BillFileException(Path file, String reason) {
        super(file + ": " + reason);
    }

    public BillFileException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
