package dev.tally.functions.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SdkEcsInventory} through the real ECS SDK client against a stub speaking ECS's wire protocol
 * (JSON 1.1, {@code X-Amz-Target}, timestamps as epoch seconds): pagination, batching, field mapping.
 */
class SdkEcsInventoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";

    private AwsStub stub;
    private EcsClient client;
    private SdkEcsInventory inventory;

    @BeforeEach
    void start() throws IOException {
        stub = new AwsStub();
        client = stub.ecsClient();
        inventory = new SdkEcsInventory(client);
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    private static JsonNode body(AwsStub.Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void clusterArns_followsNextToken() {
        stub.on("ListClusters", r -> body(r).hasNonNull("nextToken")
                ? AwsStub.Reply.ecs("{\"clusterArns\":[\"arn:aws:ecs:us-east-1:123456789012:cluster/batch\"]}")
                : AwsStub.Reply.ecs("{\"clusterArns\":[\"" + CLUSTER + "\"],\"nextToken\":\"page-2\"}"));

        assertThat(inventory.clusterArns())
                .containsExactly(CLUSTER, "arn:aws:ecs:us-east-1:123456789012:cluster/batch");
        List<AwsStub.Request> requests = stub.requests("ListClusters");
        assertThat(requests).hasSize(2);
        assertThat(body(requests.get(1)).path("nextToken").asText()).isEqualTo("page-2");
    }

    @Test
    void runningTaskArns_asksForDesiredRunning_andFollowsNextToken() {
        stub.on("ListTasks", r -> "t2".equals(body(r).path("nextToken").asText())
                ? AwsStub.Reply.ecs("{\"taskArns\":[\"arn:aws:ecs:us-east-1:123456789012:task/prod/bbb\"]}")
                : AwsStub.Reply.ecs("{\"taskArns\":[\"arn:aws:ecs:us-east-1:123456789012:task/prod/aaa\"],"
                        + "\"nextToken\":\"t2\"}"));

        assertThat(inventory.runningTaskArns(CLUSTER)).containsExactly(
                "arn:aws:ecs:us-east-1:123456789012:task/prod/aaa", "arn:aws:ecs:us-east-1:123456789012:task/prod/bbb");
        JsonNode first = body(stub.requests("ListTasks").get(0));
        assertThat(first.path("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(first.path("desiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(stub.requests("ListTasks")).hasSize(2);
    }

    @Test
    void describeTasks_mapsTheTaskFields_andMissingFailures() {
        String running = "arn:aws:ecs:us-east-1:123456789012:task/prod/0b69d5c0d2f448d5a4b5bd7e1a9f2a11";
        String stopped = "arn:aws:ecs:us-east-1:123456789012:task/prod/1c7a4a1e03c44b2f9b1e6d7c8e9f0a22";
        String gone = "arn:aws:ecs:us-east-1:123456789012:task/prod/2d8b5b2f14d55c3aac2f7e8d9fa01b33";
        stub.on("DescribeTasks", r -> AwsStub.Reply.ecs("""
                {
                  "tasks": [
                    {
                      "attachments": [],
                      "availabilityZone": "us-east-1a",
                      "clusterArn": "%1$s",
                      "containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/5f0b8a6e",
                      "containers": [
                        {"containerArn": "arn:aws:ecs:us-east-1:123456789012:container/prod/aa/c1",
                         "taskArn": "%2$s", "name": "web", "image": "nginx:1.25", "lastStatus": "RUNNING",
                         "networkBindings": [], "cpu": "128", "memory": "256"},
                        {"containerArn": "arn:aws:ecs:us-east-1:123456789012:container/prod/aa/c2",
                         "taskArn": "%2$s", "name": "sidecar", "image": "envoy", "lastStatus": "RUNNING",
                         "cpu": "0"}
                      ],
                      "cpu": "256",
                      "createdAt": 1519081504.412,
                      "desiredStatus": "RUNNING",
                      "group": "service:web",
                      "lastStatus": "RUNNING",
                      "launchType": "EC2",
                      "memory": "512",
                      "overrides": {"containerOverrides": [{"name": "web"}]},
                      "startedAt": 1519081514.953,
                      "startedBy": "ecs-svc/9223370517773265857",
                      "taskArn": "%2$s",
                      "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
                      "version": 3
                    },
                    {
                      "clusterArn": "%1$s",
                      "containers": [],
                      "cpu": "0.5 vCPU",
                      "desiredStatus": "STOPPED",
                      "group": "family:batch",
                      "lastStatus": "STOPPED",
                      "launchType": "FARGATE",
                      "startedAt": 1519000000,
                      "stoppedAt": 1519003600.5,
                      "stoppedReason": "Essential container in task exited",
                      "taskArn": "%3$s",
                      "version": 5
                    }
                  ],
                  "failures": [
                    {"arn": "%4$s", "reason": "MISSING"},
                    {"arn": "arn:aws:ecs:us-east-1:123456789012:task/prod/not-an-id", "reason": "INVALID", "detail": "x"}
                  ]
                }
                """.formatted(CLUSTER, running, stopped, gone)));

        EcsInventory.Descriptions described = inventory.describeTasks(CLUSTER, List.of(running, stopped, gone));

        assertThat(described.tasks()).containsExactly(
                new EcsInventory.Task(running, 3, CLUSTER, "service:web",
                        "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/5f0b8a6e", "256",
                        List.of("128", "0"), "RUNNING", Instant.parse("2018-02-19T23:05:14.953Z"), null),
                new EcsInventory.Task(stopped, 5, CLUSTER, "family:batch", null, "0.5 vCPU", List.of(), "STOPPED",
                        Instant.ofEpochSecond(1519000000), Instant.parse("2018-02-19T01:26:40.500Z")));
        assertThat(described.missing()).containsExactly(gone);
        JsonNode request = body(stub.requests("DescribeTasks").get(0));
        assertThat(request.path("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(request.path("tasks")).hasSize(3);
    }

    @Test
    void describeTasks_asksInBatchesOf100() {
        stub.on("DescribeTasks", r -> {
            ObjectNode answer = JSON.createObjectNode();
            answer.putArray("tasks");
            ArrayNode failures = answer.putArray("failures");
            body(r).path("tasks").forEach(arn -> failures.addObject().put("arn", arn.asText()).put("reason", "MISSING"));
            return AwsStub.Reply.ecs(answer.toString());
        });
        List<String> arns = IntStream.range(0, 250)
                .mapToObj(i -> "arn:aws:ecs:us-east-1:123456789012:task/prod/t" + i).toList();

        EcsInventory.Descriptions described = inventory.describeTasks("prod", arns);

        assertThat(stub.requests("DescribeTasks")).extracting(r -> body(r).path("tasks").size())
                .containsExactly(100, 100, 50);
        assertThat(described.missing()).containsExactlyElementsOf(arns);
    }

    @Test
    void describeTasks_inADeletedCluster_reportsThemMissing() {
        stub.on("DescribeTasks", r -> AwsStub.Reply.ecsError(400, "ClusterNotFoundException", "Cluster not found."));
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/old/abc";

        EcsInventory.Descriptions described = inventory.describeTasks("old", List.of(arn));

        assertThat(described.tasks()).isEmpty();
        assertThat(described.missing()).containsExactly(arn);
    }

    @Test
    void containerInstances_listsAllPages_andDescribesThem() {
        String ci1 = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/1111";
        String ci2 = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/2222";
        stub.on("ListContainerInstances", r -> body(r).hasNonNull("nextToken")
                ? AwsStub.Reply.ecs("{\"containerInstanceArns\":[\"" + ci2 + "\"]}")
                : AwsStub.Reply.ecs("{\"containerInstanceArns\":[\"" + ci1 + "\"],\"nextToken\":\"n\"}"));
        stub.on("DescribeContainerInstances", r -> AwsStub.Reply.ecs("""
                {"containerInstances": [
                  {"containerInstanceArn": "%s", "ec2InstanceId": "i-0a1b2c3d4e5f60001", "version": 14,
                   "status": "ACTIVE", "agentConnected": true, "runningTasksCount": 2, "pendingTasksCount": 0,
                   "registeredAt": 1519000000.123,
                   "remainingResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 1536}]},
                  {"containerInstanceArn": "%s", "ec2InstanceId": "i-0a1b2c3d4e5f60002", "version": 2,
                   "status": "DRAINING"}
                 ],
                 "failures": []}
                """.formatted(ci1, ci2)));

        assertThat(inventory.containerInstances(CLUSTER)).containsExactly(
                new EcsInventory.ContainerInstance(ci1, 14, "i-0a1b2c3d4e5f60001"),
                new EcsInventory.ContainerInstance(ci2, 2, "i-0a1b2c3d4e5f60002"));
        JsonNode describe = body(stub.requests("DescribeContainerInstances").get(0));
        List<String> asked = new ArrayList<>();
        describe.path("containerInstances").forEach(n -> asked.add(n.asText()));
        assertThat(asked).containsExactly(ci1, ci2);
        assertThat(describe.path("cluster").asText()).isEqualTo(CLUSTER);
    }

    @Test
    void apiErrors_propagate() {
        stub.on("ListTasks", r -> AwsStub.Reply.ecsError(400, "AccessDeniedException", "not authorized: ecs:ListTasks"));

        assertThatThrownBy(() -> inventory.runningTaskArns(CLUSTER))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ecs:ListTasks");
    }
}
