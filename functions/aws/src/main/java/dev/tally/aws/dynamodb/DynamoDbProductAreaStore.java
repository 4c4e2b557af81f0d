package dev.tally.aws.dynamodb;

import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.ProductAreaStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tally.aws.dynamodb.DynamoDbHistoryStore.text;
import static dev.tally.aws.dynamodb.HistoryTable.PK;
import static dev.tally.aws.dynamodb.HistoryTable.SK;

/**
 * The product-area map in the history table, as immutable versions: {@code AREAMAP#<version>} holds
 * one item per key, and the item {@code AREAMAP/CURRENT} points at the version in use. Publishing
 * writes the new version's items first and then moves the pointer with one conditional write, so a
 * reader sees one whole map or the other; the versions left behind are deleted afterwards.
 */
public final class DynamoDbProductAreaStore implements ProductAreaStore {
    private static final String POINTER_PK = "AREAMAP";
    private static final String POINTER_SK = "CURRENT";
    private static final String VERSION_PREFIX = "AREAMAP#";
    private static final String AREA = "area";
    private static final String VERSION = "version";
    private static final int BATCH = 25;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbProductAreaStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public ProductAreaMap load() {
        Map<String, AttributeValue> pointer = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, text(POINTER_PK), SK, text(POINTER_SK)))).item();
        if (pointer == null || pointer.isEmpty()) {
            return ProductAreaMap.empty();
        }
        return new ProductAreaMap(read(pointer.get(VERSION).s()));
    }

    @Override
    public String replace(ProductAreaMap map) {
        String version = map.version();
        List<WriteRequest> puts = new ArrayList<>();
        map.entries().forEach((key, area) -> puts.add(WriteRequest.builder().putRequest(PutRequest.builder()
                .item(Map.of(PK, text(VERSION_PREFIX + version), SK, text(key), AREA, text(area))).build()).build()));
        write(puts);
        String previous = currentVersion();
        dynamo.putItem(b -> b.tableName(table).item(Map.of(PK, text(POINTER_PK), SK, text(POINTER_SK),
                VERSION, text(version), "entries", DynamoDbHistoryStore.number(map.size()))));
        if (previous != null && !previous.equals(version)) {
            List<WriteRequest> deletes = new ArrayList<>();
            read(previous).keySet().forEach(key -> deletes.add(WriteRequest.builder().deleteRequest(
                    DeleteRequest.builder().key(Map.of(PK, text(VERSION_PREFIX + previous), SK, text(key))).build())
                    .build()));
            write(deletes);
        }
        return version;
    }

    private String currentVersion() {
        Map<String, AttributeValue> pointer = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, text(POINTER_PK), SK, text(POINTER_SK)))).item();
        return pointer == null || pointer.isEmpty() ? null : pointer.get(VERSION).s();
    }

    private Map<String, String> read(String version) {
        Map<String, String> areas = new LinkedHashMap<>();
        QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", text(VERSION_PREFIX + version)))
                .build();
        dynamo.queryPaginator(request).items().forEach(item -> areas.put(item.get(SK).s(), item.get(AREA).s()));
        return areas;
    }

    private void write(List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += BATCH) {
            List<WriteRequest> chunk = requests.subList(from, Math.min(requests.size(), from + BATCH));
            Map<String, List<WriteRequest>> pending = Map.of(table, chunk);
            for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty(); attempt++) {
                if (attempt > 10) {
                    throw new IllegalStateException("DynamoDB kept items unprocessed after 10 attempts");
                }
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                if (!pending.isEmpty()) {
                    sleep(50L << Math.min(attempt, 6));
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
