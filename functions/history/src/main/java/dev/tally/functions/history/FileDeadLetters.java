package dev.tally.functions.history;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dead letters appended to a JSON-lines file, for local runs ({@code tally invoke}). */
public final class FileDeadLetters implements DeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FileDeadLetters(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void send(String source, String reason, String body) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("source", source);
        line.put("reason", reason);
        line.put("body", body);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }
}
