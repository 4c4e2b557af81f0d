package dev.tally.cli;

import dev.tally.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tally serve}: the privacy API on {@code 127.0.0.1} against the local AWS stack (privacy.md, "Local mode"):
 * the {@link LocalPrivacyServer} (gateway, workers unless {@code --no-workers}, sweep) on a
 * {@link LocalPrivacyStack}, and {@code serve.json} in the state directory saying where everything is. Runs until
 * Ctrl-C or SIGTERM, then stops the server and the stack and deletes {@code serve.json}.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {"Serves the privacy API on 127.0.0.1 against the local AWS stack, playing API Gateway: "
            + "bearer JWTs from 'tally token' are checked and handed to the handler as the gateway's claims.",
            "Writes serve.json (the URL, the local services' endpoints, the outbox of confirmation codes) in the "
                + "state directory once ready; runs until Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.dev.tally";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8787",
            description = "The port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The privacy config document (targets, due days, secrets); default: no targets.")
    Path config;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = ".tally/serve",
            description = "Where the keys, serve.json and the outbox are kept (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--code-ttl", paramLabel = "DURATION", converter = ShortDuration.class,
            description = "How long confirmation codes live (30s, 15m, 2h; default 15m). For tests and demos of "
                    + "expiring codes.")
    Duration codeTtl;

    @Option(names = "--no-workers",
            description = "Serve the API only: requests stay QUEUED and their messages wait on the processing queue "
                    + "(for tests of the API alone).")
    boolean noWorkers;

    @Override
    public Integer call() throws Exception {
        // The handlers' one line per call (route and status, never an id or a body) is the server's access log.
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "info");
        }
        if (port < 0 || port > 65535) {
            throw new InputException("--port must be 0 to 65535, was " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path stateDir = StateFiles.directory(state);
        out.println("tally serve: state directory " + stateDir);
        LocalJwt jwt = LocalJwt.inStateDir(stateDir);
        out.println("tally serve: starting the local AWS stack (DynamoDB, S3, SQS, PostgreSQL, SES, Secrets Manager)");
        LocalPrivacyStack stack = LocalPrivacyStack.start(stateDir, Optional.ofNullable(config),
                Optional.ofNullable(codeTtl));
        LocalPrivacyServer server;
        try {
            server = LocalPrivacyServer.start(stack, jwt, port, !noWorkers);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        try {
            Path serveFile = stack.writeServeFile(server.url());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stack.close();
                stopped.countDown();
            }, "tally-serve-shutdown"));
            out.println("tally serve: the privacy API is at " + server.url());
            out.println("tally serve: endpoints in " + serveFile);
            out.println("tally serve: confirmation codes go to " + stack.outbox);
            out.println("tally serve: make a token with: ./tally token --subject ID [--scope privacy:admin]"
                    + " --state " + stateDir + "; Ctrl-C stops");
            out.flush();
            stopped.await();
            return 0;
        } catch (Exception | Error e) {
            server.close();
            stack.close();
            throw e;
        }
    }
}
