package dev.tally.functions.privacy.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.aws.s3.S3ArchiveExecutor;
import dev.tally.aws.stepfunctions.StepFunctionsArchivePass;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.RequestSubjects;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.archive.ArchiveSlice;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of a distributed archive pass: the keys the Distributed Map listed ({@code Items[].Key}) and the run's
 * input ({@code BatchInput}: target, request type, subject type, request ids), carried out by the same
 * {@link S3ArchiveExecutor} the work function runs whole archives with, on an {@link ArchiveSlice#keys} slice. The
 * subjects are opened from the store here, so that none travels through Step Functions. Answers
 * {@code {"evidence": {request id: counts}, "keys": n}}; throws {@link ArchiveSliceRetryException} or
 * {@link ArchiveSliceFailedException} for what the state machine retries or not.
 */
final class ArchiveSlices {
    static final String ITEMS = "Items";
    static final String BATCH_INPUT = "BatchInput";

    private final PrivacyConfig config;
    private final RequestSubjects subjects;
    private final S3ArchiveExecutor archive;

    ArchiveSlices(PrivacyConfig config, RequestSubjects subjects, S3ArchiveExecutor archive) {
        this.config = config;
        this.subjects = subjects;
        this.archive = archive;
    }

    Map<String, Object> run(JsonNode batch) {
        JsonNode input = batch.path(BATCH_INPUT);
        String name = input.path(StepFunctionsArchivePass.TARGET).asText();
        Target target = config.target(name).filter(t -> t.kind() == TargetKind.S3_ARCHIVE).orElseThrow(() ->
                new ArchiveSliceFailedException("no S3_ARCHIVE target " + name + " in the config document"));
        List<String> keys = new ArrayList<>();
        batch.path(ITEMS).forEach(item -> keys.add(item.path("Key").asText()));
        Map<String, List<String>> ids = new LinkedHashMap<>();
        input.path(StepFunctionsArchivePass.REQUEST_IDS).forEach(id -> ids.put(id.asText(),
                subjects.open(id.asText())));
        TargetWork work = new TargetWork(target, enumValue(RequestType.class, input, StepFunctionsArchivePass.REQUEST_TYPE),
                enumValue(SubjectType.class, input, StepFunctionsArchivePass.SUBJECT_TYPE), ids, 1);
        TargetOutcome outcome = keys.isEmpty() ? new TargetOutcome.Done(Map.of())
                : archive.execute(work, ArchiveSlice.keys(keys));
        if (outcome instanceof TargetOutcome.Retry retry) {
            throw new ArchiveSliceRetryException(retry.error());
        }
        if (outcome instanceof TargetOutcome.Failed failed) {
            throw new ArchiveSliceFailedException(failed.error());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(StepFunctionsArchivePass.EVIDENCE, outcome instanceof TargetOutcome.Done done
                ? done.evidenceByRequest() : Map.of());
        answer.put("keys", keys.size());
        return answer;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode input, String field) {
        try {
            return Enum.valueOf(type, input.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw new ArchiveSliceFailedException("the batch input's " + field + " is not a " + type.getSimpleName());
        }
    }
}
