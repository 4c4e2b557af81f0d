package dev.tally.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of the consumer, so decompressing a bill
 * and parsing it run on two cores at once. Memory is bounded by the queue: a few megabytes whatever
 * the file's size. A failure of the reading thread (a truncated archive) reaches the consumer as the
 * same {@link IOException}.
 */
final class ChunkedInput extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int AHEAD = 8;
    private static final Chunk END = new Chunk(new byte[0], 0, null);

    private record Chunk(byte[] bytes, int length, IOException failure) {
    }

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(AHEAD);
    /** Buffers the consumer has finished with, reused by the reading thread. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(AHEAD + 2);
    private final Thread reader;
    private Chunk current = new Chunk(new byte[0], 0, null);
    private int position;
    private boolean finished;

    ChunkedInput(InputStream source) {
        reader = new Thread(() -> produce(source), "bill-decompress");
        reader.setDaemon(true);
        reader.start();
    }

    private void produce(InputStream source) {
        try {
            while (true) {
                byte[] bytes = free.poll();
                if (bytes == null) {
                    bytes = new byte[CHUNK];
                }
                int length = source.readNBytes(bytes, 0, CHUNK);
                if (length > 0) {
                    queue.put(new Chunk(bytes, length, null));
                }
                if (length < CHUNK) {
                    queue.put(END);
                    return;
                }
            }
        } catch (IOException e) {
            putQuietly(new Chunk(new byte[0], 0, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            putQuietly(new Chunk(new byte[0], 0, new IOException(e.getMessage(), e)));
        }
    }

    private void putQuietly(Chunk chunk) {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == current.length()) {
            if (finished) {
                return -1;
            }
            if (current.bytes().length == CHUNK) {
                free.offer(current.bytes());
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the bill");
            }
            position = 0;
            if (current.failure() != null) {
                finished = true;
                throw current.failure();
            }
            if (current == END) {
                finished = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
