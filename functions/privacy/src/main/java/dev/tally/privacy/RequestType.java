package dev.tally.privacy;

/** What a privacy request asks for (privacy.md, "Requests"). */
public enum RequestType {
    /** Delete the subject's data in every target. */
    DELETE,
    /** Record the subject as suppressed: no further use or forwarding. */
    SUPPRESS,
    /** Both. */
    SUPPRESS_WITH_DELETE,
    /** Lift a suppression. */
    UNSUPPRESS;

    /** Whether data is deleted in the targets. */
    public boolean deletes() {
        return this == DELETE || this == SUPPRESS_WITH_DELETE;
    }

    /** Whether the subjects go into the suppression table. */
    public boolean suppresses() {
        return this == SUPPRESS || this == SUPPRESS_WITH_DELETE;
    }
}
