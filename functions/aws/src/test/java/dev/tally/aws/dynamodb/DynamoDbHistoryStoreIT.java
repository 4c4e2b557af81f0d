package dev.tally.aws.dynamodb;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryStore;
import dev.tally.history.HistoryStoreContract;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

/** The history store contract against DynamoDB (dynalite here; LocalStack or AWS with the other backends). */
@LocalAwsTest(services = LocalService.DYNAMODB)
class DynamoDbHistoryStoreIT extends HistoryStoreContract {
    private static final Clock NOW = Clock.fixed(Instant.parse("2017-05-15T00:00:00Z"), ZoneOffset.UTC);
    private static DynamoDbClient dynamo;
    private static final ForkJoinPool WRITERS = new ForkJoinPool(16);
    private String lastTable;

    @BeforeAll
    static void connect(AwsEndpoints aws) {
        dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB))),
                AwsClients.httpClient());
    }

    @AfterAll
    static void disconnect() {
        WRITERS.shutdown();
        dynamo.close();
    }

    @Override
    protected HistoryStore newStore() {
        lastTable = "history-" + UUID.randomUUID();
        HistoryTable.create(dynamo, lastTable);
        return new DynamoDbHistoryStore(dynamo, lastTable, Duration.ofDays(400), NOW);
    }

    /** Many writers at once, as concurrent Lambda invocations would write. */
    @Override
    protected void recordAll(HistoryStore store, List<HistoryEvent> events) {
        try {
            WRITERS.submit(() -> events.parallelStream().forEach(store::record)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldKeepOneItemPerTask_withVersionsPerField_andExpiry() {
        HistoryStore store = newStore();
        String arn = "arn:aws:ecs:us-east-1:1:task/prod/x";
        store.record(new HistoryEvent.TaskStateChange(arn, 2, "arn:aws:ecs:us-east-1:1:cluster/prod", "service:web",
                null, 256, null, at("2017-02-01T00:00:00Z"), null));
        store.record(new HistoryEvent.TaskStateChange(arn, 3, null, null, null, null, null, null,
                at("2017-02-02T00:00:00Z")));
        store.record(new HistoryEvent.TaskStateChange(arn, 1, null, "service:old", null, null, null, null, null));

        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(lastTable)
                .key(Map.of("pk", AttributeValue.fromS("TASK#" + arn), "sk", AttributeValue.fromS("TASK")))).item();

        assertThat(item.get("grp").s()).isEqualTo("service:web");
        assertThat(item.get("v_grp").n()).isEqualTo("2");
        assertThat(item.get("v_stoppedAt").n()).isEqualTo("3");
        assertThat(item.get("gsi1pk").s()).startsWith("TASKSTOP#2017-02#");
        assertThat(Long.parseLong(item.get("expiresAt").n()))
                .isEqualTo(Instant.parse("2017-05-15T00:00:00Z").plus(Duration.ofDays(400)).getEpochSecond());
    }

    @Test
    void shouldRefreshExpiryOfRetainedFacts_andNotCreateUnknownOnes() {
        HistoryStore store = newStore();
        HistoryEvent.VolumeCall attach = new HistoryEvent.VolumeCall("vol-9", HistoryEvent.VolumeCall.Kind.ATTACH,
                at("2016-01-01T00:00:00Z"), "i-9");
        store.record(attach);
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("VOL#vol-9"),
                "sk", AttributeValue.fromS("CALL#" + String.format("%013d", at("2016-01-01T00:00:00Z")) + "#ATTACH#i-9"));
        long before = Long.parseLong(dynamo.getItem(b -> b.tableName(lastTable).key(key)).item().get("expiresAt").n());

        DynamoDbHistoryStore later = new DynamoDbHistoryStore(dynamo, lastTable, Duration.ofDays(400),
                Clock.offset(NOW, Duration.ofDays(30)));
        later.retain(attach);
        later.retain(new HistoryEvent.VolumeCall("vol-unknown", HistoryEvent.VolumeCall.Kind.ATTACH, 1, "i-1"));

        long after = Long.parseLong(dynamo.getItem(b -> b.tableName(lastTable).key(key)).item().get("expiresAt").n());
        assertThat(after - before).isEqualTo(Duration.ofDays(30).toSeconds());
        assertThat(dynamo.scan(b -> b.tableName(lastTable)).items())
                .noneMatch(item -> item.get("pk").s().equals("VOL#vol-unknown"));
    }
}
