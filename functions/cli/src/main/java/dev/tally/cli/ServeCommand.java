package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.functions.privacy.LocalPrivacyRuntime;
import dev.tally.functions.privacy.PrivacyApiHandler;
import dev.tally.functions.privacy.PrivacySweepHandler;
import dev.tally.functions.privacy.worker.LocalWorkerRuntime;
import dev.tally.functions.privacy.worker.StartRequestsHandler;
import dev.tally.functions.privacy.worker.WorkHandler;
import dev.tally.runtime.SummingCountMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code tally serve}: the privacy API on {@code 127.0.0.1} against the local AWS stack (privacy.md, "Local mode"),
 * with this process playing API Gateway ({@link LocalGateway}) in front of the API handler, the privacy workers fed
 * by a {@link LocalQueuePoller} per queue as Lambda's event source mappings feed them (unless {@code --no-workers}),
 * the sweep every minute, and {@code serve.json} in the state directory saying where everything is. Runs until Ctrl-C
 * or SIGTERM, then stops the server, the pollers and the stack and deletes {@code serve.json}.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {"Serves the privacy API on 127.0.0.1 against the local AWS stack, playing API Gateway: "
            + "bearer JWTs from 'tally token' are checked and handed to the handler as the gateway's claims.",
            "Writes serve.json (the URL, the local services' endpoints, the outbox of confirmation codes) in the "
                + "state directory once ready; runs until Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    static final Duration SWEEP_EVERY = Duration.ofSeconds(60);
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
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
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
        LocalGateway gateway = null;
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tally-privacy-sweep");
            thread.setDaemon(true);
            return thread;
        });
        List<LocalQueuePoller> pollers = new ArrayList<>();
        SdkHttpClient sqsHttp = AwsClients.httpClient();
        SqsClient sqs = AwsClients.sqs(AwsConfig.local(stack.aws.serviceEndpoints()), sqsHttp);
        try {
            SummingCountMetrics metrics = new SummingCountMetrics();
            LocalPrivacyRuntime.install(stack.environment, metrics);
            PrivacyApiHandler api = new PrivacyApiHandler();
            PrivacySweepHandler sweep = new PrivacySweepHandler();
            if (!noWorkers) {
                // Lambda's event source mappings: the processing queue feeds the start function, the work queue the
                // work function, each with ReportBatchItemFailures.
                LocalWorkerRuntime.install(stack.environment, metrics);
                String region = stack.aws.region();
                pollers.add(LocalQueuePoller.start(sqs, stack.queueUrl, region, "processing",
                        new StartRequestsHandler()));
                pollers.add(LocalQueuePoller.start(sqs, stack.workQueueUrl, region, "work", new WorkHandler()));
            }
            gateway = startGateway(api, jwt);
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    sweep.handleRequest(java.util.Map.of(), null);
                } catch (RuntimeException e) {
                    log.warn("privacy sweep failed: {}", e.getClass().getName());
                }
            }, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
            Path serveFile = stack.writeServeFile(gateway.url());
            CountDownLatch stopped = new CountDownLatch(1);
            LocalGateway running = gateway;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sweeper.shutdownNow();
                running.close();
                stopPollers(pollers, sqs, sqsHttp);
                stack.close();
                stopped.countDown();
            }, "tally-serve-shutdown"));
            out.println("tally serve: the privacy API is at " + gateway.url());
            out.println("tally serve: endpoints in " + serveFile);
            out.println("tally serve: confirmation codes go to " + stack.outbox);
            out.println("tally serve: make a token with: ./tally token --subject ID [--scope privacy:admin]"
                    + " --state " + stateDir + "; Ctrl-C stops");
            out.flush();
            stopped.await();
            return 0;
        } catch (Exception | Error e) {
            sweeper.shutdownNow();
            if (gateway != null) {
                gateway.close();
            }
            stopPollers(pollers, sqs, sqsHttp);
            stack.close();
            throw e;
        }
    }

    private static void stopPollers(List<LocalQueuePoller> pollers, SqsClient sqs, SdkHttpClient http) {
        pollers.forEach(LocalQueuePoller::close);
        sqs.close();
        http.close();
    }

    private LocalGateway startGateway(PrivacyApiHandler api, LocalJwt jwt) throws IOException {
        try {
            return LocalGateway.start(api, jwt, port);
        } catch (BindException e) {
            throw new InputException("127.0.0.1:" + port + " is in use: give another --port (0 picks a free one)");
        }
    }
}
