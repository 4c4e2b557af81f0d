package dev.tally.aws.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * The history table's shape (docs/history-store.md): one table, key {@code pk}/{@code sk}, one global
 * secondary index {@code gsi1} on {@code gsi1pk}/{@code gsi1sk} that buckets items for period queries,
 * TTL on {@code expiresAt}. The CDK stack declares the same; this creates it on local emulators.
 */
public final class HistoryTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String EXPIRES_AT = "expiresAt";

    private HistoryTable() {
    }

    /** Creates the table if it does not exist, and waits until it is active. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        Tables.create(dynamo, CreateTableRequest.builder().tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(Tables.attribute(PK), Tables.attribute(SK), Tables.attribute(GSI1_PK),
                        Tables.attribute(GSI1_SK))
                .keySchema(Tables.key(PK, KeyType.HASH), Tables.key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(GSI1)
                        .keySchema(Tables.key(GSI1_PK, KeyType.HASH), Tables.key(GSI1_SK, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .build());
    }
}
