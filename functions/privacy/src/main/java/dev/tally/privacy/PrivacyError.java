package dev.tally.privacy;

/**
 * The error codes of the privacy API and their HTTP statuses (privacy.md, "Wire format"), plus the two an
 * honest server needs besides: a dependency that is down ({@code UNAVAILABLE}) and a fault of ours
 * ({@code INTERNAL}).
 */
public enum PrivacyError {
    INVALID_JSON(400),
    INVALID_FIELD(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    LOCKED(423),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int status;

    PrivacyError(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
