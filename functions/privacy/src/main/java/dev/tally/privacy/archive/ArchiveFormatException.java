package dev.tally.privacy.archive;

import java.io.IOException;

/**
 * An object that cannot be read as JSON lines faithfully enough to rewrite it: a corrupt or truncated gzip
 * stream, data after a gzip member that is not another member, a line longer than the scrubber holds. Such an
 * object is never rewritten (it could not be written back byte for byte). The message names no content.
 */
public final class ArchiveFormatException extends IOException {
    public ArchiveFormatException(String message) {
        super(message);
    }

    public ArchiveFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
