package dev.tally.infra.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.stepfunctions.StepFunctionsArchivePass;
import dev.tally.functions.privacy.worker.ArchiveSliceFailedException;
import dev.tally.functions.privacy.worker.ArchiveSliceRetryException;
import dev.tally.privacy.archive.DistributedArchivePass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The distributed archive pass's state machine, held to what the work function sends and the slice function reads. */
class ArchivePassDefinitionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode map = read(ArchivePass.definition("arn:aws:lambda:eu-west-1:1:function:slice", "results"))
            .path("States").path("Slices");

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldListTheRunsPrefix_andHandEachSliceTheRunsWholeInput() {
        assertThat(map.path("Type").asText()).isEqualTo("Map");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").toString())
                .isEqualTo("{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"}");
        assertThat(map.path("ItemReader").toString()).isEqualTo("{\"Resource\":\"arn:aws:states:::s3:listObjectsV2\","
                + "\"Parameters\":{\"Bucket.$\":\"$.bucket\",\"Prefix.$\":\"$.prefix\"}}");
        JsonNode input = StepFunctionsArchivePass.input(new DistributedArchivePass.Run("archive", "DELETE", "USER_ID",
                List.of("req-1"), "events", "raw/"));
        List<String> sent = new ArrayList<>();
        input.fieldNames().forEachRemaining(sent::add);
        List<String> handedOn = new ArrayList<>();
        map.path("ItemBatcher").path("BatchInput").fields().forEachRemaining(field -> {
            handedOn.add(field.getKey().replace(".$", ""));
            assertThat(field.getValue().asText()).isEqualTo("$." + field.getKey().replace(".$", ""));
        });
        assertThat(handedOn).as("every field the work function sends reaches the slice").containsExactlyElementsOf(sent);
        assertThat(map.path("ItemBatcher").path("MaxItemsPerBatch").asInt()).isEqualTo(ArchivePass.KEYS_PER_SLICE);
        assertThat(map.path("ToleratedFailurePercentage").asInt()).isZero();
    }

    @Test
    void shouldRetrySlicesThatMayWorkAgain_only_andWriteTheirEvidenceWhereTheWorkFunctionReadsIt() {
        JsonNode slice = map.path("ItemProcessor").path("States").path("Slice");
        assertThat(slice.path("Parameters").path("FunctionName").asText())
                .isEqualTo("arn:aws:lambda:eu-west-1:1:function:slice");
        assertThat(slice.path("ResultSelector").path("evidence.$").asText()).isEqualTo("$.Payload.evidence");
        List<String> retried = new ArrayList<>();
        slice.path("Retry").get(0).path("ErrorEquals").forEach(error -> retried.add(error.asText()));
        assertThat(retried).contains(ArchiveSliceRetryException.class.getName(), "Lambda.TooManyRequestsException")
                .doesNotContain(ArchiveSliceFailedException.class.getName(), "States.ALL", "States.TaskFailed");
        assertThat(map.path("ResultWriter").toString()).isEqualTo("{\"Resource\":\"arn:aws:states:::s3:putObject\","
                + "\"Parameters\":{\"Bucket\":\"results\",\"Prefix\":\"" + ArchivePass.RESULTS_PREFIX + "\"}}");
    }
}
