package dev.tally.functions.reconciler;

import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.history.HistoryEvent;
import dev.tally.history.HistoryEvent.VolumeCall;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tally.history.HistoryEvent.VolumeCall.Kind.ATTACH;
import static dev.tally.history.HistoryEvent.VolumeCall.Kind.DETACH;
import static org.assertj.core.api.Assertions.assertThat;

/** The reconciler's repairs, on in-memory ECS, EC2 and history. */
class ReconcilerTest {
    private static final Instant NOW = Instant.parse("2017-02-10T12:00:00Z");
    private static final long NOW_MS = NOW.toEpochMilli();
    private static final Instant T1 = Instant.parse("2017-02-10T08:00:00Z");
    private static final Instant T2 = Instant.parse("2017-02-10T09:30:00Z");
    private static final String PROD = FakeEcs.clusterArn("prod");
    private static final String CI_1 = FakeEcs.SCOPE + "container-instance/prod/ci-1";

    private final FakeEcs ecs = new FakeEcs();
    private final FakeEc2 ec2 = new FakeEc2();
    private final RecordingStore store = new RecordingStore();

    private static String taskArn(String cluster, String id) {
        return FakeEcs.SCOPE + "task/" + cluster + "/" + id;
    }

    private static EcsInventory.Task running(String arn, long version, String cluster, String group) {
        return new EcsInventory.Task(arn, version, FakeEcs.clusterArn(cluster), group, CI_1, "256",
                List.of("128", "128"), "RUNNING", T1, null);
    }

    private static EcsInventory.Task stopped(String arn, long version, String cluster, Instant stoppedAt) {
        return new EcsInventory.Task(arn, version, FakeEcs.clusterArn(cluster), "service:web", CI_1, "256",
                List.of("256"), "STOPPED", T1, stoppedAt);
    }

    /** What the RUNNING event said, as the event handler recorded it. */
    private static HistoryEvent.TaskStateChange runningEvent(String arn, String cluster) {
        return new HistoryEvent.TaskStateChange(arn, 2, FakeEcs.clusterArn(cluster), "service:web", CI_1, 256, 256,
                T1.toEpochMilli(), null);
    }

    private static HistoryEvent.TaskStateChange stoppedEvent(String arn, long version, Instant stoppedAt) {
        return new HistoryEvent.TaskStateChange(arn, version, null, null, null, null, null, null,
                stoppedAt.toEpochMilli());
    }

    private static VolumeCall attach(String volume, Instant at, String instance) {
        return new VolumeCall(volume, ATTACH, at.toEpochMilli(), instance);
    }

    private static VolumeCall detach(String volume, Instant at, String instance) {
        return new VolumeCall(volume, DETACH, at.toEpochMilli(), instance);
    }

    private static Ec2Inventory.Attachment attachment(String instance, String state, Instant at) {
        return new Ec2Inventory.Attachment(instance, state, at);
    }

    private ReconcileSummary run(Instant at) {
        return new Reconciler(ecs, ec2, store, Clock.fixed(at, ZoneOffset.UTC)).run();
    }

    private History history() {
        return store.load(YearMonth.of(2017, 2));
    }

    // ---- ECS ------------------------------------------------------------------------------------------

    @Test
    void lostRunningEvent_isFilledIn_fromDescribeTasks() {
        String arn = taskArn("prod", "web-1");
        ecs.task("prod", running(arn, 2, "prod", "service:web"))
                .containerInstance("prod", new EcsInventory.ContainerInstance(CI_1, 7, "i-0001"));

        ReconcileSummary summary = run(NOW);

        assertThat(history().tasks()).containsExactlyEntriesOf(Map.of(arn,
                new EcsTask(arn, "prod", "web", "ci-1", 256, T1.toEpochMilli(), null)));
        assertThat(history().ec2ByContainerInstance()).containsExactlyEntriesOf(Map.of("ci-1", "i-0001"));
        assertThat(store.recorded).contains(new HistoryEvent.TaskStateChange(arn, 2, PROD, "service:web", CI_1, 256,
                256, T1.toEpochMilli(), null));
        assertThat(store.retained).containsExactlyInAnyOrder(
                new HistoryEvent.TaskStateChange(arn, 2, PROD, "service:web", CI_1, 256, 256, T1.toEpochMilli(), null),
                new HistoryEvent.ContainerInstanceChange(CI_1, 7, "i-0001"));
        assertThat(summary).isEqualTo(new ReconcileSummary(NOW, 1, 1, 1, 0, 0, 0, 0, 0, List.of()));
    }

    @Test
    void describedTask_usesItsOwnVersion_soANewerEventIsNotOverridden() {
        String arn = taskArn("prod", "web-1");
        // the STOPPED event (version 4) already arrived; ECS's description is older (version 3, still running)
        store.given(runningEvent(arn, "prod"), stoppedEvent(arn, 4, T2));
        ecs.task("prod", running(arn, 3, "prod", "service:web"));

        run(NOW);

        assertThat(history().tasks().get(arn).stoppedAt()).isEqualTo(T2.toEpochMilli());
    }

    @Test
    void lostStoppedEvent_isClosedWithTheStopEcsDescribes() {
        String arn = taskArn("prod", "web-1");
        store.given(runningEvent(arn, "prod"));
        ecs.task("prod", stopped(arn, 4, "prod", T2));

        ReconcileSummary summary = run(NOW);

        assertThat(history().tasks().get(arn).stoppedAt()).isEqualTo(T2.toEpochMilli());
        assertThat(store.recorded).contains(new HistoryEvent.TaskStateChange(arn, 4, PROD, "service:web", CI_1, 256,
                256, T1.toEpochMilli(), T2.toEpochMilli()));
        assertThat(summary.stopsClosed()).isEqualTo(1);
        assertThat(summary.stopsAssumed()).isZero();
        assertThat(ecs.describeCalls).contains(List.of(arn));
    }

    @Test
    void lostStoppedEvent_ofATaskEcsReportsMissing_isClosedAtTheRunInstant_belowEveryEvent() {
        String arn = taskArn("prod", "web-1");
        store.given(runningEvent(arn, "prod"));
        ecs.cluster("prod");

        ReconcileSummary summary = run(NOW);

        assertThat(history().tasks().get(arn).stoppedAt()).isEqualTo(NOW_MS);
        assertThat(store.recorded).containsExactly(new HistoryEvent.TaskStateChange(arn,
                Reconciler.ASSUMED_STOP_VERSION, null, null, null, null, null, null, NOW_MS));
        assertThat(summary.stopsClosed()).isEqualTo(1);
        assertThat(summary.stopsAssumed()).isEqualTo(1);
    }

    @Test
    void lateRealStoppedEvent_afterAMissingClose_stillWins_withOrWithoutAVersion() {
        String versioned = taskArn("prod", "a");
        String unversioned = taskArn("prod", "b");
        store.given(runningEvent(versioned, "prod"), runningEvent(unversioned, "prod"));
        ecs.cluster("prod");
        run(NOW);
        assertThat(history().tasks().get(versioned).stoppedAt()).isEqualTo(NOW_MS);

        // the real STOPPED events arrive late; the real stops were earlier than the run instant
        store.record(stoppedEvent(versioned, 3, T2));
        store.record(stoppedEvent(unversioned, -1, T2)); // the parser reads an event without version as -1

        assertThat(history().tasks().get(versioned).stoppedAt()).isEqualTo(T2.toEpochMilli());
        assertThat(history().tasks().get(unversioned).stoppedAt()).isEqualTo(T2.toEpochMilli());
    }

    @Test
    void taskRunningAfterAll_isRetained_notClosed() {
        String arn = taskArn("prod", "late");
        store.given(runningEvent(arn, "prod"));
        ecs.unlistedRunningTask("prod", running(arn, 2, "prod", "service:web"));

        ReconcileSummary summary = run(NOW);

        assertThat(history().tasks().get(arn).stoppedAt()).isNull();
        assertThat(summary.stopsClosed()).isZero();
        assertThat(store.retained).extracting(e -> ((HistoryEvent.TaskStateChange) e).taskArn()).containsExactly(arn);
    }

    @Test
    void openTasksOfAnotherAccountOrRegion_areLeftAlone() {
        String foreign = "arn:aws:ecs:eu-west-1:999999999999:task/prod/x";
        store.given(runningEvent(foreign, "prod"));
        ecs.cluster("prod");

        ReconcileSummary summary = run(NOW);

        assertThat(history().tasks().get(foreign).stoppedAt()).isNull();
        assertThat(ecs.describeCalls).noneMatch(call -> call.contains(foreign));
        assertThat(summary.stopsClosed()).isZero();
    }

    @Test
    void oneFailingCluster_doesNotStopTheOthers_andIsNotClosedBlindly() {
        String alphaOpen = taskArn("alpha", "open");
        String betaRunning = taskArn("beta", "run");
        String betaLost = taskArn("beta", "lost");
        store.given(runningEvent(alphaOpen, "alpha"), runningEvent(betaLost, "beta"));
        ecs.cluster("alpha").failing("alpha")
                .task("beta", running(betaRunning, 2, "beta", "service:api"));
        ec2.volume("vol-1", "in-use", attachment("i-0001", "attached", T1));

        ReconcileSummary summary = run(NOW);

        History history = history();
        assertThat(history.tasks().get(betaRunning).startedAt()).isEqualTo(T1.toEpochMilli());
        assertThat(history.tasks().get(betaLost).stoppedAt()).isEqualTo(NOW_MS);
        assertThat(history.tasks().get(alphaOpen).stoppedAt())
                .as("alpha's running tasks are unknown this run: its open task must not be closed").isNull();
        assertThat(history.volumeCalls().get("vol-1")).containsExactly(attach("vol-1", T1, "i-0001"));
        assertThat(summary.clusters()).isEqualTo(2);
        assertThat(summary.errors()).hasSize(2)
                .allMatch(error -> error.contains("cluster alpha"));
        assertThat(summary.failed()).isTrue();
        assertThat(summary.metrics()).containsEntry(ReconcilerMetrics.ERRORS, 2L);
    }

    @Test
    void listClustersFailing_closesNothing_butVolumesAreStillReconciled() {
        String arn = taskArn("prod", "open");
        store.given(runningEvent(arn, "prod"));
        ecs.cluster("prod").listClustersFails();
        ec2.volume("vol-1", "in-use", attachment("i-0001", "attached", T1));

        ReconcileSummary summary = run(NOW);

        assertThat(history().tasks().get(arn).stoppedAt()).isNull();
        assertThat(summary.attachmentsAdded()).isEqualTo(1);
        assertThat(summary.errors()).singleElement().asString().startsWith("ListClusters");
    }

    // ---- EBS ------------------------------------------------------------------------------------------

    @Test
    void volumeAttachedAtLaunch_isRecorded_andAnAttachCloudTrailReported_collapses() {
        Instant launch = Instant.parse("2017-02-01T00:00:05.120Z");
        store.given(attach("vol-2", T1, "i-0002")); // CloudTrail's AttachVolume of vol-2
        ec2.volume("vol-1", "in-use", attachment("i-0001", "attached", launch))
                .volume("vol-2", "in-use", attachment("i-0002", "attached", T1));

        ReconcileSummary summary = run(NOW);

        assertThat(history().volumeCalls()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "vol-1", List.of(attach("vol-1", launch, "i-0001")),
                "vol-2", List.of(attach("vol-2", T1, "i-0002")))));
        assertThat(store.recorded).containsExactly(attach("vol-1", launch, "i-0001"));
        assertThat(store.retained).containsExactlyInAnyOrder(attach("vol-1", launch, "i-0001"),
                attach("vol-2", T1, "i-0002"));
        assertThat(summary.attachmentsSeen()).isEqualTo(2);
        assertThat(summary.attachmentsAdded()).isEqualTo(1);
    }

    @Test
    void lostDetach_isRecordedAtTheRunInstant_onlyWhereNothingElseEndsTheAttachment() {
        Instant t0 = Instant.parse("2017-02-05T00:00:00Z");
        Instant later = Instant.parse("2017-02-08T00:00:00Z");
        store.given(
                attach("vol-available", t0, "i-1"),
                attach("vol-deleted", t0, "i-1"),
                attach("vol-moved", t0, "i-1"),
                attach("vol-attaching", t0, "i-1"),
                attach("vol-detaching", t0, "i-1"),
                attach("vol-still", t0, "i-1"),
                attach("vol-done", t0, "i-1"), detach("vol-done", later, "i-1"),
                attach("vol-new", NOW.plusSeconds(1), "i-1"));
        ec2.volume("vol-available", "available")
                .volume("vol-moved", "in-use", attachment("i-2", "attached", later))
                .volume("vol-attaching", "in-use", attachment("i-3", "attaching", later))
                .volume("vol-detaching", "in-use", attachment("i-1", "detaching", t0))
                .volume("vol-still", "in-use", attachment("i-1", "attached", t0))
                .volume("vol-done", "available");

        ReconcileSummary summary = run(NOW);

        var calls = history().volumeCalls();
        assertThat(calls.get("vol-available")).containsExactly(attach("vol-available", t0, "i-1"),
                detach("vol-available", NOW, "i-1"));
        assertThat(calls.get("vol-deleted")).containsExactly(attach("vol-deleted", t0, "i-1"),
                detach("vol-deleted", NOW, "i-1"));
        assertThat(calls.get("vol-moved")).as("the attach elsewhere ends the first attachment")
                .containsExactly(attach("vol-moved", t0, "i-1"), attach("vol-moved", later, "i-2"));
        assertThat(calls.get("vol-attaching")).containsExactly(attach("vol-attaching", t0, "i-1"));
        assertThat(calls.get("vol-detaching")).containsExactly(attach("vol-detaching", t0, "i-1"));
        assertThat(calls.get("vol-still")).containsExactly(attach("vol-still", t0, "i-1"));
        assertThat(calls.get("vol-done")).containsExactly(attach("vol-done", t0, "i-1"), detach("vol-done", later, "i-1"));
        assertThat(calls.get("vol-new")).containsExactly(attach("vol-new", NOW.plusSeconds(1), "i-1"));
        assertThat(summary.detachesAdded()).isEqualTo(2);
        assertThat(ec2.describeCalls).singleElement().satisfies(asked -> assertThat(asked)
                .containsExactlyInAnyOrder("vol-attaching", "vol-available", "vol-deleted", "vol-detaching"));
    }

    // ---- the whole run ---------------------------------------------------------------------------------

    @Test
    void aSecondIdenticalRun_changesNothing_andWritesNothing() {
        String runningArn = taskArn("prod", "run");
        String stoppedArn = taskArn("prod", "stopped");
        String missingArn = taskArn("prod", "missing");
        store.given(runningEvent(stoppedArn, "prod"), runningEvent(missingArn, "prod"),
                attach("vol-gone", T1, "i-0001"));
        ecs.task("prod", running(runningArn, 2, "prod", "service:web"))
                .task("prod", stopped(stoppedArn, 4, "prod", T2))
                .containerInstance("prod", new EcsInventory.ContainerInstance(CI_1, 7, "i-0001"));
        ec2.volume("vol-root", "in-use", attachment("i-0001", "attached", T1));

        ReconcileSummary first = run(NOW);
        History afterFirst = history();
        store.forget();
        ReconcileSummary second = run(NOW.plus(Duration.ofMinutes(15)));

        assertThat(first).isEqualTo(new ReconcileSummary(NOW, 1, 1, 1, 2, 1, 1, 1, 1, List.of()));
        assertThat(history()).isEqualTo(afterFirst);
        assertThat(store.recorded).as("nothing new to record").isEmpty();
        assertThat(store.retained).as("current facts are still kept alive").hasSize(3);
        assertThat(second).isEqualTo(new ReconcileSummary(NOW.plus(Duration.ofMinutes(15)), 1, 1, 1, 0, 0, 1, 0, 0,
                List.of()));
    }

    @Test
    void cpuUnits_readsTheApisNotations() {
        assertThat(Reconciler.cpuUnits("256")).isEqualTo(256);
        assertThat(Reconciler.cpuUnits(" 1 vCPU")).isEqualTo(1024);
        assertThat(Reconciler.cpuUnits(".25 vcpu")).isEqualTo(256);
        assertThat(Reconciler.cpuUnits("")).isNull();
        assertThat(Reconciler.cpuUnits("lots")).isNull();
        assertThat(Reconciler.cpuUnits(null)).isNull();
    }

    @Test
    void scopeOf_isTheArnUpToTheAccount() {
        assertThat(Reconciler.scopeOf("arn:aws:ecs:us-east-1:123456789012:task/prod/abc"))
                .isEqualTo("arn:aws:ecs:us-east-1:123456789012:");
        assertThat(Reconciler.scopeOf("arn:aws:ecs:us-east-1:123456789012:cluster/prod"))
                .isEqualTo("arn:aws:ecs:us-east-1:123456789012:");
        assertThat(Reconciler.scopeOf("not-an-arn")).isEmpty();
    }
}
