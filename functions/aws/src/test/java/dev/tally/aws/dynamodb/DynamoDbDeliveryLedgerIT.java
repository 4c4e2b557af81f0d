package dev.tally.aws.dynamodb;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.delivery.DeliveryLedger;
import dev.tally.delivery.DeliveryLedgerContract;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The delivery ledger contract against DynamoDB (dynalite here; LocalStack or AWS with the other backends). */
@LocalAwsTest(services = LocalService.DYNAMODB)
class DynamoDbDeliveryLedgerIT extends DeliveryLedgerContract {
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void connect(AwsEndpoints aws) {
        dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB))),
                AwsClients.httpClient());
    }

    @AfterAll
    static void disconnect() {
        dynamo.close();
    }

    @Override
    protected DeliveryLedger newLedger() {
        String table = "deliveries-" + UUID.randomUUID();
        DeliveryTable.create(dynamo, table);
        return new DynamoDbDeliveryLedger(dynamo, table, Duration.ofDays(400), Clock.systemUTC());
    }
}
