package dev.tally.aws.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * The privacy records table's shape (docs/privacy-store.md): key {@code pk}/{@code sk} (strings), one sparse
 * global secondary index {@code open} on {@code open_pk}/{@code due_at} holding only requests not yet in a
 * terminal status (keys only), TTL on {@code expires_at} (epoch seconds). The suppressions may live in the same
 * table or in one of their own ({@link #createSuppressions}); their items have no TTL. The CDK stack declares the
 * same; this creates them on local emulators.
 */
public final class PrivacyTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String OPEN_INDEX = "open";
    public static final String OPEN_PK = "open_pk";
    /** The index's sort key: a request's due date, fixed-width UTC text so that text order is time order. */
    public static final String DUE_AT = "due_at";
    public static final String EXPIRES_AT = "expires_at";

    private PrivacyTable() {
    }

    /** Creates the requests table (with its index) if it does not exist, and waits until it is active. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        Tables.create(dynamo, CreateTableRequest.builder().tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(Tables.attribute(PK), Tables.attribute(SK), Tables.attribute(OPEN_PK),
                        Tables.attribute(DUE_AT))
                .keySchema(Tables.key(PK, KeyType.HASH), Tables.key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(OPEN_INDEX)
                        .keySchema(Tables.key(OPEN_PK, KeyType.HASH), Tables.key(DUE_AT, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build());
    }

    /**
     * Creates a table of suppressions only (key {@code pk}/{@code sk}, no index, no TTL) if it does not exist,
     * for a deployment that keeps them apart from the requests.
     */
    public static void createSuppressions(DynamoDbClient dynamo, String tableName) {
        Tables.create(dynamo, CreateTableRequest.builder().tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(Tables.attribute(PK), Tables.attribute(SK))
                .keySchema(Tables.key(PK, KeyType.HASH), Tables.key(SK, KeyType.RANGE)).build());
    }
}
