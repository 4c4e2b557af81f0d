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

    final LocalAws aws;
    final DynamoDbClient dynamo;
    final DynamoDbHistoryStore history;
    final DynamoDbProductAreaStore areas;
    final FileDeadLetters deadLetters;
    final SummingCountMetrics metrics = new SummingCountMetrics();
    final Map<String, String> environment;

    private LocalHistoryStack(LocalAws aws, Path deadLetterFile) {
        this.aws = aws;
        String endpoint = aws.endpoint(LocalService.DYNAMODB).toString();
        this.environment = Map.of(
                AwsConfig.REGION, aws.region(),
                AwsConfig.SERVICE_ENDPOINT_PREFIX + "DYNAMODB", endpoint,
                "AWS_ACCESS_KEY_ID", aws.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", aws.secretAccessKey(),
                HistoryFunctionConfig.TABLE, TABLE,
                HistoryFunctionConfig.DEAD_LETTER_QUEUE_URL, deadLetterFile.toUri().toString());
        this.dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB))),
                AwsClients.httpClient());
        HistoryTable.create(dynamo, TABLE);
        this.history = new DynamoDbHistoryStore(dynamo, TABLE, Duration.ofDays(400), Clock.systemUTC());
        this.areas = new DynamoDbProductAreaStore(dynamo, TABLE);
        this.deadLetters = new FileDeadLetters(deadLetterFile);
        LocalRuntime.install(environment, deadLetters, metrics);
    }

    /** Starts dynalite, creates the table, and points the handlers at it. */
    static LocalHistoryStack start(Path deadLetterFile) {
        LocalAws aws = LocalAws.start(LocalService.DYNAMODB);
        try {
            return new LocalHistoryStack(aws, deadLetterFile);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    @Override
    public void close() {
        dynamo.close();
        aws.close();
    }
}
