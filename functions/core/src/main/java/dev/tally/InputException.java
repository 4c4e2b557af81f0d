package dev.tally;

/**
 * Input the run cannot use at all (a missing or unreadable file, a file that is not a bill, a
 * truncated archive, an invalid product-area map). Its message is one line a person can act on.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
