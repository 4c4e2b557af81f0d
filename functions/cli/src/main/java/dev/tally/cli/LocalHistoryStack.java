package dev.tally.cli;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.aws.dynamodb.DynamoDbProductAreaStore;
import dev.tally.aws.dynamodb.HistoryTable;
import dev.tally.functions.history.FileDeadLetters;
import dev.tally.functions.history.HistoryFunctionConfig;
import dev.tally.functions.history.LocalRuntime;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.runtime.SummingCountMetrics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The history functions' world on this machine: DynamoDB (dynalite) with the history table, dead
 * letters in a file, and the handlers' environment pointing there. Used by {@code tally invoke} and
 * {@code tally demo}.
 */
final class LocalHistoryStack implements AutoCloseable {
    static final String TABLE = "tally-history";
    private static final int REPLAY_CONCURRENCY = 8;

    final LocalAws aws;
    final DynamoDbClient dynamo;
    final DynamoDbHistoryStore history;
    final DynamoDbProductAreaStore areas;
    final FileDeadLetters deadLetters;
    final SummingCountMetrics metrics = new SummingCountMetrics();
    final Map<String, String> environment;

    private LocalHistoryStack(LocalAws aws, Path deadLetterFile) {
        this.aws = aws;
        Map<String, String> env = new java.util.TreeMap<>(aws.environment());
        env.put(HistoryFunctionConfig.TABLE, TABLE);
        env.put(HistoryFunctionConfig.DEAD_LETTER_QUEUE_URL, deadLetterFile.toUri().toString());
        this.environment = Map.copyOf(env);
        this.dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB))),
                AwsClients.httpClient());
        HistoryTable.create(dynamo, TABLE);
        this.history = new DynamoDbHistoryStore(dynamo, TABLE, Duration.ofDays(400), Clock.systemUTC());
        this.areas = new DynamoDbProductAreaStore(dynamo, TABLE);
        this.deadLetters = new FileDeadLetters(deadLetterFile);
        LocalRuntime.install(environment, deadLetters, metrics);
    }

    /** Starts dynalite (and the other services asked for), creates the table, and points the handlers at it. */
    static LocalHistoryStack start(Path deadLetterFile, LocalService... more) {
        java.util.List<LocalService> services = new java.util.ArrayList<>(java.util.List.of(more));
        services.add(LocalService.DYNAMODB);
        LocalAws aws = LocalAws.start(services);
        try {
            return new LocalHistoryStack(aws, deadLetterFile);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    /** Publishes a product-area map file through the product-area-publisher function, as a deploy does. */
    void publish(Path areasFile) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode publish = json.createObjectNode().put("RequestType", "Create");
        publish.putObject("ResourceProperties").put("Areas", java.nio.file.Files.readString(areasFile));
        new dev.tally.functions.history.ProductAreaPublisher().handleRequest(
                new java.io.ByteArrayInputStream(json.writeValueAsBytes(publish)), new java.io.ByteArrayOutputStream(), null);
    }

    /** Delivers a file of events to the ecs-events and ec2-events functions in SQS batches, as the pipeline does. */
    EventReplay.Result replay(Path events) {
        return EventReplay.replay(events, java.util.List.of(new dev.tally.functions.history.EcsEventsHandler(),
                new dev.tally.functions.history.Ec2EventsHandler()), REPLAY_CONCURRENCY);
    }

    @Override
    public void close() {
        dynamo.close();
        aws.close();
    }
}
