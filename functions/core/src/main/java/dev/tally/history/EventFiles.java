package dev.tally.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
    private final List<String> problems = new ArrayList<>();
    private long files;
    private long events;
    private long ignored;
    private long invalid;

    private EventFiles(Consumer<HistoryEvent> sink) {
        this.sink = sink;
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
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        long number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                events++;
                problem(file, number, "unparseable JSON");
                invalid++;
                continue;
            }
            accept(node, file.toString(), number);
        }
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

    private void problem(Object source, long line, String reason) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(source + ":" + line + ": " + reason);
        }
        if (invalid < 20) {
            LOG.warn("{}:{}: event skipped: {}", source, line, reason);
        }
    }

    private EventReadReport report() {
        return new EventReadReport(files, events, Collections.unmodifiableMap(used), ignored,
                Collections.unmodifiableMap(unknown), invalid,
                List.copyOf(problems));
    }
}
