package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.RepoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Real AWS samples (events/aws-samples) and the variants AWS documents. */
class EventParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode sample(String name) throws IOException {
        return JSON.readTree(Files.readString(RepoFiles.events("aws-samples/" + name)));
    }

    private static HistoryEvent used(JsonNode event) {
        EventOutcome outcome = EventParser.parse(event);
        assertThat(outcome).isInstanceOf(EventOutcome.Used.class);
        return ((EventOutcome.Used) outcome).event();
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void shouldReadFargateTask_withCpuFromTaskAndFamilyGroup() throws IOException {
        HistoryEvent.TaskStateChange task = (HistoryEvent.TaskStateChange)
                used(sample("ecs-task-state-change-fargate-running.awsdocs-ecs-guide-2023.json"));

        assertThat(task.taskArn())
                .isEqualTo("arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad");
        assertThat(task.group()).isEqualTo("family:sample-fargate");
        assertThat(task.cpu()).isEqualTo(256);
        assertThat(task.containersCpu()).isZero();
        assertThat(task.containerInstanceArn()).isNull();
        assertThat(task.startedAt()).isEqualTo(at("2020-01-23T17:57:58.103Z"));
        assertThat(task.stoppedAt()).isNull();
        assertThat(task.version()).isEqualTo(4);
    }

    @Test
    void shouldReadOld2016Task_withShortArnsNoCpuAndOneDigitFraction() throws IOException {
        HistoryEvent.TaskStateChange task = (HistoryEvent.TaskStateChange)
                used(sample("ecs-task-state-change-ec2-2016.awsdocs-ecs-guide-2019.json"));

        assertThat(task.cpu()).isNull();
        assertThat(task.containersCpu()).isZero();
        assertThat(task.group()).isEqualTo("task-group");
        assertThat(task.startedAt()).isEqualTo(at("2016-12-06T16:41:06.800Z"));
        assertThat(task.containerInstanceArn())
                .endsWith("container-instance/b54a2a04-046f-4331-9d74-3f6d7f6ca315");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecs-container-instance-state-change.awsdocs-ecs-guide-2023.json",
        "ecs-container-instance-state-change.aws-lambda-go.json"})
    void shouldReadContainerInstance(String name) throws IOException {
        HistoryEvent.ContainerInstanceChange ci = (HistoryEvent.ContainerInstanceChange) used(sample(name));

        assertThat(ci.ec2InstanceId()).startsWith("i-");
        assertThat(ci.containerInstanceArn()).contains(":container-instance/");
        assertThat(ci.version()).isEqualTo(14801);
    }

    @Test
    void shouldReadAttachVolume_atAttachTimeMillis() throws IOException {
        HistoryEvent.VolumeCall call = (HistoryEvent.VolumeCall)
                used(sample("cloudtrail-eventbridge-AttachVolume.lexd-auto-tag-ebs-readme.json"));

        assertThat(call).isEqualTo(new HistoryEvent.VolumeCall("vol-0e89d6e0cceb33115",
                HistoryEvent.VolumeCall.Kind.ATTACH, 1643590371083L, "i-0a674f430ae92d9a2"));
    }

    @Test
    void shouldReadBareCloudTrailRecords_detachAtEventTimeNotOldAttachTime() throws IOException {
        HistoryEvent.VolumeCall detach = (HistoryEvent.VolumeCall)
                used(sample("cloudtrail-record-DetachVolume.k8s-lookup-events-fixture.json"));
        HistoryEvent.VolumeCall attach = (HistoryEvent.VolumeCall)
                used(sample("cloudtrail-record-AttachVolume.k8s-lookup-events-fixture.json"));

        assertThat(detach.kind()).isEqualTo(HistoryEvent.VolumeCall.Kind.DETACH);
        assertThat(detach.at()).isEqualTo(at("2021-09-24T11:16:27Z"));
        assertThat(attach.at()).isEqualTo(1632482194610L);
        assertThat(attach.instanceId()).isEqualTo("i-00a057f697c421b81");
    }

    @Test
    void shouldFallBackToEventTime_whenAttachTimeMissing() throws IOException {
        ObjectNode event = (ObjectNode) sample("cloudtrail-eventbridge-AttachVolume.lexd-auto-tag-ebs-readme.json");
        ((ObjectNode) event.path("detail").path("responseElements")).remove("attachTime");

        assertThat(((HistoryEvent.VolumeCall) used(event)).at()).isEqualTo(at("2022-01-31T00:52:51Z"));
    }

    @Test
    void shouldIgnoreFailedCalls() throws IOException {
        ObjectNode event = (ObjectNode) sample("cloudtrail-eventbridge-AttachVolume.lexd-auto-tag-ebs-readme.json");
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("errorCode", "Client.IncorrectState");
        detail.put("errorMessage", "vol-0e89d6e0cceb33115 is not 'available'.");
        detail.putNull("responseElements");

        assertThat(EventParser.parse(event)).isInstanceOf(EventOutcome.Ignored.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ebs-volume-notification-attachVolume-failed.awsdocs-ec2-guide-2023.json",
        "ebs-volume-notification-deleteVolume.awsdocs-ec2-guide-2023.json",
        "ecs-service-action-task-placement-failure.awsdocs-ecs-guide-2023.json",
        "ecs-deployment-state-change-completed.awsdocs-ecs-guide-2023.json"})
    void shouldIgnoreRelatedEventsTheHistoryDoesNotNeed(String name) throws IOException {
        assertThat(EventParser.parse(sample(name))).isInstanceOf(EventOutcome.Ignored.class);
    }

    @Test
    void shouldCallOtherEventTypesUnknown() throws IOException {
        assertThat(EventParser.parse(sample("java-libs.cloudwatch_event.json")))
                .isEqualTo(new EventOutcome.Unknown("Scheduled Event"));
        assertThat(EventParser.parse(sample("s3-eventbridge-Object-Created.awsdocs-s3-userguide-2023.json")))
                .isEqualTo(new EventOutcome.Unknown("Object Created"));
    }

    @Test
    void shouldReadTermination_atEnvelopeTime_andIgnoreOtherStates() throws IOException {
        String terminated = "{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
                + "\"time\":\"2017-02-03T10:00:00Z\",\"detail\":{\"instance-id\":\"i-1\",\"state\":\"terminated\"}}";
        String stopped = terminated.replace("terminated", "stopped");

        assertThat(used(JSON.readTree(terminated)))
                .isEqualTo(new HistoryEvent.InstanceTerminated("i-1", at("2017-02-03T10:00:00Z")));
        assertThat(EventParser.parse(JSON.readTree(stopped))).isInstanceOf(EventOutcome.Ignored.class);
    }

    @Test
    void shouldReadCpuInAllItsForms() throws IOException {
        assertThat(EventParser.cpuUnits(JSON.readTree("\"1024\""))).isEqualTo(1024);
        assertThat(EventParser.cpuUnits(JSON.readTree("512"))).isEqualTo(512);
        assertThat(EventParser.cpuUnits(JSON.readTree("\"0\""))).isZero();
        assertThat(EventParser.cpuUnits(JSON.readTree("\"1 vCPU\""))).isEqualTo(1024);
        assertThat(EventParser.cpuUnits(JSON.readTree("\".25 vcpu\""))).isEqualTo(256);
        assertThat(EventParser.cpuUnits(JSON.readTree("null"))).isNull();
    }

    @Test
    void shouldReadEpochNumbersAsSecondsOrMillis() throws IOException {
        assertThat(EventParser.instant(JSON.readTree("1486000000.5"))).isEqualTo(1486000000500L);
        assertThat(EventParser.instant(JSON.readTree("1486000000500"))).isEqualTo(1486000000500L);
    }

    @Test
    void shouldCallEventsMissingWhatTheyMustCarryInvalid() throws IOException {
        assertThat(EventParser.parse(JSON.readTree(
                "{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"lastStatus\":\"RUNNING\"}}")))
                .isInstanceOf(EventOutcome.Invalid.class);
        assertThat(EventParser.parse(JSON.readTree(
                "{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\",\"startedAt\":\"soon\"}}")))
                .isInstanceOf(EventOutcome.Invalid.class);
        assertThat(EventParser.parse(JSON.readTree("{\"hello\":1}"))).isInstanceOf(EventOutcome.Invalid.class);
        assertThat(EventParser.parse(JSON.readTree("[1,2]"))).isInstanceOf(EventOutcome.Invalid.class);
    }
}
