package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The JVM options the {@code ./tally} launcher gives the rollup, so the bench measures what users run. */
final class LauncherOptions {
    private LauncherOptions() {
    }

    /** The launcher's JVM options ({@code scripts/jvm-options}, built into this jar), as the launcher picks them here. */
    static List<String> launcherJvmOptions() {
        try (java.io.InputStream in = LauncherOptions.class.getResourceAsStream("jvm-options")) {
            if (in == null) {
                throw new IllegalStateException("jvm-options is missing from the bench jar (rebuild it)");
            }
            return jvmOptions(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    transparentHugePages());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The options of a jvm-options file: comments and blank lines dropped, "thp:" lines only with huge pages. */
    static List<String> jvmOptions(String file, boolean hugePages) {
        return file.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .filter(line -> hugePages || !line.startsWith("thp:"))
                .map(line -> line.startsWith("thp:") ? line.substring("thp:".length()) : line).toList();
    }

    /** Whether the kernel offers transparent huge pages to a process that asks (as the launcher checks). */
    static boolean transparentHugePages() {
        try {
            String mode = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            return mode.contains("[always]") || mode.contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
