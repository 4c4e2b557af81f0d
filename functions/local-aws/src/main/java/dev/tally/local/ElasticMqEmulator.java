package dev.tally.local;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * SQS by ElasticMQ, in this JVM (Pekko HTTP), in memory, on a free loopback port. The only class that touches
 * ElasticMQ: loaded only when SQS is asked for.
 */
final class ElasticMqEmulator implements Emulator {
    static final String MAIN_CLASS = "org.elasticmq.rest.sqs.SQSRestServerBuilder";
    static final String ARTIFACT = "org.elasticmq:elasticmq-rest-sqs_2.13";

    private final SQSRestServer server;
    private final int port;

    private ElasticMqEmulator(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static ElasticMqEmulator start(String region, String accountId) {
        try {
            SQSRestServer server = SQSRestServerBuilder
                    .withInterface(Processes.LOOPBACK)
                    .withDynamicPort()
                    .withAWSRegion(region)
                    .withAWSAccountId(accountId)
                    .start();
            int port = server.waitUntilStarted().localAddress().getPort();
            return new ElasticMqEmulator(server, port);
        } catch (RuntimeException e) {
            throw new LocalAwsException("ElasticMQ did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + Processes.LOOPBACK + ":" + port);
    }

    @Override
    public void close() {
        try {
            server.stopAndWait();
        } catch (RuntimeException e) {
            // stopping a test server must not hide the outcome of the run
        }
    }
}
