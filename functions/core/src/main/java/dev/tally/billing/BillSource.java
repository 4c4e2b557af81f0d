package dev.tally.billing;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens a bill as a stream of CSV bytes, whatever its packaging: plain, gzip, or zip (first file
 * entry) — or recognises a Parquet part, which the readers read by position instead. The packaging is
 * recognised by its magic bytes, not the file name, so a renamed file still opens.
 */
public final class BillSource {
    private static final int BUFFER = 1 << 16;

    private BillSource() {
    }

    /** Compression of a bill file. */
    public enum Packaging { PLAIN, GZIP, ZIP, PARQUET }

    /**
     * An open bill: the decompressed stream and a count of the file's bytes read so far (for progress). A
     * {@link Packaging#PARQUET} part is not a stream: its stream is empty, and the readers read the part where
     * its footer says ({@link ParquetRecords}).
     */
    public record Opened(InputStream csv, Packaging packaging, CountingInputStream raw) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            csv.close();
        }
    }

    /**
     * @throws BillFileException if the file is missing, unreadable, or an archive with no file in it
     */
    public static Opened open(Path file) {
        return open(BillPart.of(file));
    }

    /**
     * @throws BillFileException if the part is missing, unreadable, or an archive with no file in it
     */
    public static Opened open(BillPart part) {
        if (part.name().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") && isParquet(part)) {
            // its magic bytes by a positional read: an S3 part is not streamed (and abandoned) to find them
            return new Opened(InputStream.nullInputStream(), Packaging.PARQUET,
                    new CountingInputStream(InputStream.nullInputStream()));
        }
        CountingInputStream raw;
        try {
            raw = new CountingInputStream(part.open());
        } catch (BillFileException e) {
            throw e;
        } catch (IOException e) {
            throw new BillFileException(part.name(), "cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
            buffered.mark(4);
            int b0 = buffered.read();
            int b1 = buffered.read();
            int b2 = buffered.read();
            int b3 = buffered.read();
            buffered.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new Opened(new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER),
                        Packaging.GZIP, raw);
            }
            if (b0 == 'P' && b1 == 'K' && b2 == 3 && b3 == 4) {
                ZipInputStream zip = new ZipInputStream(buffered);
                ZipEntry entry = zip.getNextEntry();
                while (entry != null && entry.isDirectory()) {
                    entry = zip.getNextEntry();
                }
                if (entry == null) {
                    zip.close();
                    throw new BillFileException(part.name(), "zip archive holds no file");
                }
                return new Opened(new BufferedInputStream(zip, BUFFER), Packaging.ZIP, raw);
            }
            if (b0 == 'P' && b1 == 'K') {
                buffered.close();
                throw new BillFileException(part.name(), "empty or unsupported zip archive");
            }
            if (b0 == 'P' && b1 == 'A' && b2 == 'R' && b3 == '1') {
                buffered.close();
                return new Opened(InputStream.nullInputStream(), Packaging.PARQUET, raw);
            }
            return new Opened(buffered, Packaging.PLAIN, raw);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new BillFileException(part.name(), "cannot be opened as plain, gzip or zip (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Whether a part named {@code .parquet} begins with Parquet's magic bytes; false if it cannot tell. */
    private static boolean isParquet(BillPart part) {
        if (part.size() < 8) {
            return false;
        }
        byte[] magic = new byte[4];
        try {
            part.readFully(0, magic, 0, 4);
        } catch (IOException e) {
            return false; // the stream's own sniffing below reports what is wrong
        }
        return magic[0] == 'P' && magic[1] == 'A' && magic[2] == 'R' && magic[3] == '1';
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing with a better message
        }
    }

    /** Counts the bytes read from the file itself, before decompression. */
    public static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        public long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
