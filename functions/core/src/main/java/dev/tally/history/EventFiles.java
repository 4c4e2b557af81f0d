package dev.tally.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads events from files as the events of a period are usually kept: a {@code .json} file (one
 * event, an array of events, or a CloudTrail log file with {@code Records}), a {@code .jsonl} file
 * (one event per line), either optionally gzipped, or a directory tree of such files.
 *
 * <p>Files are streamed: an array of a million events is never held in memory. A line or file that
 * does not parse is counted and reported, and reading goes on.
 */
public final class EventFiles {
    private static final Logger LOG = LoggerFactory.getLogger(EventFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PROBLEMS = 1000;

    private final Consumer<HistoryEvent> sink;
    private final Map<String, Long> used = new TreeMap<>();
    private final Map<String, Long> unknown = new TreeMap<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Strings shared by many events (ARNs, groups), kept once; this reader's thread only. */
    private final dev.tally.billing.ByteInterner strings = new dev.tally.billing.ByteInterner();
    private long files;
    private long events;
    /** Task events the fast scanner took, not yet in {@link #used}. */
    private long taskEvents;
    private long ignored;
    private long invalid;
    /** Set when the caller reads into a builder: large line files may then be split between threads. */
    private HistoryBuilder parallelBuilder;

    /** Where the fast task scanner puts task events: straight into a builder when there is one. */
    private final TaskEventScanner.TaskSink tasks;

    private EventFiles(Consumer<HistoryEvent> sink) {
        this.sink = sink;
        this.tasks = TaskEventScanner.asEvents(sink);
    }

    private EventFiles(HistoryBuilder builder) {
        this.sink = builder::add;
        this.tasks = builder;
    }

    /**
     * Reads every event under {@code path} into {@code sink}.
     *
     * @throws EventFileException if the path does not exist or holds no event file
     */
    public static EventReadReport read(Path path, Consumer<HistoryEvent> sink) {
        EventFiles reader = new EventFiles(sink);
        reader.readPath(path);
        return reader.report();
    }

    /**
     * Reads every event under {@code path} into {@code builder}. Large plain JSON-lines files are read
     * by several threads at once, each into a builder of its own, merged at the end: the merge is
     * order-independent, so the history and the report are the same as a single reader's.
     *
     * @throws EventFileException if the path does not exist or holds no event file
     */
    public static EventReadReport readInto(Path path, HistoryBuilder builder) {
        EventFiles reader = new EventFiles(builder);
        reader.parallelBuilder = builder;
        reader.readPath(path);
        return reader.report();
    }

    /** Feeds already-parsed events (for handlers and tests); same counting as files. */
    public static EventReadReport readNodes(Iterable<JsonNode> nodes, Consumer<HistoryEvent> sink) {
        EventFiles reader = new EventFiles(sink);
        for (JsonNode node : nodes) {
            reader.accept(node, "input", 0);
        }
        return reader.report();
    }

    private void readPath(Path path) {
        if (!Files.exists(path)) {
            throw new EventFileException(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            List<Path> found;
            try (Stream<Path> walk = Files.walk(path)) {
                found = walk.filter(Files::isRegularFile).filter(EventFiles::isEventFile).sorted().toList();
            } catch (IOException e) {
                throw new EventFileException(path + ": cannot list directory (" + e.getMessage() + ")");
            }
            if (found.isEmpty()) {
                throw new EventFileException(path + ": directory holds no .json or .jsonl event files");
            }
            found.forEach(this::readFile);
        } else {
            readFile(path);
        }
    }

    static boolean isEventFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")
                || name.endsWith(".json.gz") || name.endsWith(".jsonl.gz") || name.endsWith(".ndjson.gz");
    }

    private void readFile(Path file) {
        files++;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean lines = name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")
                || name.endsWith(".ndjson") || name.endsWith(".ndjson.gz");
        if (lines && parallelBuilder != null && splittable(file)) {
            readLinesInParallel(file);
            return;
        }
        try (InputStream in = open(file)) {
            if (lines) {
                readLines(file, in);
            } else {
                readDocument(file, in);
            }
        } catch (NoSuchFileException e) {
            throw new EventFileException(file + ": no such file");
        } catch (IOException e) {
            throw new EventFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static final long PARALLEL_MIN_BYTES = 16L << 20;
    private static final int MAX_READERS = 4;

    /** A plain (not gzipped) file big enough to be worth splitting, with LF line ends. */
    private static boolean splittable(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) < PARALLEL_MIN_BYTES || Runtime.getRuntime().availableProcessors() < 2) {
                return false;
            }
            byte[] head = in.readNBytes(1 << 16);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return false;
            }
            boolean newline = false;
            for (int i = 0; i < head.length; i++) {
                if (head[i] == '\n') {
                    newline = true;
                } else if (head[i] == '\r' && (i + 1 == head.length || head[i + 1] != '\n')) {
                    return false;
                }
            }
            return newline;
        } catch (IOException e) {
            return false;
        }
    }

    /** One reader's share of a file: the lines that start in [from, to). */
    private record Share(EventFiles reader, HistoryBuilder builder, long[] lines) {
    }

    private void readLinesInParallel(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new EventFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        int readers = Math.min(MAX_READERS, Runtime.getRuntime().availableProcessors());
        List<java.util.concurrent.CompletableFuture<Share>> shares = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(readers, r -> {
            Thread thread = new Thread(r, "events-reader");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < readers; i++) {
            long from = size * i / readers;
            long to = size * (i + 1) / readers;
            shares.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> readShare(file, from, to), pool));
        }
        pool.shutdown();
        long linesBefore = 0;
        for (var future : shares) {
            Share share;
            try {
                share = future.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            EventFiles part = share.reader();
            events += part.events;
            ignored += part.ignored;
            invalid += part.invalid;
            part.countTaskEvents();
            part.used.forEach((type, n) -> used.merge(type, n, Long::sum));
            part.unknown.forEach((type, n) -> unknown.merge(type, n, Long::sum));
            for (Problem problem : part.problems) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(problem.shifted(linesBefore));
                }
            }
            parallelBuilder.absorb(share.builder());
            linesBefore += share.lines()[0];
        }
    }

    private static Share readShare(Path file, long from, long to) {
        HistoryBuilder builder = new HistoryBuilder();
        EventFiles reader = new EventFiles(builder);
        long[] lines = {0};
        String source = file.toString();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long start = from == 0 ? 0 : from - 1;
            InputStream in = java.nio.channels.Channels.newInputStream(channel.position(start));
            LineScanner scanner = new LineScanner(in);
            if (from > 0) {
                // The line that starts before this share belongs to the previous reader: skip to its end.
                scanner.next((bytes, a, b) -> { });
            }
            while (start + scanner.consumed() < to
                    && scanner.next(reader.wholeTaskLine(lines), (bytes, a, b) -> reader.line(source, ++lines[0], bytes, a, b))) {
                // each line is handled as it is found
            }
        } catch (IOException e) {
            throw new EventFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return new Share(reader, builder, lines);
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    private void readLines(Path file, InputStream in) throws IOException {
        LineScanner lines = new LineScanner(in);
        long[] number = {0};
        String source = file.toString();
        while (lines.next(wholeTaskLine(number), (bytes, from, to) -> line(source, ++number[0], bytes, from, to))) {
            // each line is handled as it is found
        }
    }

    /**
     * The fast way through a line: a plain task event read as its end is found (counted as the line
     * {@code ++lines[0]}); any other line is left to {@link #line}.
     */
    private LineScanner.WholeLine wholeTaskLine(long[] lines) {
        return (bytes, from, limit, endOfInput) -> {
            int end = TaskEventScanner.scanLine(bytes, from, limit, endOfInput, strings, tasks);
            if (end >= 0) {
                lines[0]++;
                events++;
                taskEvents++;
            }
            return end;
        };
    }

    /** One line of a JSON-lines file: parsed keeping only what the history reads (see EventFieldFilter). */
    private void line(String source, long number, byte[] bytes, int from, int to) throws IOException {
        if (LineScanner.isBlank(bytes, from, to)) {
            return;
        }
        if (TaskEventScanner.scan(bytes, from, to, strings, tasks)) {
            events++;
            taskEvents++;
            return;
        }
        JsonNode node = FastEventScanner.scan(bytes, from, to);
        if (node != null) {
            accept(node, source, number);
            return;
        }
        try (JsonParser parser = new FilteringParserDelegate(JSON.createParser(bytes, from, to - from),
                EventFieldFilter.EVENT, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            node = JSON.readTree(parser);
        } catch (JsonProcessingException e) {
            events++;
            problem(source, number, "unparseable JSON");
            invalid++;
            return;
        }
        if (node == null) {
            events++;
            problem(source, number, "unparseable JSON");
            invalid++;
            return;
        }
        accept(node, source, number);
    }

    private void readDocument(Path file, InputStream in) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return;
            }
            if (first == JsonToken.START_ARRAY) {
                readArray(file, parser);
                return;
            }
            // One object, a CloudTrail log file, or several concatenated objects.
            JsonToken token = first;
            while (token != null) {
                long line = parser.currentLocation().getLineNr();
                JsonNode node = parser.readValueAsTree();
                JsonNode records = node == null ? null : node.get("Records");
                if (records != null && records.isArray() && !node.has("detail-type")) {
                    for (JsonNode record : records) {
                        accept(record, file.toString(), line);
                    }
                } else {
                    accept(node, file.toString(), line);
                }
                token = parser.nextToken();
            }
        } catch (JsonProcessingException e) {
            events++;
            invalid++;
            problem(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "unparseable JSON; rest of file skipped");
        }
    }

    private void readArray(Path file, JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == null) {
                throw new JsonProcessingException("unterminated array", parser.currentLocation()) { };
            }
            long line = parser.currentLocation().getLineNr();
            JsonNode node = parser.readValueAsTree();
            accept(node, file.toString(), line);
        }
    }

    private void accept(JsonNode node, String source, long line) {
        events++;
        EventOutcome outcome = EventParser.parse(node);
        if (outcome instanceof EventOutcome.Used u) {
            used.merge(typeOf(u.event()), 1L, Long::sum);
            sink.accept(u.event());
        } else if (outcome instanceof EventOutcome.Ignored) {
            ignored++;
        } else if (outcome instanceof EventOutcome.Unknown unknownType) {
            unknown.merge(unknownType.type(), 1L, Long::sum);
        } else if (outcome instanceof EventOutcome.Invalid bad) {
            invalid++;
            problem(source, line, bad.reason());
        }
    }

    private static String typeOf(HistoryEvent event) {
        if (event instanceof HistoryEvent.TaskStateChange) {
            return EventParser.TASK_STATE_CHANGE;
        }
        if (event instanceof HistoryEvent.ContainerInstanceChange) {
            return EventParser.CONTAINER_INSTANCE_STATE_CHANGE;
        }
        if (event instanceof HistoryEvent.VolumeCall call) {
            return call.kind() == HistoryEvent.VolumeCall.Kind.ATTACH ? "AttachVolume" : "DetachVolume";
        }
        return EventParser.EC2_STATE_CHANGE;
    }

    /** Where an event could not be used and why (never its content). */
    private record Problem(String source, long line, String reason) {
        Problem shifted(long lines) {
            return new Problem(source, line + lines, reason);
        }

        @Override
        public String toString() {
            return source + ":" + line + ": " + reason;
        }
    }

    private void problem(Object source, long line, String reason) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(source.toString(), line, reason));
        }
        if (invalid < 20) {
            LOG.warn("{}:{}: event skipped: {}", source, line, reason);
        }
    }

    /** Adds the task events the fast scanner took to the counts by type. */
    private void countTaskEvents() {
        if (taskEvents > 0) {
            used.merge(EventParser.TASK_STATE_CHANGE, taskEvents, Long::sum);
            taskEvents = 0;
        }
    }

    private EventReadReport report() {
        countTaskEvents();
        return new EventReadReport(files, events, Collections.unmodifiableMap(used), ignored,
                Collections.unmodifiableMap(unknown), invalid,
                problems.stream().map(Problem::toString).toList());
    }
}
