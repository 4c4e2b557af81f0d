package dev.tally.aws.stepfunctions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.privacy.archive.ArchiveEvidence;
import dev.tally.privacy.archive.DistributedArchivePass;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The archive pass as a Step Functions Distributed Map (the CDK's {@code ArchivePassStateMachine}): an execution per
 * run, whose input names the bucket, the prefix, the target and the request ids — never a subject id, since inputs
 * stay in the execution history — and whose Distributed Map lists the prefix, hands batches of keys to the slice
 * function and writes the slices' outputs to S3 ({@code ResultWriter}). A succeeded execution's output points at the
 * map run's {@code manifest.json}; the evidence is the sum of every succeeded slice's {@code evidence}.
 */
public final class StepFunctionsArchivePass implements DistributedArchivePass {
    /** The execution input's fields, which the state machine and the slice function read. */
    public static final String BUCKET = "bucket";
    public static final String PREFIX = "prefix";
    public static final String TARGET = "target";
    public static final String REQUEST_TYPE = "request_type";
    public static final String SUBJECT_TYPE = "subject_type";
    public static final String REQUEST_IDS = "request_ids";
    /** The slice function's output field: evidence by request id. */
    public static final String EVIDENCE = "evidence";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Object>>> EVIDENCE_TYPE = new TypeReference<>() {
    };

    private final SfnClient sfn;
    private final S3Client s3;
    private final String stateMachineArn;

    public StepFunctionsArchivePass(SfnClient sfn, S3Client s3, String stateMachineArn) {
        this.sfn = sfn;
        this.s3 = s3;
        this.stateMachineArn = stateMachineArn;
    }

    /** The execution input of a run (also what the slice function receives as its batch input). */
    public static ObjectNode input(Run run) {
        ObjectNode input = JSON.createObjectNode()
                .put(BUCKET, run.bucket())
                .put(PREFIX, run.prefix())
                .put(TARGET, run.target())
                .put(REQUEST_TYPE, run.requestType())
                .put(SUBJECT_TYPE, run.subjectType());
        run.requestIds().forEach(input.putArray(REQUEST_IDS)::add);
        return input;
    }

    @Override
    public String start(Run run) {
        return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn)
                .name("archive-" + UUID.randomUUID())
                .input(input(run).toString())).executionArn();
    }

    @Override
    public Status status(String runId) {
        DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(runId));
        ExecutionStatus status = execution.status();
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.PENDING_REDRIVE) {
            return new Status.Running();
        }
        if (status != ExecutionStatus.SUCCEEDED) {
            // The error is a code (States.Timeout, Lambda.Unknown, ArchiveSliceFailed); the cause is left out.
            return new Status.Failed(execution.statusAsString()
                    + (execution.error() != null ? " (" + execution.error() + ")" : ""));
        }
        JsonNode details = tree(execution.output()).path("ResultWriterDetails");
        if (!details.path("Bucket").isTextual() || !details.path("Key").isTextual()) {
            return new Status.Failed("SUCCEEDED without ResultWriterDetails in its output");
        }
        return new Status.Succeeded(evidence(details.get("Bucket").asText(), details.get("Key").asText()));
    }

    /** The sum of the slices' evidence that the map run's manifest lists as succeeded. */
    Map<String, Map<String, Object>> evidence(String bucket, String manifestKey) {
        JsonNode manifest = tree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(manifestKey)).asUtf8String());
        Map<String, Map<String, Object>> total = new LinkedHashMap<>();
        for (JsonNode file : manifest.path("ResultFiles").path("SUCCEEDED")) {
            String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(file.path("Key").asText())).asUtf8String();
            for (JsonNode child : children(text)) {
                // Transformation NONE wraps each output with its execution's metadata; COMPACT gives the output.
                JsonNode output = child.path("Output").isTextual() ? tree(child.get("Output").asText()) : child;
                total = ArchiveEvidence.add(total, JSON.convertValue(output.path(EVIDENCE), EVIDENCE_TYPE));
            }
        }
        return total;
    }

    /** A result file's entries: a JSON array, or JSON lines. */
    private static Iterable<JsonNode> children(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("[")) {
            return tree(trimmed);
        }
        return trimmed.lines().filter(line -> !line.isBlank()).map(StepFunctionsArchivePass::tree).toList();
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? JSON.missingNode() : JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a Step Functions result that is not JSON", e);
        }
    }
}
