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
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The privacy functions running on a {@link LocalPrivacyStack}, as they run in AWS: this process playing API Gateway
 * ({@link LocalGateway}) in front of the API handler, the workers fed by a {@link LocalQueuePoller} per queue as
 * Lambda's event source mappings feed them (unless API-only), and the sweep every minute. {@code tally serve} and the
 * demo's privacy part run it; {@link #close()} stops the server, the pollers and the sweep (not the stack).
 */
final class LocalPrivacyServer implements AutoCloseable {
    static final Duration SWEEP_EVERY = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(LocalPrivacyServer.class);

    private final LocalGateway gateway;
    private final List<LocalQueuePoller> pollers;
    private final ScheduledExecutorService sweeper;
    private final SqsClient sqs;
    private final SdkHttpClient sqsHttp;

    private LocalPrivacyServer(LocalGateway gateway, List<LocalQueuePoller> pollers, ScheduledExecutorService sweeper,
                               SqsClient sqs, SdkHttpClient sqsHttp) {
        this.gateway = gateway;
        this.pollers = pollers;
        this.sweeper = sweeper;
        this.sqs = sqs;
        this.sqsHttp = sqsHttp;
    }

    /**
     * Installs the functions' environment of {@code stack} and starts serving on {@code 127.0.0.1:port} (0: a free
     * port), with the workers unless {@code workers} is false.
     *
     * @throws InputException when the port is in use
     */
    static LocalPrivacyServer start(LocalPrivacyStack stack, LocalJwt jwt, int port, boolean workers)
            throws IOException {
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
            if (workers) {
                // Lambda's event source mappings: the processing queue feeds the start function, the work queue the
                // work function, each with ReportBatchItemFailures.
                LocalWorkerRuntime.install(stack.environment, metrics);
                String region = stack.aws.region();
                pollers.add(LocalQueuePoller.start(sqs, stack.queueUrl, region, "processing",
                        new StartRequestsHandler()));
                pollers.add(LocalQueuePoller.start(sqs, stack.workQueueUrl, region, "work", new WorkHandler()));
            }
            LocalGateway gateway = gateway(api, jwt, port);
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    sweep.handleRequest(Map.of(), null);
                } catch (RuntimeException e) {
                    LOG.warn("privacy sweep failed: {}", e.getClass().getName());
                }
            }, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
            return new LocalPrivacyServer(gateway, pollers, sweeper, sqs, sqsHttp);
        } catch (IOException | RuntimeException | Error e) {
            sweeper.shutdownNow();
            pollers.forEach(LocalQueuePoller::close);
            sqs.close();
            sqsHttp.close();
            throw e;
        }
    }

    private static LocalGateway gateway(PrivacyApiHandler api, LocalJwt jwt, int port) throws IOException {
        try {
            return LocalGateway.start(api, jwt, port);
        } catch (BindException e) {
            throw new InputException("127.0.0.1:" + port + " is in use: give another --port (0 picks a free one)");
        }
    }

    URI url() {
        return gateway.url();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        gateway.close();
        pollers.forEach(LocalQueuePoller::close);
        sqs.close();
        sqsHttp.close();
    }
}
