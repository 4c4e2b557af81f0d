package dev.tally.aws.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Creating the tables on local emulators (the CDK stack declares them in AWS): idempotent, then active. */
final class Tables {
    private Tables() {
    }

    /** Creates a table unless it exists, and waits until it and its indexes are active. */
    static void create(DynamoDbClient dynamo, CreateTableRequest request) {
        try {
            dynamo.createTable(request);
        } catch (ResourceInUseException alreadyThere) {
            // fine: creation is idempotent
        }
        String name = request.tableName();
        for (int attempt = 0; attempt < 600; attempt++) {
            var table = dynamo.describeTable(b -> b.tableName(name)).table();
            boolean indexesActive = table.globalSecondaryIndexes() == null || table.globalSecondaryIndexes().stream()
                    .allMatch(i -> i.indexStatus() == null || "ACTIVE".equals(i.indexStatusAsString()));
            if (table.tableStatus() == TableStatus.ACTIVE && indexesActive) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + name, e);
            }
        }
        throw new IllegalStateException("table " + name + " did not become active");
    }

    static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
