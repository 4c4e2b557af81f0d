package dev.tally.privacy;

/**
 * A request the privacy API refuses, with the error code, the field at fault (or null) and a message for the
 * caller. Messages never contain a subject id, an email or a code: they name the field and the rule.
 */
public final class PrivacyException extends RuntimeException {
    private final PrivacyError error;
    private final String field;

    public PrivacyException(PrivacyError error, String field, String message) {
        super(message, null, false, false);
        this.error = error;
        this.field = field;
    }

    public static PrivacyException invalid(String field, String message) {
        return new PrivacyException(PrivacyError.INVALID_FIELD, field, message);
    }

    public static PrivacyException notFound() {
        return new PrivacyException(PrivacyError.NOT_FOUND, null, "no such privacy request");
    }

    public PrivacyError error() {
        return error;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }
}
