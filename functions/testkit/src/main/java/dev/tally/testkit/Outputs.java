package dev.tally.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Opens the output files, compressed or not, byte-for-byte reproducible (no timestamps from the clock). */
final class Outputs {
    /** Deflate level: fast; the benchmark files are large and written often. */
    static final int LEVEL = 4;
    private static final int BUFFER = 1 << 16;

    private Outputs() {
    }

    static Writer open(Path file, Compression compression, String zipEntryName, LocalDateTime entryTime)
            throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        OutputStream out;
        switch (compression) {
            case GZIP:
                // JDK writes MTIME 0 in the header, so the bytes depend on the content only.
                out = new GZIPOutputStream(raw, BUFFER) {
                    {
                        def.setLevel(LEVEL);
                    }
                };
                break;
            case ZIP:
                ZipOutputStream zip = new ZipOutputStream(raw, StandardCharsets.UTF_8);
                zip.setLevel(LEVEL);
                ZipEntry entry = new ZipEntry(zipEntryName);
                entry.setTimeLocal(entryTime);
                entry.setMethod(ZipEntry.DEFLATED);
                zip.putNextEntry(entry);
                out = zip;
                break;
            default:
                out = raw;
        }
        return new OutputStreamWriter(out, StandardCharsets.UTF_8) {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                flush();
                if (out instanceof ZipOutputStream) {
                    ((ZipOutputStream) out).closeEntry();
                }
                super.close();
            }
        };
    }
}
