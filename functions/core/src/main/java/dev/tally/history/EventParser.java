package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.billing.Timestamps;

import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns an EventBridge event (or a bare CloudTrail record) into a {@link HistoryEvent}.
 *
 * <p>Real events vary: fields go missing, new ones appear, numbers arrive as strings ({@code "0"}),
 * timestamps with any number of fraction digits or as epoch numbers. Only what the history needs is
 * read, and anything unusable becomes an {@link EventOutcome.Invalid} with a reason that never
 * quotes the event's content.
 */
public final class EventParser {
    public static final String TASK_STATE_CHANGE = "ECS Task State Change";
    public static final String CONTAINER_INSTANCE_STATE_CHANGE = "ECS Container Instance State Change";
    public static final String CLOUDTRAIL_API_CALL = "AWS API Call via CloudTrail";
    public static final String EC2_STATE_CHANGE = "EC2 Instance State-change Notification";

    /** Event types the sources also deliver that say nothing the history needs. */
    private static final java.util.Set<String> KNOWN_UNUSED = java.util.Set.of(
            "EBS Volume Notification", "ECS Service Action", "ECS Deployment State Change");

    private static final long NO_VERSION = -1;
    private static final double EPOCH_SECONDS_LIMIT = 1e11;

    private EventParser() {
    }

    public static EventOutcome parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            return new EventOutcome.Invalid("not a JSON object");
        }
        JsonNode detailType = event.get("detail-type");
        if (detailType == null) {
            if (event.hasNonNull("eventName") && event.hasNonNull("eventSource")) {
                return cloudTrail(event, null);
            }
            return new EventOutcome.Invalid("no detail-type");
        }
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            return new EventOutcome.Invalid("no detail object");
        }
        return switch (detailType.asText()) {
            case TASK_STATE_CHANGE -> task(detail);
            case CONTAINER_INSTANCE_STATE_CHANGE -> containerInstance(detail);
            case CLOUDTRAIL_API_CALL -> cloudTrail(detail, event);
            case EC2_STATE_CHANGE -> ec2State(detail, event);
            default -> KNOWN_UNUSED.contains(detailType.asText())
                    ? new EventOutcome.Ignored(detailType.asText() + " is not needed for the history")
                    : new EventOutcome.Unknown(detailType.asText());
        };
    }

    private static EventOutcome task(JsonNode detail) {
        String taskArn = text(detail, "taskArn");
        if (taskArn == null) {
            return new EventOutcome.Invalid("task event without taskArn");
        }
        try {
            return new EventOutcome.Used(new HistoryEvent.TaskStateChange(
                    taskArn,
                    version(detail),
                    text(detail, "clusterArn"),
                    text(detail, "group"),
                    text(detail, "containerInstanceArn"),
                    cpuUnits(detail.get("cpu")),
                    containersCpu(detail.get("containers")),
                    instant(detail.get("startedAt")),
                    instant(detail.get("stoppedAt"))));
        } catch (IllegalArgumentException e) {
            return new EventOutcome.Invalid("task event: " + e.getMessage());
        }
    }

    private static EventOutcome containerInstance(JsonNode detail) {
        String arn = text(detail, "containerInstanceArn");
        String ec2 = text(detail, "ec2InstanceId");
        if (arn == null || ec2 == null) {
            return new EventOutcome.Invalid("container instance event without containerInstanceArn or ec2InstanceId");
        }
        return new EventOutcome.Used(new HistoryEvent.ContainerInstanceChange(arn, version(detail), ec2));
    }

    /**
     * @param record   the CloudTrail record (EventBridge's {@code detail})
     * @param envelope the EventBridge envelope, or null for a bare record
     */
    private static EventOutcome cloudTrail(JsonNode record, JsonNode envelope) {
        String eventName = text(record, "eventName");
        if (eventName == null) {
            return new EventOutcome.Invalid("CloudTrail record without eventName");
        }
        boolean attach = "AttachVolume".equals(eventName);
        if (!attach && !"DetachVolume".equals(eventName)) {
            return new EventOutcome.Ignored("CloudTrail " + eventName + " is not a volume attachment call");
        }
        if (record.hasNonNull("errorCode")) {
            return new EventOutcome.Ignored("failed " + eventName + " call");
        }
        JsonNode request = record.path("requestParameters");
        JsonNode response = record.path("responseElements");
        String volumeId = firstText(request, response, "volumeId");
        if (volumeId == null) {
            return new EventOutcome.Invalid(eventName + " without volumeId");
        }
        try {
            Long eventTime = instant(record.get("eventTime"));
            if (eventTime == null && envelope != null) {
                eventTime = instant(envelope.get("time"));
            }
            if (attach) {
                String instanceId = firstText(request, response, "instanceId");
                Long attachTime = instant(response.get("attachTime"));
                Long at = attachTime != null ? attachTime : eventTime;
                if (instanceId == null || at == null) {
                    return new EventOutcome.Invalid("AttachVolume without instanceId or time");
                }
                return new EventOutcome.Used(
                        new HistoryEvent.VolumeCall(volumeId, HistoryEvent.VolumeCall.Kind.ATTACH, at, instanceId));
            }
            if (eventTime == null) {
                return new EventOutcome.Invalid("DetachVolume without eventTime");
            }
            return new EventOutcome.Used(new HistoryEvent.VolumeCall(volumeId, HistoryEvent.VolumeCall.Kind.DETACH,
                    eventTime, firstText(request, response, "instanceId")));
        } catch (IllegalArgumentException e) {
            return new EventOutcome.Invalid(eventName + ": " + e.getMessage());
        }
    }

    private static EventOutcome ec2State(JsonNode detail, JsonNode envelope) {
        String state = text(detail, "state");
        if (!"terminated".equals(state)) {
            return new EventOutcome.Ignored("EC2 state " + state + " does not end attachments");
        }
        String instanceId = text(detail, "instance-id");
        if (instanceId == null) {
            return new EventOutcome.Invalid("EC2 state change without instance-id");
        }
        try {
            Long at = instant(envelope.get("time"));
            if (at == null) {
                return new EventOutcome.Invalid("EC2 state change without time");
            }
            return new EventOutcome.Used(new HistoryEvent.InstanceTerminated(instanceId, at));
        } catch (IllegalArgumentException e) {
            return new EventOutcome.Invalid("EC2 state change: " + e.getMessage());
        }
    }

    private static long version(JsonNode detail) {
        JsonNode version = detail.get("version");
        if (version == null || version.isNull()) {
            return NO_VERSION;
        }
        if (version.isIntegralNumber()) {
            return version.asLong();
        }
        try {
            return Long.parseLong(version.asText().trim());
        } catch (NumberFormatException e) {
            return NO_VERSION;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static String firstText(JsonNode first, JsonNode second, String field) {
        String value = first.isObject() ? text(first, field) : null;
        return value != null ? value : second.isObject() ? text(second, field) : null;
    }

    /**
     * CPU units as ECS writes them: {@code "256"}, {@code 256}, {@code "0"}, or in task definitions
     * {@code "1 vCPU"} / {@code ".25 vcpu"}.
     */
    static Integer cpuUnits(JsonNode value) {
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asInt();
        }
        String text = value.asText().trim().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return null;
        }
        try {
            if (text.endsWith("vcpu")) {
                BigDecimal vcpu = new BigDecimal(text.substring(0, text.length() - 4).trim());
                return vcpu.multiply(BigDecimal.valueOf(1024)).intValue();
            }
            return new BigDecimal(text).intValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unreadable cpu value");
        }
    }

    private static Integer containersCpu(JsonNode containers) {
        if (containers == null || !containers.isArray() || containers.isEmpty()) {
            return null;
        }
        int sum = 0;
        for (JsonNode container : containers) {
            Integer units = cpuUnits(container.get("cpu"));
            if (units != null) {
                sum += units;
            }
        }
        return sum;
    }

    /**
     * An instant as UTC epoch millis: ISO-8601 text, or a number of epoch seconds (below 1e11, as the
     * ECS API's JSON writes them) or epoch milliseconds (CloudTrail's {@code attachTime}).
     */
    static Long instant(JsonNode value) {
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        if (value.isNumber()) {
            return epochNumber(value.decimalValue());
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (text.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return epochNumber(new BigDecimal(text));
        }
        try {
            return Timestamps.parseMillis(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unreadable timestamp");
        }
    }

    private static long epochNumber(BigDecimal number) {
        if (number.doubleValue() < EPOCH_SECONDS_LIMIT) {
            return number.movePointRight(3).longValue();
        }
        return number.longValue();
    }
}
