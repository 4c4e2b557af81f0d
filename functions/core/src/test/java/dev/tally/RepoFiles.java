package dev.tally;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files kept at the repository root (sample events, the demo month) that tests read. */
public final class RepoFiles {
    private RepoFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("tally.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("../..");
        if (!Files.isDirectory(root.resolve("events"))) {
            throw new IllegalStateException("repository root not found at " + root.toAbsolutePath());
        }
        return root.normalize();
    }

    public static Path events(String relative) {
        return root().resolve("events").resolve(relative);
    }
}
