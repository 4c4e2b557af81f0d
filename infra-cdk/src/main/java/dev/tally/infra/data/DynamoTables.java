package dev.tally.infra.data;

import dev.tally.aws.dynamodb.DeliveryTable;
import dev.tally.aws.dynamodb.HistoryTable;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * Tally's DynamoDB tables, each with the key schema, indexes and TTL attribute of the adapter that uses it (the
 * adapters' own table classes, which create the same tables on the local emulators), and all alike: on demand,
 * point-in-time recovery, encrypted with the AWS managed key, deletion protection, kept when the stack goes.
 */
public final class DynamoTables {
    private DynamoTables() {
    }

    /** The history table of docs/history-store.md ({@link HistoryTable}): {@code pk}/{@code sk}, index {@code gsi1}. */
    public static Table history(Construct scope, String id) {
        Table table = table(scope, id, HistoryTable.PK, HistoryTable.SK, HistoryTable.EXPIRES_AT);
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(HistoryTable.GSI1)
                .partitionKey(string(HistoryTable.GSI1_PK))
                .sortKey(string(HistoryTable.GSI1_SK))
                .projectionType(ProjectionType.ALL)
                .build());
        return table;
    }

    /** The billing function's deliveries ledger ({@link DeliveryTable}). */
    public static Table deliveries(Construct scope, String id) {
        return table(scope, id, DeliveryTable.PK, DeliveryTable.SK, DeliveryTable.EXPIRES_AT);
    }

    private static Table table(Construct scope, String id, String partitionKey, String sortKey, String ttl) {
        return Table.Builder.create(scope, id)
                .partitionKey(string(partitionKey))
                .sortKey(string(sortKey))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(ttl)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
