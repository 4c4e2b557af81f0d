package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.InputException;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Delivers a file of EventBridge events (one per line) to Lambda handlers the way the deployed
 * pipeline does: SQS batches of ten, every batch to every handler (each takes the kinds it subscribes
 * to), several batches in flight at once.
 */
final class EventReplay {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 10;

    /** What a replay did. */
    record Result(long events, long batches, long failedRecords, double seconds) {
        double eventsPerSecond() {
            return seconds == 0 ? events : events / seconds;
        }
    }

    private EventReplay() {
    }

    static Result replay(Path events, List<RequestStreamHandler> handlers, int concurrency) {
        long start = System.nanoTime();
        AtomicLong failed = new AtomicLong();
        long count = 0;
        long batches = 0;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> inFlight = new ArrayList<>();
        try (BufferedReader lines = open(events)) {
            List<String> batch = new ArrayList<>(BATCH);
            String line;
            long messageId = 0;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                batch.add(line);
                count++;
                if (batch.size() == BATCH) {
                    inFlight.add(submit(pool, sqsBatch(batch, messageId), handlers, failed));
                    messageId += batch.size();
                    batches++;
                    batch = new ArrayList<>(BATCH);
                }
                if (inFlight.size() >= concurrency * 4) {
                    drain(inFlight);
                }
            }
            if (!batch.isEmpty()) {
                inFlight.add(submit(pool, sqsBatch(batch, messageId), handlers, failed));
                batches++;
            }
            drain(inFlight);
        } catch (IOException e) {
            throw new InputException(events + ": cannot be read (" + e.getMessage() + ")");
        } finally {
            pool.shutdownNow();
        }
        return new Result(count, batches, failed.get(), (System.nanoTime() - start) / 1e9);
    }

    private static Future<?> submit(ExecutorService pool, byte[] batch, List<RequestStreamHandler> handlers,
                                    AtomicLong failed) {
        return pool.submit(() -> {
            for (RequestStreamHandler handler : handlers) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    handler.handleRequest(new ByteArrayInputStream(batch), out, null);
                    JsonNode response = JSON.readTree(out.toByteArray());
                    failed.addAndGet(response.path("batchItemFailures").size());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    private static void drain(List<Future<?>> inFlight) {
        for (Future<?> future : inFlight) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a handler failed: " + e.getCause(), e.getCause());
            }
        }
        inFlight.clear();
    }

    private static byte[] sqsBatch(List<String> bodies, long firstId) throws IOException {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        long id = firstId;
        for (String body : bodies) {
            records.addObject().put("messageId", "replay-" + id++).put("body", body).put("eventSource", "aws:sqs");
        }
        return JSON.writeValueAsBytes(batch);
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
