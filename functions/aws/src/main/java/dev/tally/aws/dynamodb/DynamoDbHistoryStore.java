package dev.tally.aws.dynamodb;

import dev.tally.history.History;
import dev.tally.history.HistoryBuilder;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static dev.tally.aws.dynamodb.HistoryTable.EXPIRES_AT;
import static dev.tally.aws.dynamodb.HistoryTable.GSI1;
import static dev.tally.aws.dynamodb.HistoryTable.GSI1_PK;
import static dev.tally.aws.dynamodb.HistoryTable.GSI1_SK;
import static dev.tally.aws.dynamodb.HistoryTable.PK;
import static dev.tally.aws.dynamodb.HistoryTable.SK;

/**
 * The history in DynamoDB (design: docs/history-store.md).
 *
 * <p>Every write is conditional and never reads first. A task keeps each field with the
 * {@code detail.version} that set it, and a write only replaces a field whose stored version is
 * lower (or equal with a smaller value), exactly the in-memory merge; so duplicates and stale events
 * fail their condition and are successful no-ops, and a STOPPED that arrives before RUNNING merges.
 * The common case (a newer event) is one write; only when that write's condition fails are the
 * event's fields written one by one, each under its own condition.
 *
 * <p>Items are bucketed in the index {@code gsi1} so that a period is loaded with queries, never a
 * scan: tasks by the month they stopped (or {@code open}), container instances, volume calls and
 * terminations each in their own buckets. Each bucket is spread over {@value #SHARDS} shards by a
 * hash of the entity id so no index partition runs hot. Items expire {@code retention} after the
 * last instant they record.
 */
public final class DynamoDbHistoryStore implements HistoryStore {
    public static final int SHARDS = 8;
    private static final ExecutorService READERS = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "history-load");
        thread.setDaemon(true);
        return thread;
    });
    private static final String OPEN = "open";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    public DynamoDbHistoryStore(DynamoDbClient dynamo, String table, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void record(HistoryEvent event) {
        if (event instanceof HistoryEvent.TaskStateChange task) {
            recordTask(task);
        } else if (event instanceof HistoryEvent.ContainerInstanceChange ci) {
            recordContainerInstance(ci);
        } else if (event instanceof HistoryEvent.VolumeCall call) {
            recordVolumeCall(call);
        } else if (event instanceof HistoryEvent.InstanceTerminated terminated) {
            recordTermination(terminated);
        }
    }

    // ---- tasks ------------------------------------------------------------------------------------

    /** One versioned field of a task item. */
    private record Field(String name, AttributeValue value) {
        String versionName() {
            return "v_" + name;
        }
    }

    private void recordTask(HistoryEvent.TaskStateChange t) {
        List<Field> fields = new ArrayList<>();
        addText(fields, TaskItem.CLUSTER_ARN, t.clusterArn());
        addText(fields, TaskItem.GROUP, t.group());
        addText(fields, TaskItem.CONTAINER_INSTANCE_ARN, t.containerInstanceArn());
        addNumber(fields, TaskItem.CPU, t.cpu() == null ? null : t.cpu().longValue());
        addNumber(fields, TaskItem.CONTAINERS_CPU, t.containersCpu() == null ? null : t.containersCpu().longValue());
        addNumber(fields, TaskItem.STARTED_AT, t.startedAt());
        addNumber(fields, TaskItem.STOPPED_AT, t.stoppedAt());
        long latest = Math.max(t.startedAt() == null ? 0 : t.startedAt(), t.stoppedAt() == null ? 0 : t.stoppedAt());
        if (!updateTask(t, fields, latest, true)) {
            for (Field field : fields) {
                updateTask(t, List.of(field), latest, false);
            }
        }
    }

    /**
     * One conditional write of some of a task's fields; false if the condition failed.
     *
     * @param whole true for the first attempt with all the event's fields: it only needs the item's
     *              highest version so far ({@code vmax}) to be lower than the event's, which implies
     *              every field's is; the field-by-field retry compares each field's own version
     */
    private boolean updateTask(HistoryEvent.TaskStateChange t, List<Field> fields, long latestInstant, boolean whole) {
        Expression e = new Expression();
        String v = e.value(number(t.version()));
        String condition;
        if (whole) {
            String vmax = e.name(TaskItem.MAX_VERSION);
            e.set(vmax + " = " + v);
            condition = "attribute_not_exists(" + vmax + ") OR " + vmax + " < " + v;
        } else {
            Field f = fields.get(0);
            String version = e.name(f.versionName());
            String name = e.name(f.name());
            String value = e.value(f.value());
            condition = "attribute_not_exists(" + version + ") OR " + version + " < " + v + " OR (" + version
                    + " = " + v + " AND " + name + " < " + value + ")";
        }
        boolean stops = false;
        for (Field f : fields) {
            e.set(e.name(f.name()) + " = " + e.value(f.value()));
            e.set(e.name(f.versionName()) + " = " + v);
            stops |= f.name().equals(TaskItem.STOPPED_AT);
        }
        String shard = shard(t.taskArn());
        if (stops) {
            e.set(e.name(GSI1_PK) + " = " + e.value(text(bucket(TaskItem.BUCKET + month(t.stoppedAt()), shard))));
        } else {
            e.set(e.name(GSI1_PK) + " = if_not_exists(" + e.name(GSI1_PK) + ", "
                    + e.value(text(bucket(TaskItem.BUCKET + OPEN, shard))) + ")");
        }
        e.set(e.name(GSI1_SK) + " = " + e.value(text(t.taskArn())));
        e.set(e.name(TaskItem.TASK_ARN) + " = " + e.value(text(t.taskArn())));
        e.set(e.name(EXPIRES_AT) + " = " + e.value(number(expiry(latestInstant))));
        return update(key("TASK#" + t.taskArn(), "TASK"), e, condition);
    }

    private static void addText(List<Field> fields, String name, String value) {
        if (value != null) {
            fields.add(new Field(name, text(value)));
        }
    }

    private static void addNumber(List<Field> fields, String name, Long value) {
        if (value != null) {
            fields.add(new Field(name, number(value)));
        }
    }

    // ---- container instances, volume calls, terminations ------------------------------------------

    private void recordContainerInstance(HistoryEvent.ContainerInstanceChange ci) {
        String id = lastPart(ci.containerInstanceArn());
        Expression e = new Expression();
        String version = e.name("v");
        String ec2 = e.name(ContainerInstanceItem.EC2_INSTANCE_ID);
        String v = e.value(number(ci.version()));
        String ec2Value = e.value(text(ci.ec2InstanceId()));
        e.set(ec2 + " = " + ec2Value);
        e.set(version + " = " + v);
        e.set(e.name(ContainerInstanceItem.ARN) + " = " + e.value(text(ci.containerInstanceArn())));
        e.set(e.name(GSI1_PK) + " = " + e.value(text(bucket(ContainerInstanceItem.BUCKET, shard(id)))));
        e.set(e.name(GSI1_SK) + " = " + e.value(text(id)));
        e.set(e.name(EXPIRES_AT) + " = " + e.value(number(expiry(0))));
        update(key("CI#" + id, "CI"), e, "attribute_not_exists(" + version + ") OR " + version + " < " + v
                + " OR (" + version + " = " + v + " AND " + ec2 + " < " + ec2Value + ")");
    }

    private void recordVolumeCall(HistoryEvent.VolumeCall call) {
        Map<String, AttributeValue> item = new HashMap<>(key("VOL#" + call.volumeId(), callSortKey(call)));
        item.put(VolumeCallItem.VOLUME_ID, text(call.volumeId()));
        item.put(VolumeCallItem.KIND, text(call.kind().name()));
        item.put(VolumeCallItem.AT, number(call.at()));
        if (call.instanceId() != null) {
            item.put(VolumeCallItem.INSTANCE_ID, text(call.instanceId()));
        }
        item.put(GSI1_PK, text(bucket(VolumeCallItem.BUCKET, shard(call.volumeId()))));
        item.put(GSI1_SK, text(call.volumeId() + "#" + item.get(SK).s()));
        item.put(EXPIRES_AT, number(expiry(call.at())));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException duplicate) {
            // recorded before: a successful no-op
        }
    }

    private static String callSortKey(HistoryEvent.VolumeCall call) {
        String instance = call.instanceId() == null ? "-" : call.instanceId();
        return "CALL#" + String.format("%013d", Math.max(0, call.at())) + "#" + call.kind() + "#" + instance;
    }

    private void recordTermination(HistoryEvent.InstanceTerminated terminated) {
        Expression e = new Expression();
        String at = e.name(TerminationItem.AT);
        String value = e.value(number(terminated.at()));
        e.set(at + " = " + value);
        e.set(e.name(TerminationItem.INSTANCE_ID) + " = " + e.value(text(terminated.instanceId())));
        e.set(e.name(GSI1_PK) + " = " + e.value(text(bucket(TerminationItem.BUCKET, shard(terminated.instanceId())))));
        e.set(e.name(GSI1_SK) + " = " + e.value(text(terminated.instanceId())));
        e.set(e.name(EXPIRES_AT) + " = " + e.value(number(expiry(terminated.at()))));
        update(key("INST#" + terminated.instanceId(), "TERMINATED"), e,
                "attribute_not_exists(" + at + ") OR " + at + " > " + value);
    }

    /** Pushes a current fact's expiry to {@code now + retention}; a fact not in the table is left alone. */
    @Override
    public void retain(HistoryEvent event) {
        Map<String, AttributeValue> key;
        if (event instanceof HistoryEvent.TaskStateChange task) {
            key = key("TASK#" + task.taskArn(), "TASK");
        } else if (event instanceof HistoryEvent.VolumeCall call) {
            key = key("VOL#" + call.volumeId(), callSortKey(call));
        } else if (event instanceof HistoryEvent.ContainerInstanceChange ci) {
            key = key("CI#" + lastPart(ci.containerInstanceArn()), "CI");
        } else {
            return;
        }
        Expression e = new Expression();
        e.set(e.name(EXPIRES_AT) + " = " + e.value(number(expiry(0))));
        update(key, e, "attribute_exists(" + e.name(PK) + ")");
    }

    // ---- reading ------------------------------------------------------------------------------------

    @Override
    public History load(YearMonth period) {
        // A task that stopped after the period began sits in the bucket of its stop month, which is
        // at most now (one month more allows for clock skew between the event sources and us).
        YearMonth last = YearMonth.now(clock.withZone(ZoneOffset.UTC)).plusMonths(1);
        List<String> taskBuckets = new ArrayList<>();
        for (YearMonth m = period; !m.isAfter(last.isAfter(period) ? last : period); m = m.plusMonths(1)) {
            taskBuckets.add(TaskItem.BUCKET + m);
        }
        taskBuckets.add(TaskItem.BUCKET + OPEN);
        List<Query> queries = new ArrayList<>();
        taskBuckets.forEach(bucket -> queries.add(new Query(bucket, TaskItem::events)));
        queries.add(new Query(ContainerInstanceItem.BUCKET, item -> List.of(ContainerInstanceItem.event(item))));
        queries.add(new Query(VolumeCallItem.BUCKET, item -> List.of(VolumeCallItem.event(item))));
        queries.add(new Query(TerminationItem.BUCKET, item -> List.of(TerminationItem.event(item))));

        // Many small queries (a bucket per month and shard): run them side by side.
        List<CompletableFuture<List<HistoryEvent>>> results = new ArrayList<>();
        for (Query query : queries) {
            for (int shard = 0; shard < SHARDS; shard++) {
                String partition = bucket(query.bucket(), Integer.toString(shard));
                results.add(CompletableFuture.supplyAsync(() -> query(partition, query.events()), READERS));
            }
        }
        HistoryBuilder builder = new HistoryBuilder();
        results.forEach(result -> result.join().forEach(builder::add));
        return builder.build().relevantTo(period);
    }

    /** A bucket of the index and how its items become events. */
    private record Query(String bucket, Function<Map<String, AttributeValue>, List<HistoryEvent>> events) {
    }

    private List<HistoryEvent> query(String partition, Function<Map<String, AttributeValue>, List<HistoryEvent>> events) {
        QueryRequest request = QueryRequest.builder()
                .tableName(table)
                .indexName(GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", text(partition)))
                .build();
        List<HistoryEvent> out = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(item -> out.addAll(events.apply(item)));
        return out;
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private boolean update(Map<String, AttributeValue> key, Expression e, String condition) {
        UpdateItemRequest.Builder request = UpdateItemRequest.builder()
                .tableName(table)
                .key(key)
                .updateExpression("SET " + String.join(", ", e.sets))
                .expressionAttributeNames(e.names)
                .expressionAttributeValues(e.values);
        if (condition != null) {
            request.conditionExpression(condition);
        }
        try {
            dynamo.updateItem(request.build());
            return true;
        } catch (ConditionalCheckFailedException staleOrDuplicate) {
            return false;
        }
    }

    private long expiry(long latestInstantMillis) {
        long base = Math.max(latestInstantMillis, clock.millis());
        return Instant.ofEpochMilli(base).plus(retention).getEpochSecond();
    }

    /** The index partition of one shard of a bucket. */
    static String bucket(String name, String shard) {
        return name + "#" + shard;
    }

    static String shard(String id) {
        return Integer.toString(Math.floorMod(id.hashCode(), SHARDS));
    }

    static String month(long epochMillis) {
        return YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC)).toString();
    }

    private static String lastPart(String arn) {
        int slash = arn.lastIndexOf('/');
        return slash >= 0 ? arn.substring(slash + 1) : arn;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, text(pk), SK, text(sk));
    }

    static AttributeValue text(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue number(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    /** Builds an update expression with placeholder names and values. */
    private static final class Expression {
        final List<String> sets = new ArrayList<>();
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        String name(String attribute) {
            String placeholder = "#n" + names.size();
            for (Map.Entry<String, String> entry : names.entrySet()) {
                if (entry.getValue().equals(attribute)) {
                    return entry.getKey();
                }
            }
            names.put(placeholder, attribute);
            return placeholder;
        }

        String value(AttributeValue value) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, value);
            return placeholder;
        }

        void set(String assignment) {
            sets.add(assignment);
        }
    }
}
