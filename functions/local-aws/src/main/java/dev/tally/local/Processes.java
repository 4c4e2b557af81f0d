package dev.tally.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Ports, child processes and temporary directories, for the emulators. */
final class Processes {
    static final String LOOPBACK = "127.0.0.1";

    private Processes() {
    }

    /** A port that was free a moment ago on the loopback address. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** Whether something accepts TCP connections on the loopback port. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until the port answers. Fails at once when {@code alive} turns false (the server died), and after
     * {@code timeoutMillis} at the latest.
     */
    static void awaitPort(String what, int port, BooleanSupplier alive, long timeoutMillis, Path log) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            if (answers(port)) {
                return;
            }
            if (!alive.getAsBoolean()) {
                throw new LocalAwsException(what + " exited before it answered on port " + port + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new LocalAwsException(what + " did not answer on port " + port + " within "
                        + timeoutMillis / 1000 + " s" + tail(log));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalAwsException("interrupted while waiting for " + what);
            }
        }
    }

    /** {@code ": <last lines of the log>"}, or nothing when there is no log, for error messages. */
    static String tail(Path log) {
        if (log == null || !Files.isRegularFile(log)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toList());
            if (lines.isEmpty()) {
                return "";
            }
            return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Ends a process and every process below it: politely first, then forcibly. */
    static void killTree(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Runs a command to its end, with its output (stdout and stderr) in the result. Output goes through a file, so
     * a daemon the command leaves behind cannot hold it open.
     */
    static Result run(List<String> command, Path directory, long timeoutSeconds) {
        Path output = null;
        try {
            output = Files.createTempFile("tally-local-cmd-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                killTree(process);
                return new Result(-1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // ignore
                }
            }
        }
    }

    /** Deletes a directory tree, quietly. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a leftover in the temporary directory is no reason to fail
        }
    }

    /** The first executable named {@code name} on the PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The output on one line, for messages. */
        String oneLine() {
            return output.strip().replaceAll("\\s*\\R\\s*", " | ");
        }
    }
}
