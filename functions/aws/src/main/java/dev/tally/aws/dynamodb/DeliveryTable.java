package dev.tally.aws.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * The billing deliveries table: key {@code pk} (one bill and period: {@code bill#<scope>#<period>}) /
 * {@code sk} ({@code delivery#<key>}, {@code latest}, {@code final}), TTL on {@code expiresAt}. The CDK stack
 * declares the same; this creates it on local emulators.
 */
public final class DeliveryTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String EXPIRES_AT = "expiresAt";

    private DeliveryTable() {
    }

    /** Creates the table if it does not exist, and waits until it is active. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        Tables.create(dynamo, CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(Tables.attribute(PK), Tables.attribute(SK))
                .keySchema(Tables.key(PK, KeyType.HASH), Tables.key(SK, KeyType.RANGE)).build());
    }
}
