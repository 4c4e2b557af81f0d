package dev.tally.infra.tagging;

import dev.tally.allocation.ProductAreaMap;
import dev.tally.rollup.ProductAreaFile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service → product area file, read with the same parser the publisher and {@code tally rollup} use
 * ({@link ProductAreaFile}). Its text is what the history stack publishes; its areas are the only tag values the
 * app accepts ({@link TagEnforcement}), and every Tally service the app names must have one ({@link #areaOf}).
 */
public final class AreasFile {
    private final Path path;
    private final String content;
    private final ProductAreaMap map;

    private AreasFile(Path path, String content, ProductAreaMap map) {
        this.path = path;
        this.content = content;
        this.map = map;
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static AreasFile read(Path path) {
        try {
            String content = Files.readString(path);
            ProductAreaMap map = ProductAreaFile.parse(
                    new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), path.toString());
            return new AreasFile(path, content, map);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("areasFile: " + path + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("areasFile: " + path + " cannot be read", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("areasFile: " + e.getMessage(), e);
        }
    }

    /** The file as written: the custom resource's property, so a change of the file republishes it. */
    public String content() {
        return content;
    }

    /** Every product area the file names. */
    public Set<String> areas() {
        return new TreeSet<>(map.entries().values());
    }

    /** The area of a service the app names; @throws IllegalArgumentException if the file gives it none */
    public String areaOf(String service) {
        String area = map.entries().get(service);
        if (area == null) {
            throw new IllegalArgumentException("areasFile " + path + ": the app's service '" + service
                    + "' has no product area (add \"" + service + "\": \"<area>\")");
        }
        return area;
    }

    /** @throws IllegalArgumentException if {@code area} is not one of the file's areas */
    public String requireArea(String key, String area) {
        if (!areas().contains(area)) {
            throw new IllegalArgumentException(key + ": unknown product area '" + area + "' (the areas file "
                    + path + " names " + areas() + ")");
        }
        return area;
    }
}
