package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.junit.LocalAwsTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** A real DynamoDbClient against the DynamoDB emulator: table, items, queries, condition expressions. */
@LocalAwsTest(services = LocalService.DYNAMODB)
class DynamoDbIT {
    private static DynamoDbClient dynamo;
    private static String table;

    @BeforeAll
    static void createTable(AwsEndpoints aws) {
        dynamo = Clients.dynamoDb(aws);
        table = "ledger-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("area").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("by-area")
                        .keySchema(KeySchemaElement.builder().attributeName("area").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    @AfterAll
    static void dropTable() {
        if (dynamo != null) {
            dynamo.deleteTable(b -> b.tableName(table));
            dynamo.close();
        }
    }

    private static Map<String, AttributeValue> item(String pk, String sk, String area, String cost) {
        return Map.of("pk", s(pk), "sk", s(sk), "area", s(area), "cost", AttributeValue.fromN(cost),
                "version", AttributeValue.fromN("1"));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    @Test
    void tableIsActiveAndListed() {
        assertThat(dynamo.describeTable(b -> b.tableName(table)).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(dynamo.listTables().tableNames()).contains(table);
    }

    @Test
    void putThenGetReturnsTheSameItem() {
        Map<String, AttributeValue> item = item("run#get", "2024-05", "payments", "6.3250420168");
        dynamo.putItem(b -> b.tableName(table).item(item));

        Map<String, AttributeValue> read = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("run#get"), "sk", s("2024-05")))).item();

        assertThat(read).isEqualTo(item);
        assertThat(dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("run#get"), "sk", s("2024-06"))))
                .hasItem()).isFalse();
    }

    @Test
    void queryByKeyConditionAndFilterInSortKeyOrder() {
        for (String month : List.of("2024-03", "2024-01", "2024-02", "2023-12")) {
            dynamo.putItem(b -> b.tableName(table).item(item("run#query", month, "search", "1." + month.substring(5))));
        }

        QueryResponse in2024 = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :year)")
                .filterExpression("#cost > :min")
                .expressionAttributeNames(Map.of("#cost", "cost"))
                .expressionAttributeValues(Map.of(":pk", s("run#query"), ":year", s("2024-"),
                        ":min", AttributeValue.fromN("1.01"))));

        assertThat(in2024.items()).extracting(i -> i.get("sk").s()).containsExactly("2024-02", "2024-03");
        assertThat(in2024.scannedCount()).isEqualTo(3);

        QueryResponse descending = dynamo.query(b -> b.tableName(table).scanIndexForward(false).limit(2)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s("run#query"), ":from", s("2023-01"), ":to", s("2024-12"))));
        assertThat(descending.items()).extracting(i -> i.get("sk").s()).containsExactly("2024-03", "2024-02");
        assertThat(descending.lastEvaluatedKey()).containsEntry("sk", s("2024-02"));
    }

    @Test
    void queryOnAGlobalSecondaryIndex() {
        String area = "area-" + UUID.randomUUID();
        dynamo.putItem(b -> b.tableName(table).item(item("run#gsi-1", "2024-01", area, "2")));
        dynamo.putItem(b -> b.tableName(table).item(item("run#gsi-2", "2024-01", area, "3")));
        dynamo.putItem(b -> b.tableName(table).item(item("run#gsi-3", "2024-01", "other", "4")));

        QueryResponse byArea = dynamo.query(b -> b.tableName(table).indexName("by-area")
                .keyConditionExpression("area = :area")
                .expressionAttributeValues(Map.of(":area", s(area))));

        assertThat(byArea.items()).extracting(i -> i.get("pk").s())
                .containsExactlyInAnyOrder("run#gsi-1", "run#gsi-2");
    }

    @Test
    void conditionalPutRefusesToOverwrite() {
        Map<String, AttributeValue> first = item("run#once", "2024-05", "payments", "1");
        dynamo.putItem(b -> b.tableName(table).item(first).conditionExpression("attribute_not_exists(pk)"));

        Map<String, AttributeValue> second = item("run#once", "2024-05", "search", "2");
        assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(second)
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);

        assertThat(dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("run#once"), "sk", s("2024-05")))).item()).isEqualTo(first);
    }

    @Test
    void optimisticLockingWithAConditionalUpdate() {
        dynamo.putItem(b -> b.tableName(table).item(item("run#lock", "2024-05", "payments", "1")));
        Map<String, AttributeValue> key = Map.of("pk", s("run#lock"), "sk", s("2024-05"));

        Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key)
                .updateExpression("SET #cost = #cost + :delta, #version = #version + :one, tags = list_append("
                        + "if_not_exists(tags, :empty), :tag)")
                .conditionExpression("#version = :expected AND size(area) > :zero AND attribute_type(#cost, :n)")
                .expressionAttributeNames(Map.of("#cost", "cost", "#version", "version"))
                .expressionAttributeValues(Map.of(":delta", AttributeValue.fromN("0.5"), ":one", AttributeValue.fromN("1"),
                        ":expected", AttributeValue.fromN("1"), ":zero", AttributeValue.fromN("0"),
                        ":n", s("N"), ":empty", AttributeValue.fromL(List.of()), ":tag", AttributeValue.fromL(List.of(s("checked")))))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        assertThat(after.get("cost").n()).isEqualTo("1.5");
        assertThat(after.get("version").n()).isEqualTo("2");
        assertThat(after.get("tags").l()).containsExactly(s("checked"));

        // A writer that read version 1 loses: the update is refused and changes nothing.
        assertThatThrownBy(() -> dynamo.updateItem(b -> b.tableName(table).key(key)
                .updateExpression("SET #cost = :cost")
                .conditionExpression("#version = :expected")
                .expressionAttributeNames(Map.of("#cost", "cost", "#version", "version"))
                .expressionAttributeValues(Map.of(":cost", AttributeValue.fromN("99"), ":expected", AttributeValue.fromN("1")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key)).item().get("cost").n())
                .isEqualTo("1.5");
    }

    @Test
    void conditionalDeleteOnlyWhenTheConditionHolds() {
        dynamo.putItem(b -> b.tableName(table).item(item("run#delete", "2024-05", "payments", "1")));
        Map<String, AttributeValue> key = Map.of("pk", s("run#delete"), "sk", s("2024-05"));

        assertThatThrownBy(() -> dynamo.deleteItem(b -> b.tableName(table).key(key)
                .conditionExpression("contains(area, :part)")
                .expressionAttributeValues(Map.of(":part", s("search")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key)).hasItem()).isTrue();

        dynamo.deleteItem(b -> b.tableName(table).key(key).conditionExpression("contains(area, :part)")
                .expressionAttributeValues(Map.of(":part", s("pay"))));
        assertThat(dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key)).hasItem()).isFalse();
    }
}
