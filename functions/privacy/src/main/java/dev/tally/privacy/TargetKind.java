package dev.tally.privacy;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of place a subject's data is deleted from (privacy.md, "Targets"). */
public enum TargetKind {
    /** JSON-lines objects in S3. */
    S3_ARCHIVE,
    /** Tables in Redshift. */
    WAREHOUSE,
    /** A downstream tool's deletion API. */
    WEBHOOK;

    /**
     * The request types a target of this kind carries out when its configuration does not say: the archive and
     * the warehouse delete, they have no notion of suppression (the suppression table is Tally's own).
     */
    public Set<RequestType> defaultRequestTypes() {
        return EnumSet.of(RequestType.DELETE, RequestType.SUPPRESS_WITH_DELETE);
    }
}
