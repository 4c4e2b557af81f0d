package dev.tally.rollup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.InputException;
import dev.tally.allocation.ProductAreaMap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the service → product area map: a JSON object of {@code "service"} or {@code "cluster/service"} to area. */
public final class ProductAreaFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProductAreaFile() {
    }

    /** @throws InputException naming the file and what is wrong with it */
    public static ProductAreaMap read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Parses the map. A key given twice keeps its first area, like the lookup order: first wins.
     *
     * @param source name used in messages
     */
    public static ProductAreaMap parse(InputStream in, String source) throws IOException {
        Map<String, String> areas = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(source, "expected a JSON object of \"service\" or \"cluster/service\" to product area");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING || parser.getText().isBlank()) {
                    throw invalid(source, "the area of \"" + key + "\" must be a non-empty string");
                }
                if (key.isBlank()) {
                    throw invalid(source, "empty service key");
                }
                areas.putIfAbsent(key.trim(), parser.getText().trim());
            }
            if (parser.nextToken() != null) {
                throw invalid(source, "unexpected content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw invalid(source, "not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        return new ProductAreaMap(areas);
    }

    private static InputException invalid(String source, String reason) {
        return new InputException(source + ": invalid product area map: " + reason);
    }
}
