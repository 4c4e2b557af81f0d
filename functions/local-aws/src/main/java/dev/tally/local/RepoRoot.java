package dev.tally.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the repository (or installation) root, where {@code package.json} and {@code node_modules/} live: the
 * system property {@code tally.repo.root} (set by the build for tests), else {@code tally.home} (set by the
 * {@code tally} launcher), else the nearest directory containing {@code package.json} from the working directory
 * up.
 */
public final class RepoRoot {
    public static final String REPO_ROOT_PROPERTY = "tally.repo.root";
    public static final String HOME_PROPERTY = "tally.home";

    private RepoRoot() {
    }

    /** The root, or a {@link LocalAwsException} saying how to name it. */
    public static Path find() {
        return find(System::getProperty, Path.of("").toAbsolutePath());
    }

    static Path find(UnaryOperator<String> properties, Path workingDirectory) {
        for (String property : new String[] {REPO_ROOT_PROPERTY, HOME_PROPERTY}) {
            String value = properties.apply(property);
            if (value != null && !value.isBlank()) {
                return Path.of(value).toAbsolutePath().normalize();
            }
        }
        return walkUp(workingDirectory.toAbsolutePath().normalize()).orElseThrow(() -> new LocalAwsException(
                "repository root not found: no package.json in " + workingDirectory + " or above; set -D"
                        + REPO_ROOT_PROPERTY + "=DIR"));
    }

    private static Optional<Path> walkUp(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("package.json"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
