package dev.tally.privacy.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The content of a gzip stream of one or more members (RFC 1952; concatenated members are one stream, as gzip and
 * Firehose write them), each member's CRC-32 and length checked. Unlike {@link java.util.zip.GZIPInputStream}
 * on Java 17, which decides whether another member follows by asking {@code available()} and so silently stops
 * after the first member on a network stream that has nothing buffered at that moment, it reads until the end
 * of the stream: data after a member that is not another member fails with {@link ArchiveFormatException}, as
 * does a truncated or corrupt member. Rewriting an object read short would lose records, so no guessing.
 */
final class GzipMembersInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] input = new byte[64 * 1024];
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private int inputPos;
    private int inputLen;
    private boolean done;

    GzipMembersInputStream(InputStream in) throws IOException {
        this.in = in;
        header();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            try {
                int n = inflater.inflate(b, off, len);
                if (n > 0) {
                    crc.update(b, off, n);
                    return n;
                }
            } catch (DataFormatException e) {
                throw new ArchiveFormatException("corrupt gzip data", e);
            }
            if (inflater.finished()) {
                inputPos = inputLen - inflater.getRemaining();
                trailer();
            } else if (inflater.needsDictionary()) {
                throw new ArchiveFormatException("corrupt gzip data: a preset dictionary");
            } else if (inflater.needsInput()) {
                if (!refill()) {
                    throw new ArchiveFormatException("truncated gzip data");
                }
                inflater.setInput(input, inputPos, inputLen - inputPos);
                inputPos = inputLen;
            }
        }
        return -1;
    }

    private void header() throws IOException {
        if (nextByte() != 0x1f || nextByte() != 0x8b || nextByte() != 8) {
            throw new ArchiveFormatException("not a gzip member");
        }
        int flags = nextByte();
        for (int i = 0; i < 6; i++) {
            nextByte(); // MTIME, XFL, OS
        }
        if ((flags & FEXTRA) != 0) {
            int length = nextByte() | nextByte() << 8;
            for (int i = 0; i < length; i++) {
                nextByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (nextByte() != 0) {
                // the original file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (nextByte() != 0) {
                // a comment
            }
        }
        if ((flags & FHCRC) != 0) {
            nextByte();
            nextByte();
        }
        inflater.reset();
        crc.reset();
        inflater.setInput(input, inputPos, inputLen - inputPos);
        inputPos = inputLen;
    }

    private void trailer() throws IOException {
        long expectedCrc = littleEndianInt();
        long expectedSize = littleEndianInt();
        if (expectedCrc != crc.getValue() || expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ArchiveFormatException("corrupt gzip data: checksum or length mismatch");
        }
        if (inputPos == inputLen && !refill()) {
            done = true;
            return;
        }
        header();
    }

    private long littleEndianInt() throws IOException {
        return nextByte() | (long) nextByte() << 8 | (long) nextByte() << 16 | (long) nextByte() << 24;
    }

    private int nextByte() throws IOException {
        if (inputPos == inputLen && !refill()) {
            throw new ArchiveFormatException("truncated gzip data", new EOFException());
        }
        return input[inputPos++] & 0xff;
    }

    /** Reads more input to the start of the buffer; false at the end of the stream. */
    private boolean refill() throws IOException {
        int n;
        do {
            n = in.read(input, 0, input.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        inputPos = 0;
        inputLen = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
