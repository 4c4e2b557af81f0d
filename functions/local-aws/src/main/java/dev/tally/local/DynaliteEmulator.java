package dev.tally.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * DynamoDB by dynalite: {@code node <root>/node_modules/.bin/dynalite} as a child process, in memory, on a free
 * loopback port. Tables are ACTIVE as soon as they are created (no CREATING delay).
 */
final class DynaliteEmulator implements Emulator {
    static final String NODE_PROPERTY = "tally.node";
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final int PORT_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path log;

    private DynaliteEmulator(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The dynalite script under the root, or a message saying to run {@code npm ci}. */
    static Path script(Path root) {
        Path bin = root.resolve("node_modules").resolve(".bin").resolve("dynalite");
        if (!Files.isRegularFile(bin)) { // follows the npm symlink: a dangling one counts as missing
            throw new LocalAwsException("dynalite not installed: run `npm ci` in " + root);
        }
        return bin;
    }

    /** Node.js: {@code -Dtally.node=PATH}, else {@code node} on the PATH. */
    static Path node() {
        String configured = System.getProperty(NODE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path node = Path.of(configured);
            if (!Files.isExecutable(node)) {
                throw new LocalAwsException("Node.js not found at " + configured + " (-D" + NODE_PROPERTY + ")");
            }
            return node;
        }
        return Processes.onPath("node").orElseThrow(() -> new LocalAwsException(
                "Node.js not found on the PATH: dynalite needs Node.js 20 or later"));
    }

    static DynaliteEmulator start(Path root, Path workDir) {
        Path script = script(root);
        Path node = node();
        Path log = workDir.resolve("dynalite.log");
        Path watchdog = writeWatchdog(workDir);
        LocalAwsException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = Processes.freePort();
            Process process;
            try {
                process = new ProcessBuilder(List.of(node.toString(), "--require", watchdog.toString(),
                        script.toRealPath().toString(),
                        "--host", Processes.LOOPBACK, "--port", Integer.toString(port),
                        "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                        .directory(root.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE) // kept open: see writeWatchdog
                        .start();
            } catch (IOException e) {
                throw new LocalAwsException("dynalite could not be started with " + node + ": " + e.getMessage(), e);
            }
            try {
                Processes.awaitPort("dynalite", port, process::isAlive, START_TIMEOUT_MILLIS, log);
                return new DynaliteEmulator(process, port, log);
            } catch (LocalAwsException e) {
                Processes.killTree(process);
                last = e;
                if (!Processes.tail(log).contains("EADDRINUSE")) {
                    break; // only a port taken in the meantime is worth another try
                }
            }
        }
        throw last;
    }

    /**
     * A preload that ends dynalite when its standard input closes, i.e. when this JVM is gone, and then deletes the
     * stack's temporary directory: even a JVM killed with SIGKILL, whose shutdown hooks never run, leaves neither a
     * dynalite nor its files behind.
     */
    private static Path writeWatchdog(Path workDir) {
        Path watchdog = workDir.resolve("exit-with-parent.cjs");
        String dir = workDir.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'");
        try {
            Files.writeString(watchdog, "const gone = () => {\n"
                    + "  try { require('fs').rmSync('" + dir + "', { recursive: true, force: true }); } catch (e) {}\n"
                    + "  process.exit(0);\n"
                    + "};\n"
                    + "process.stdin.on('end', gone);\n"
                    + "process.stdin.on('error', gone);\n"
                    + "process.stdin.resume();\n");
        } catch (IOException e) {
            throw new LocalAwsException("cannot write " + watchdog + ": " + e.getMessage(), e);
        }
        return watchdog;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + Processes.LOOPBACK + ":" + port);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        Processes.killTree(process);
    }
}
