package dev.tally.aws.sqs;

/**
 * A queue message whose body is not one of ours: not JSON, or without a field it needs. The message says what is
 * wrong by field name only — never the body, which could hold anything, personal data included. Retrying cannot
 * help: the body stays what it is.
 */
public final class MalformedMessageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
