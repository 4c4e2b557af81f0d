package dev.tally.aws.s3;

import dev.tally.delivery.ObjectStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream of one object that survives a broken connection: reading a multi-gigabyte bill takes
 * minutes, and a reset mid-way would otherwise fail the whole rollup. On a read failure — or an end of
 * stream before the object's length, which is how some servers end a response they give up on — it opens
 * the object again from the byte it had reached (the opener pins the same object, by version or ETag, so the
 * bytes are the same), a few times, then gives up with the failure.
 */
final class ResumingInputStream extends InputStream {
    /** Opens the object from a byte offset. */
    interface Opener {
        InputStream open(long offset) throws IOException;
    }

    private final Opener opener;
    private final long length;
    private final int attempts;
    private final long backoffMillis;
    private InputStream current;
    private long position;

    /** @param length the object's length in bytes, or -1 if unknown (then an early end is not noticed) */
    ResumingInputStream(Opener opener, InputStream first, long length, int attempts) {
        this(opener, first, length, attempts, 200);
    }

    /** @param backoffMillis the first pause before reopening; it doubles with every attempt (at most 5 s) */
    ResumingInputStream(Opener opener, InputStream first, long length, int attempts, long backoffMillis) {
        this.opener = opener;
        this.current = first;
        this.length = length;
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        IOException failure = null;
        for (int attempt = 0; attempt <= attempts; attempt++) {
            try {
                if (current == null) {
                    current = opener.open(position);
                }
                int n = current.read(b, off, len);
                if (n > 0) {
                    position += n;
                } else if (n < 0 && length >= 0 && position < length) {
                    throw new java.io.EOFException("the response ended at byte " + position + " of " + length);
                }
                return n;
            } catch (IOException e) {
                if (e instanceof ObjectStore.NotFound || e instanceof ObjectStore.Changed) {
                    throw e;
                }
                failure = e;
                closeQuietly();
                pause(attempt);
            }
        }
        throw failure;
    }

    private void closeQuietly() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // the connection is broken already
            }
            current = null;
        }
    }

    private void pause(int attempt) throws IOException {
        try {
            Thread.sleep(Math.min(5_000L, backoffMillis << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while resuming a download");
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
