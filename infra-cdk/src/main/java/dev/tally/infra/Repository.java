package dev.tally.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Tally repository the app is synthesized from: the first directory upwards from the working directory that
 * holds {@code functions/} and {@code infra-cdk/} (so the app runs the same from the root, from {@code infra-cdk/}
 * as the CDK CLI does, and under Maven).
 */
public final class Repository {
    private Repository() {
    }

    /** @throws IllegalStateException if the working directory is not inside the repository */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("functions")) && Files.isDirectory(dir.resolve("infra-cdk"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no Tally repository (a directory with functions/ and infra-cdk/) above " + start);
    }

    /** {@code infra-cdk/}, where cdk.json is: what a relative config path is relative to. */
    public static Path infraDir() {
        return root().resolve("infra-cdk");
    }
}
