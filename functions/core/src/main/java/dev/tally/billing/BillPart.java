package dev.tally.billing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One file of a bill as stored — plain, gzip or zip bytes — wherever it lies: a local file, or an S3
 * object streamed by the billing function. A bill is one or more parts ({@link Bill}); the readers
 * open a part, never hold it whole.
 */
public interface BillPart {
    /** How messages name the part: a path, or {@code s3://bucket/key}. */
    String name();

    /** The part's bytes as stored, from the start. Called once per reading (a bill may be read twice). */
    InputStream open() throws IOException;

    /** Its stored size in bytes, for progress; -1 if unknown. */
    long size();

    /**
     * Reads {@code length} stored bytes from {@code position} into {@code into[offset..]} — for a Parquet part,
     * whose index (the footer) is at its end and whose columns are read where they lie. This default reads
     * from the start and skips; a local file and an S3 object read just the range.
     *
     * @throws java.io.EOFException if the part ends first
     */
    default void readFully(long position, byte[] into, int offset, int length) throws IOException {
        try (InputStream in = open()) {
            in.skipNBytes(position);
            int n = in.readNBytes(into, offset, length);
            if (n < length) {
                throw new java.io.EOFException(name() + ": ends before byte " + (position + length));
            }
        }
    }

    /** A local file. */
    static BillPart of(Path file) {
        return new LocalFile(file);
    }

    /** A bill part on the local disk. */
    record LocalFile(Path file) implements BillPart {
        @Override
        public String name() {
            return file.toString();
        }

        @Override
        public InputStream open() throws IOException {
            if (Files.isDirectory(file)) {
                throw new BillFileException(name(), "is a directory, not a bill file");
            }
            try {
                return Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new BillFileException(name(), "no such file");
            } catch (AccessDeniedException e) {
                throw new BillFileException(name(), "permission denied");
            }
        }

        @Override
        public void readFully(long position, byte[] into, int offset, int length) throws IOException {
            open().close(); // the same messages as open() for a missing file or a directory
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(into, offset, length);
                long at = position;
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, at);
                    if (n < 0) {
                        throw new java.io.EOFException(name() + ": ends before byte " + (position + length));
                    }
                    at += n;
                }
            }
        }

        @Override
        public long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
