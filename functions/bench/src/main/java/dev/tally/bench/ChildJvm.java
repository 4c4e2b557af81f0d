package dev.tally.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a probe main in a fresh JVM (java from {@code java.home}) and measures the whole process's wall time. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param exitCode  the process's exit status (-1 if it was killed after the timeout)
     * @param wallMillis from just before the process was started to its exit
     * @param stdout    what it printed on stdout
     * @param stderr    what it printed on stderr
     */
    record Outcome(int exitCode, long wallMillis, String stdout, String stderr, boolean timedOut) {
        /** The last few lines of stderr, for a failure message. */
        String stderrTail(int lines) {
            List<String> all = stderr.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /** {@code <java.home>/bin/java <jvmArgs> -cp <classPath> <mainClass> <args>}. */
    static List<String> command(List<String> jvmArgs, String classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The class path a child needs to run this module's probes: this JVM's own class path, made absolute
     * (the shaded jar when started with {@code -jar}, the test class path under Maven).
     */
    static String ownClassPath() {
        List<String> parts = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!p.isEmpty()) {
                parts.add(Path.of(p).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /** Runs the command to its end (or kills it after {@code timeoutSeconds}, if positive). */
    static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tally-bench-", ".out");
        Path err = Files.createTempFile("tally-bench-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            boolean timedOut = false;
            if (timeoutSeconds > 0) {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    timedOut = true;
                    p.destroyForcibly();
                    p.waitFor();
                }
            } else {
                p.waitFor();
            }
            long wall = (System.nanoTime() - t0) / 1_000_000;
            return new Outcome(timedOut ? -1 : p.exitValue(), wall, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), timedOut);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
