package dev.tally.functions.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.aws.dynamodb.HistoryTable;
import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryEvent.VolumeCall;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static dev.tally.history.HistoryEvent.VolumeCall.Kind.ATTACH;
import static dev.tally.history.HistoryEvent.VolumeCall.Kind.DETACH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler function wired as in Lambda ({@link Dependencies}: real ECS, EC2 and DynamoDB SDK
 * clients on the URL-connection HTTP client), against the DynamoDB history store on dynalite and a stub
 * answering ECS and EC2 in their wire formats. The history it leaves is read back with the store.
 */
@LocalAwsTest(services = LocalService.DYNAMODB)
class ReconcilerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EVENTS_TIME = Instant.parse("2017-02-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2017-02-10T12:00:00Z");
    private static final Instant T0 = Instant.parse("2017-02-03T00:00:00Z");
    private static final Instant T1 = Instant.parse("2017-02-10T08:00:00Z");
    private static final Instant T2 = Instant.parse("2017-02-10T09:30:00.250Z");
    private static final Duration RETENTION = Duration.ofDays(400);

    private static final String SCOPE = "arn:aws:ecs:us-east-1:123456789012:";
    private static final String CLUSTER = SCOPE + "cluster/prod";
    private static final String CI = SCOPE + "container-instance/prod/ci-1";
    private static final String RUNNING = SCOPE + "task/prod/running";
    private static final String NEW = SCOPE + "task/prod/lost-running-event";
    private static final String STOPPED = SCOPE + "task/prod/lost-stopped-event";
    private static final String MISSING = SCOPE + "task/prod/long-gone";

    private static DynamoDbClient dynamo;
    private static AwsEndpoints aws;
    private AwsStub stub;
    private String table;
    private Dependencies dependencies;
    private final List<Map<String, Long>> metrics = new ArrayList<>();

    @BeforeAll
    static void connect(AwsEndpoints endpoints) {
        aws = endpoints;
        dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", endpoints.endpoint(LocalService.DYNAMODB))),
                AwsClients.httpClient());
    }

    @AfterAll
    static void disconnect() {
        dynamo.close();
    }

    @BeforeEach
    void start() throws IOException {
        table = "history-" + UUID.randomUUID();
        HistoryTable.create(dynamo, table);
        stub = new AwsStub();
        stubEcs();
        stubEc2();
        AwsConfig config = AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB),
                "ecs", stub.endpoint(), "ec2", stub.endpoint()));
        dependencies = new Dependencies(new ReconcilerConfig(table, RETENTION), config, Clock.fixed(NOW, ZoneOffset.UTC),
                metrics::add);
    }

    @AfterEach
    void stop() {
        dependencies.ecs.close();
        dependencies.ec2.close();
        dependencies.dynamo.close();
        stub.close();
    }

    // ---- ECS and EC2 as they are now -----------------------------------------------------------------

    private static ObjectNode task(String arn, long version, Instant stoppedAt) {
        ObjectNode task = JSON.createObjectNode()
                .put("taskArn", arn).put("clusterArn", CLUSTER).put("group", "service:web")
                .put("containerInstanceArn", CI).put("cpu", "512").put("version", version)
                .put("lastStatus", stoppedAt == null ? "RUNNING" : "STOPPED")
                .put("desiredStatus", stoppedAt == null ? "RUNNING" : "STOPPED")
                .put("startedAt", T1.toEpochMilli() / 1000.0);
        task.putArray("containers").addObject().put("name", "web").put("cpu", "512");
        if (stoppedAt != null) {
            task.put("stoppedAt", stoppedAt.toEpochMilli() / 1000.0);
        }
        return task;
    }

    private void stubEcs() {
        Map<String, ObjectNode> known = Map.of(RUNNING, task(RUNNING, 2, null), NEW, task(NEW, 3, null),
                STOPPED, task(STOPPED, 4, T2));
        stub.on("ListClusters", r -> AwsStub.Reply.ecs("{\"clusterArns\":[\"" + CLUSTER + "\"]}"))
                .on("ListTasks", r -> AwsStub.Reply.ecs("{\"taskArns\":[\"" + RUNNING + "\",\"" + NEW + "\"]}"))
                .on("DescribeTasks", r -> {
                    ObjectNode answer = JSON.createObjectNode();
                    ArrayNode tasks = answer.putArray("tasks");
                    ArrayNode failures = answer.putArray("failures");
                    read(r.body()).path("tasks").forEach(arn -> {
                        ObjectNode task = known.get(arn.asText());
                        if (task != null) {
                            tasks.add(task);
                        } else {
                            failures.addObject().put("arn", arn.asText()).put("reason", "MISSING");
                        }
                    });
                    return AwsStub.Reply.ecs(answer.toString());
                })
                .on("ListContainerInstances", r -> AwsStub.Reply.ecs("{\"containerInstanceArns\":[\"" + CI + "\"]}"))
                .on("DescribeContainerInstances", r -> AwsStub.Reply.ecs("{\"containerInstances\":[{"
                        + "\"containerInstanceArn\":\"" + CI + "\",\"ec2InstanceId\":\"i-0001\",\"version\":7,"
                        + "\"status\":\"ACTIVE\"}],\"failures\":[]}"));
    }

    private void stubEc2() {
        stub.on("DescribeVolumes", r -> {
            // attached: the root volume, attached at launch; asked by id: vol-gone no longer exists
            String items = "attachment.status".equals(r.param("Filter.1.Name")) ? """
                    <item>
                      <volumeId>vol-root</volumeId>
                      <size>30</size>
                      <availabilityZone>us-east-1a</availabilityZone>
                      <status>in-use</status>
                      <createTime>2017-02-01T00:00:04.000Z</createTime>
                      <attachmentSet>
                        <item>
                          <volumeId>vol-root</volumeId>
                          <instanceId>i-0001</instanceId>
                          <device>/dev/xvda</device>
                          <status>attached</status>
                          <attachTime>2017-02-01T00:00:05.120Z</attachTime>
                          <deleteOnTermination>true</deleteOnTermination>
                        </item>
                      </attachmentSet>
                      <volumeType>gp3</volumeType>
                      <encrypted>false</encrypted>
                    </item>
                    """ : "";
            return AwsStub.Reply.ec2("<DescribeVolumesResponse xmlns=\"" + AwsStub.EC2_NAMESPACE + "\">"
                    + "<requestId>r-1</requestId><volumeSet>" + items + "</volumeSet></DescribeVolumesResponse>");
        });
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the run ---------------------------------------------------------------------------------------

    /** What the event handlers recorded before the reconciler ran (their clock is earlier). */
    private void givenRecordedEvents() {
        DynamoDbHistoryStore handlers = new DynamoDbHistoryStore(dynamo, table, RETENTION,
                Clock.fixed(EVENTS_TIME, ZoneOffset.UTC));
        for (String arn : List.of(RUNNING, STOPPED, MISSING)) {
            handlers.record(new HistoryEvent.TaskStateChange(arn, 2, CLUSTER, "service:web", CI, 512, 512,
                    T1.toEpochMilli(), null));
        }
        handlers.record(new HistoryEvent.ContainerInstanceChange(CI, 7, "i-0001"));
        handlers.record(new VolumeCall("vol-gone", ATTACH, T0.toEpochMilli(), "i-0001"));
    }

    private JsonNode invoke() throws IOException {
        ReconcilerHandler handler = new ReconcilerHandler(dependencies.reconciler, dependencies.metrics);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream("{\"detail-type\":\"Scheduled Event\"}".getBytes()), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private History loaded() {
        return new DynamoDbHistoryStore(dynamo, table, RETENTION, Clock.fixed(NOW, ZoneOffset.UTC))
                .load(YearMonth.of(2017, 2));
    }

    private long expiresAt(String pk, String sk) {
        return Long.parseLong(dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk),
                "sk", AttributeValue.fromS(sk))).consistentRead(true)).item().get("expiresAt").n());
    }

    @Test
    void repairsTheHistoryInDynamoDb_andASecondRunChangesNothing() throws IOException {
        givenRecordedEvents();
        long recordedExpiry = expiresAt("TASK#" + RUNNING, "TASK");

        JsonNode summary = invoke();

        History history = loaded();
        long started = T1.toEpochMilli();
        Map<String, EcsTask> tasks = new TreeMap<>();
        tasks.put(RUNNING, new EcsTask(RUNNING, "prod", "web", "ci-1", 512, started, null));
        tasks.put(NEW, new EcsTask(NEW, "prod", "web", "ci-1", 512, started, null));
        tasks.put(STOPPED, new EcsTask(STOPPED, "prod", "web", "ci-1", 512, started, T2.toEpochMilli()));
        tasks.put(MISSING, new EcsTask(MISSING, "prod", "web", "ci-1", 512, started, NOW.toEpochMilli()));
        assertThat(history.tasks()).containsExactlyInAnyOrderEntriesOf(tasks);
        assertThat(history.ec2ByContainerInstance()).containsExactlyEntriesOf(Map.of("ci-1", "i-0001"));
        Map<String, List<VolumeCall>> calls = new TreeMap<>();
        calls.put("vol-gone", List.of(new VolumeCall("vol-gone", ATTACH, T0.toEpochMilli(), "i-0001"),
                new VolumeCall("vol-gone", DETACH, NOW.toEpochMilli(), "i-0001")));
        calls.put("vol-root", List.of(new VolumeCall("vol-root", ATTACH,
                Instant.parse("2017-02-01T00:00:05.120Z").toEpochMilli(), "i-0001")));
        assertThat(history.volumeCalls()).containsExactlyEntriesOf(calls);

        long retainedExpiry = NOW.plus(RETENTION).getEpochSecond();
        assertThat(recordedExpiry).isLessThan(retainedExpiry);
        assertThat(expiresAt("TASK#" + RUNNING, "TASK")).as("running task retained").isEqualTo(retainedExpiry);
        assertThat(expiresAt("CI#ci-1", "CI")).as("container instance retained").isEqualTo(retainedExpiry);

        assertThat(summary.path("clusters").asInt()).isEqualTo(1);
        assertThat(summary.path("tasksSeen").asInt()).isEqualTo(2);
        assertThat(summary.path("stopsClosed").asInt()).isEqualTo(2);
        assertThat(summary.path("stopsAssumed").asInt()).isEqualTo(1);
        assertThat(summary.path("attachmentsAdded").asInt()).isEqualTo(1);
        assertThat(summary.path("detachesAdded").asInt()).isEqualTo(1);
        assertThat(summary.path("errors").asInt()).isZero();
        assertThat(metrics).singleElement()
                .satisfies(m -> assertThat(m).containsEntry(ReconcilerMetrics.STOPS_CLOSED, 2L));

        JsonNode again = invoke();

        assertThat(loaded()).isEqualTo(history);
        assertThat(again.path("stopsClosed").asInt()).isZero();
        assertThat(again.path("attachmentsAdded").asInt()).isZero();
        assertThat(again.path("detachesAdded").asInt()).isZero();
    }
}
