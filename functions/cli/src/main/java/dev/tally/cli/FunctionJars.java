package dev.tally.cli;

import dev.tally.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the Lambda jars of this checkout are (built by the launcher along with the CLI). */
final class FunctionJars {
    private FunctionJars() {
    }

    static Path historyJar() {
        return jar("history");
    }

    static Path reconcilerJar() {
        return jar("reconciler");
    }

    static Path billingJar() {
        return jar("billing");
    }

    static Path privacyApiJar() {
        return jar("privacy-api");
    }

    static Path privacyWorkerJar() {
        return jar("privacy-worker");
    }

    private static Path jar(String module) {
        Path jar = home().resolve("functions/" + module + "/target/tally-" + module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new InputException(jar + ": the " + module + " function's jar is not built (run ./tally from "
                    + "the repository, or mvn -pl functions/" + module + " -am package)");
        }
        return jar;
    }

    /**
     * A directory holding only {@link ColdInvoke}, so the child JVM's class path is the function's jar
     * and nothing of the CLI's.
     */
    static Path runnerClasses() {
        try {
            Path dir = Files.createTempDirectory("tally-invoke-");
            for (Class<?> type : List.of(ColdInvoke.class, ColdInvoke.HistoryFunctionsLocally.class,
                    ColdInvoke.BillingFunctionLocally.class, ColdInvoke.PrivacyFunctionsLocally.class,
                    ColdInvoke.PrivacyWorkersLocally.class, TypedInvoke.class)) {
                String resource = type.getName().replace('.', '/') + ".class";
                try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException(resource + " not found");
                    }
                    Path file = dir.resolve(resource);
                    Files.createDirectories(file.getParent());
                    Files.write(file, in.readAllBytes());
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path home() {
        String home = System.getProperty("tally.home");
        return home != null ? Path.of(home) : Path.of("");
    }
}
