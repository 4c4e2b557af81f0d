package dev.tally.local;

/**
 * An emulator of the local AWS stack could not be started or used. The message is one line that names what is
 * missing and how to get it, fit to print as it is.
 */
public class LocalAwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalAwsException(String message) {
        super(message);
    }

    public LocalAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
