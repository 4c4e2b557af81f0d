package dev.tally.privacy.archive;

import java.util.Map;

/**
 * What scrubbing one object came to.
 *
 * @param gzip             the object was gzip (and so is what was written)
 * @param bytesRead        bytes of the object read (compressed, as stored)
 * @param lines            lines read (records, blank and unparseable lines)
 * @param recordsRemoved   lines removed (records that held a subject)
 * @param removedByGroup   per group (request id): records removed that held one of its subjects; a record of two
 *                         requests' subjects counts for both
 * @param unparseableLines lines that were not JSON, kept as they were
 * @param written          the output holds the whole scrubbed object (false when nothing was removed, or when
 *                         {@link #rewriteNeeded()})
 * @param complete         the object was read to its end; false when the scrubber stopped at the first removal
 *                         because the lines before it no longer fitted in memory (then {@link #rewriteNeeded()})
 */
public record ScrubResult(boolean gzip, long bytesRead, long lines, long recordsRemoved,
                          Map<String, Long> removedByGroup, long unparseableLines, boolean written, boolean complete) {
    public ScrubResult {
        removedByGroup = Map.copyOf(removedByGroup);
    }

    /** Some record was removed: the object must be rewritten. */
    public boolean changed() {
        return recordsRemoved > 0;
    }

    /** The object must be rewritten but the output was not written: read it again with a full {@code scrub}. */
    public boolean rewriteNeeded() {
        return changed() && !written;
    }
}
