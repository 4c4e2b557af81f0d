package dev.tally.aws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.archive.DistributedArchivePass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Step Functions side of the distributed archive pass with the real SDK clients: the map run's results in S3
 * (S3Mock), as Step Functions' ResultWriter lays them out (a manifest, result files with the default
 * {@code Transformation: NONE} — each child's output a JSON string beside its metadata — or {@code COMPACT} JSON lines),
 * and the state machine's API (StartExecution, DescribeExecution over the AWS JSON 1.0 protocol) from a small local
 * endpoint that answers as Step Functions does: there is no Step Functions emulator to run here.
 */
@LocalAwsTest(services = LocalService.S3)
class StepFunctionsArchivePassIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE = "arn:aws:states:eu-west-1:000000000000:stateMachine:tally-archive-pass";

    private static HttpServer states;
    private static final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private static final Map<String, String> describe = new ConcurrentHashMap<>();
    private static SdkHttpClient http;
    private static S3Client s3;
    private static SfnClient sfn;
    private static String bucket;

    @BeforeAll
    static void start(LocalAws stack) throws IOException {
        states = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        states.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in.readAllBytes());
            }
            calls.add(JSON.createObjectNode().put("target", target).set("body", body));
            String answer = switch (target) {
                case "AWSStepFunctions.StartExecution" -> JSON.createObjectNode()
                        .put("executionArn", STATE_MACHINE.replace(":stateMachine:", ":execution:") + ":"
                                + body.path("name").asText())
                        .put("startDate", 1764633600.0).toString();
                case "AWSStepFunctions.DescribeExecution" -> describe.get(body.path("executionArn").asText());
                default -> null;
            };
            byte[] bytes = (answer == null ? "{\"__type\":\"UnknownOperationException\"}" : answer)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(answer == null ? 400 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        states.start();
        http = AwsClients.httpClient();
        Map<String, URI> endpoints = new HashMap<>(stack.serviceEndpoints());
        endpoints.put(AwsClients.SFN, URI.create("http://127.0.0.1:" + states.getAddress().getPort()));
        AwsConfig local = AwsConfig.local(endpoints);
        s3 = AwsClients.s3(local, http);
        sfn = AwsClients.sfn(local, http);
        bucket = "archive-pass-results-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void stop() {
        sfn.close();
        s3.close();
        http.close();
        states.stop(0);
    }

    private static String execution(String status, String extra) {
        return "{\"executionArn\":\"x\",\"stateMachineArn\":\"" + STATE_MACHINE + "\",\"status\":\"" + status
                + "\",\"startDate\":1764633600.0" + extra + "}";
    }

    private static void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    @Test
    void shouldStartAnExecutionWithTheRunsInput_andNoSubjectId() {
        StepFunctionsArchivePass pass = new StepFunctionsArchivePass(sfn, s3, STATE_MACHINE);

        String id = pass.start(new DistributedArchivePass.Run("archive", "DELETE", "USER_ID", List.of("req-1", "req-2"),
                "events", "raw/"));

        JsonNode call = calls.stream().filter(c -> c.path("target").asText().endsWith("StartExecution"))
                .reduce((a, b) -> b).orElseThrow().path("body");
        assertThat(call.path("stateMachineArn").asText()).isEqualTo(STATE_MACHINE);
        assertThat(call.path("name").asText()).matches("archive-[0-9a-f-]{36}");
        assertThat(id).endsWith(call.path("name").asText());
        JsonNode input = JSON.valueToTree(JSON.convertValue(readTree(call.path("input").asText()), Map.class));
        assertThat(input).isEqualTo(readTree("{\"bucket\":\"events\",\"prefix\":\"raw/\",\"target\":\"archive\","
                + "\"request_type\":\"DELETE\",\"subject_type\":\"USER_ID\",\"request_ids\":[\"req-1\",\"req-2\"]}"));
    }

    @Test
    void shouldAnswerRunningAndFailed_asTheExecutionIs() {
        StepFunctionsArchivePass pass = new StepFunctionsArchivePass(sfn, s3, STATE_MACHINE);
        describe.put("arn:running", execution("RUNNING", ""));
        describe.put("arn:failed", execution("FAILED", ",\"error\":\"States.Timeout\",\"cause\":\"slow\""));
        describe.put("arn:aborted", execution("ABORTED", ""));

        assertThat(pass.status("arn:running")).isEqualTo(new DistributedArchivePass.Status.Running());
        assertThat(pass.status("arn:failed")).isEqualTo(new DistributedArchivePass.Status.Failed(
                "FAILED (States.Timeout)"));
        assertThat(pass.status("arn:aborted")).isEqualTo(new DistributedArchivePass.Status.Failed("ABORTED"));
    }

    @Test
    void shouldAddUpTheSucceededSlicesOfTheMapRun_fromItsManifest() {
        String run = "results/6dbfba93-bcff-410b-9b5c-abf41ae9eddb/";
        put(run + "manifest.json", """
                {"DestinationBucket": "%s",
                 "MapRunArn": "arn:aws:states:eu-west-1:000000000000:mapRun:tally-archive-pass/Slices:6dbfba93",
                 "ResultFiles": {"FAILED": [], "PENDING": [],
                   "SUCCEEDED": [{"Key": "%sSUCCEEDED_0.json", "Size": 1}, {"Key": "%sSUCCEEDED_1.json", "Size": 1}]}}
                """.formatted(bucket, run, run));
        put(run + "SUCCEEDED_0.json", JSON.createArrayNode()
                .add(JSON.createObjectNode().put("ExecutionArn", "arn:child:1").put("Status", "SUCCEEDED")
                        .put("Output", "{\"evidence\":{\"req-1\":{\"objects_scanned\":200,\"records_removed\":3,"
                                + "\"objects_rewritten\":2}},\"keys\":200}"))
                .add(JSON.createObjectNode().put("ExecutionArn", "arn:child:2").put("Status", "SUCCEEDED")
                        .put("Output", "{\"evidence\":{\"req-1\":{\"objects_scanned\":150},\"req-2\":"
                                + "{\"objects_scanned\":150,\"records_removed\":1}},\"keys\":150}"))
                .toString());
        put(run + "SUCCEEDED_1.json", "{\"evidence\":{\"req-2\":{\"objects_scanned\":7,\"versions_deleted\":1}},"
                + "\"keys\":7}\n");
        describe.put("arn:done", execution("SUCCEEDED", ",\"output\":" + JSON.valueToTree(
                "{\"MapRunArn\":\"arn:map\",\"ResultWriterDetails\":{\"Bucket\":\"" + bucket + "\",\"Key\":\""
                        + run + "manifest.json\"}}")));

        DistributedArchivePass.Status status = new StepFunctionsArchivePass(sfn, s3, STATE_MACHINE).status("arn:done");

        assertThat(status).isInstanceOfSatisfying(DistributedArchivePass.Status.Succeeded.class, done -> {
            assertThat(done.evidenceByRequest().get("req-1")).containsEntry("objects_scanned", 350L)
                    .containsEntry("records_removed", 3L).containsEntry("objects_rewritten", 2L);
            assertThat(done.evidenceByRequest().get("req-2")).containsEntry("objects_scanned", 157L)
                    .containsEntry("records_removed", 1L).containsEntry("versions_deleted", 1L);
        });
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
