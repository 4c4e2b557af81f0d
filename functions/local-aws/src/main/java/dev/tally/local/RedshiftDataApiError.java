package dev.tally.local;

import java.util.Map;

/**
 * A request to the local Redshift Data API is refused: the answer is HTTP {@link #status} with
 * {@code {"__type": type, "message": ..., <extra>}} and {@code x-amzn-ErrorType: type}, which the AWS SDK turns into
 * its exception of that name. A statement that fails once accepted is no such error: see {@link RedshiftDataFailure}.
 */
final class RedshiftDataApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;
    final int status;
    /** Members of the answer beside {@code __type} and {@code message} (the SDK reads {@code ResourceId}). */
    final transient Map<String, Object> extra;

    RedshiftDataApiError(String type, String message) {
        this(type, message, 400, Map.of());
    }

    RedshiftDataApiError(String type, String message, int status, Map<String, Object> extra) {
        super(message);
        this.type = type;
        this.status = status;
        this.extra = extra;
    }

    /** A member is missing or out of range. */
    static RedshiftDataApiError validation(String message) {
        return new RedshiftDataApiError("ValidationException", message);
    }

    /** The body, or a member of it, is not of the JSON type the operation takes. */
    static RedshiftDataApiError serialization(String message) {
        return new RedshiftDataApiError("SerializationException", message);
    }

    /** {@code id} names no statement kept (never submitted, forgotten, or a sub-statement the batch lacks). */
    static RedshiftDataApiError queryNotFound(String id) {
        return new RedshiftDataApiError("ResourceNotFoundException", "Query does not exist.", 400,
                Map.of("ResourceId", id));
    }
}
