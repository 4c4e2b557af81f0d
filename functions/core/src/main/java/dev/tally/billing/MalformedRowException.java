package dev.tally.billing;

/** A row that cannot be parsed; it is counted and reported, and the run goes on. */
final class MalformedRowException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedRowException(String reason) {
        super(reason, null, false, false);
    }
}
