package dev.tally.aws.s3;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one task per object on a fixed number of threads, at most twice as many queued as there are threads (a
 * listing of millions of keys is never held as tasks). The first failure stops it: later submissions and
 * {@link #awaitAll} rethrow it, tasks already running finish.
 */
final class BoundedPool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService threads;
    private final Semaphore slots;
    private final int capacity;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    BoundedPool(int threadCount) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "archive-pass-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.capacity = threadCount * 2;
        this.slots = new Semaphore(capacity);
    }

    <T> void submit(Callable<T> task, Consumer<T> onResult) {
        rethrow();
        acquire(1);
        threads.execute(() -> {
            try {
                onResult.accept(task.call());
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } catch (Exception e) {
                failure.compareAndSet(null, ArchiveFailure.retry("an object task failed (" + e.getClass().getSimpleName() + ")"));
            } finally {
                slots.release();
            }
        });
    }

    /** Waits for every submitted task; rethrows the first failure. */
    void awaitAll() {
        acquire(capacity);
        slots.release(capacity);
        rethrow();
    }

    private void acquire(int permits) {
        try {
            slots.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArchiveFailure.retry("the archive pass was interrupted");
        }
    }

    private void rethrow() {
        RuntimeException first = failure.get();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
