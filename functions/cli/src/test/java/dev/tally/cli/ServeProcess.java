package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tally serve} as a user runs it: {@code java -jar functions/cli/target/tally.jar serve} in a child process
 * of its own, its stdout and stderr in one log file, ready once {@code serve.json} appears in its state directory.
 */
final class ServeProcess implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("tally.repo.root", "../..")).toAbsolutePath().normalize();
    static final Path JAR = ROOT.resolve("functions/cli/target/tally.jar");
    /**
     * For working on the server without packaging it: {@code -Dtally.it.classpath=CP} runs the CLI from that class
     * path instead of the jar.
     */
    private static final String CLASSPATH = System.getProperty("tally.it.classpath", "");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    final Path state;
    final Path log;
    final Process process;
    final JsonNode serve;

    private ServeProcess(Path state, Path log, Process process, JsonNode serve) {
        this.state = state;
        this.log = log;
        this.process = process;
        this.serve = serve;
    }

    /** Starts {@code tally serve --port 0 --state <dir>/state --config <config> <more>} and waits until it is ready. */
    static ServeProcess start(Path dir, Path config, String... more) throws IOException, InterruptedException {
        if (CLASSPATH.isEmpty()) {
            assertThat(JAR).as("the CLI jar (the IT runs after packaging)").isRegularFile();
        }
        Files.createDirectories(dir);
        Path state = dir.resolve("state");
        Path log = dir.resolve("serve.log");
        List<String> command = cli("-Dtally.home=" + ROOT);
        command.addAll(List.of("serve", "--port", "0", "--state", state.toString(), "--config", config.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Path serveFile = state.resolve(LocalPrivacyStack.SERVE_FILE);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("tally serve exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (Files.isRegularFile(serveFile)) {
                return new ServeProcess(state, log, process, JSON.readTree(serveFile.toFile()));
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("tally serve did not write serve.json within " + START_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    URI url() {
        return URI.create(serve.path("url").asText());
    }

    URI endpoint(String name) {
        return URI.create(serve.path(name).asText());
    }

    /** A token signed with this server's key, made by {@code tally token}'s code in this JVM. */
    String token(String subject, String scope) throws IOException {
        return TokenCommand.token(state, subject, scope, null, Duration.ofMinutes(15));
    }

    /** A token made by {@code java -jar tally.jar token ARGS --state <state>}: its stdout, which is the token alone. */
    String tokenFromJar(String... args) throws IOException, InterruptedException {
        List<String> command = cli();
        command.add("token");
        command.addAll(List.of(args));
        command.addAll(List.of("--state", state.toString()));
        Process token = new ProcessBuilder(command).start();
        String out = new String(token.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(token.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(token.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(token.exitValue()).as(err).isZero();
        assertThat(err).isEmpty();
        assertThat(out).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\R");
        return out.trim();
    }

    /** Stops it as Ctrl-C or a service manager would (SIGTERM), and waits until it has exited. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("tally serve did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** {@code java [options] -jar tally.jar} (or the class path of {@code tally.it.classpath}). */
    private static List<String> cli(String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(jvmOptions));
        command.addAll(CLASSPATH.isEmpty() ? List.of("-jar", JAR.toString())
                : List.of("-cp", CLASSPATH, TallyCli.class.getName()));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
