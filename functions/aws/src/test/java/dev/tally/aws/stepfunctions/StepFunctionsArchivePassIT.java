package dev.tally.aws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.StepFunctionsEndpoint;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Step Functions side of the distributed archive pass with the real SDK clients: the map run's results in S3
 * (S3Mock), as Step Functions' ResultWriter lays them out (a manifest, result files with the default
 * {@code Transformation: NONE} — each child's output a JSON string beside its metadata — or {@code COMPACT} JSON lines),
 * and the state machine's API (StartExecution, DescribeExecution over the AWS JSON 1.0 protocol) from the local
 * {@link StepFunctionsEndpoint}, which answers as Step Functions does: there is no Step Functions emulator to run here.
 */
@LocalAwsTest(services = LocalService.S3)
class StepFunctionsArchivePassIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE = "arn:aws:states:eu-west-1:000000000000:stateMachine:tally-archive-pass";

    private static StepFunctionsEndpoint states;
    private static SdkHttpClient http;
    private static S3Client s3;
    private static SfnClient sfn;
    private static String bucket;

    @BeforeAll
    static void start(LocalAws stack) {
        states = StepFunctionsEndpoint.start();
        http = AwsClients.httpClient();
        Map<String, URI> endpoints = new HashMap<>(stack.serviceEndpoints());
        endpoints.put(AwsClients.SFN, states.endpoint());
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
        states.close();
    }

    private static void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    @Test
    void shouldStartAnExecutionWithTheRunsInput_andNoSubjectId() {
        StepFunctionsArchivePass pass = new StepFunctionsArchivePass(sfn, s3, STATE_MACHINE);

        String id = pass.start(new DistributedArchivePass.Run("archive", "DELETE", "USER_ID", List.of("req-1", "req-2"),
                "events", "raw/"));

        StepFunctionsEndpoint.Execution call = states.started().get(states.started().size() - 1);
        assertThat(call.stateMachineArn()).isEqualTo(STATE_MACHINE);
        assertThat(call.name()).matches("archive-[0-9a-f-]{36}");
        assertThat(id).isEqualTo(call.arn()).endsWith(call.name());
        JsonNode input = readTree(call.input());
        assertThat(input).isEqualTo(readTree("{\"bucket\":\"events\",\"prefix\":\"raw/\",\"target\":\"archive\","
                + "\"request_type\":\"DELETE\",\"subject_type\":\"USER_ID\",\"request_ids\":[\"req-1\",\"req-2\"]}"));
    }

    @Test
    void shouldAnswerRunningAndFailed_asTheExecutionIs() {
        StepFunctionsArchivePass pass = new StepFunctionsArchivePass(sfn, s3, STATE_MACHINE);
        states.set("arn:running", "RUNNING", null, null);
        states.set("arn:failed", "FAILED", null, "States.Timeout");
        states.set("arn:aborted", "ABORTED", null, null);

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
        states.set("arn:done", "SUCCEEDED", "{\"MapRunArn\":\"arn:map\",\"ResultWriterDetails\":{\"Bucket\":\""
                + bucket + "\",\"Key\":\"" + run + "manifest.json\"}}", null);

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
