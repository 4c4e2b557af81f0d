package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.Fixtures;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.tally.Fixtures.millis;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CI = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/ci-1";
    private static final String TASK = "arn:aws:ecs:us-east-1:111122223333:task/prod/t1";

    private static History build(List<String> events) {
        HistoryBuilder builder = new HistoryBuilder();
        for (String event : events) {
            EventOutcome outcome = EventParser.parse(parse(event));
            if (outcome instanceof EventOutcome.Used used) {
                builder.add(used.event());
            }
        }
        return builder.build();
    }

    private static HistoryEvent event(String line) {
        return ((EventOutcome.Used) EventParser.parse(parse(line))).event();
    }

    /** The same events through the fast scanner, which writes into the builder straight from the bytes. */
    private static History scanned(List<String> lines) {
        HistoryBuilder builder = new HistoryBuilder();
        dev.tally.billing.ByteInterner strings = new dev.tally.billing.ByteInterner();
        for (String line : lines) {
            byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(TaskEventScanner.scan(bytes, 0, bytes.length, strings, builder)).as(line).isTrue();
        }
        return builder.build();
    }

    private static JsonNode parse(String event) {
        try {
            return JSON.readTree(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lifecycle() {
        return List.of(
                Fixtures.containerInstance(CI, "i-1", 1),
                Fixtures.task(TASK, "prod", "service:web", CI, "256", null, null, "PENDING", 1),
                Fixtures.task(TASK, "prod", "service:web", CI, "256", "02-01T00:00", null, "RUNNING", 2),
                Fixtures.task(TASK, "prod", "service:web", CI, "256", "02-01T00:00", "02-01T05:00", "STOPPED", 3),
                Fixtures.task(TASK + "b", "prod", "service:api", CI, null, "02-01T01:00", null, "RUNNING", 2),
                Fixtures.volumeCall("AttachVolume", "vol-1", "i-1", "02-01T00:10", millis("02-01T00:10"), null),
                Fixtures.volumeCall("DetachVolume", "vol-1", "i-1", "02-01T02:00", null, null),
                Fixtures.volumeCall("AttachVolume", "vol-1", "i-2", "02-01T03:00", millis("02-01T03:00"), null),
                Fixtures.terminated("i-2", "02-02T00:00"),
                Fixtures.terminated("i-2", "02-02T00:05"));
    }

    @Test
    void shouldMergeTaskLifecycle() {
        History history = build(lifecycle());

        EcsTask task = history.tasks().get(TASK);
        assertThat(task).isEqualTo(new EcsTask(TASK, "prod", "web", "ci-1", 256, millis("02-01T00:00"),
                millis("02-01T05:00")));
        assertThat(history.ec2InstanceOf(task)).isEqualTo("i-1");
        assertThat(history.volumeCalls().get("vol-1")).hasSize(3);
        assertThat(history.terminations()).containsEntry("i-2", millis("02-02T00:00"));
    }

    @RepeatedTest(20)
    void shouldBuildTheSameHistory_whateverTheOrderAndDuplicates() {
        Random random = new Random();
        List<String> shuffled = new ArrayList<>(lifecycle());
        shuffled.addAll(lifecycle().subList(0, 1 + random.nextInt(lifecycle().size() - 1)));
        Collections.shuffle(shuffled, random);

        assertThat(build(shuffled)).isEqualTo(build(lifecycle()));
    }

    @Test
    void shouldKeepStopTime_whenStoppedArrivesBeforeRunning() {
        History history = build(List.of(
                Fixtures.task(TASK, "prod", "service:web", CI, "256", "02-01T00:00", "02-01T05:00", "STOPPED", 3),
                Fixtures.task(TASK, "prod", "service:web", CI, "256", "02-01T00:00", null, "RUNNING", 2)));

        assertThat(history.tasks().get(TASK).stoppedAt()).isEqualTo(millis("02-01T05:00"));
    }

    @Test
    void shouldLetHigherVersionWin_whenEventsDisagree() {
        History history = build(List.of(
                Fixtures.task(TASK, "prod", "service:web", CI, "256", "02-01T00:00", null, "RUNNING", 5),
                Fixtures.task(TASK, "prod", "service:old", CI, "512", "02-01T00:09", null, "RUNNING", 4)));

        EcsTask task = history.tasks().get(TASK);
        assertThat(task.service()).isEqualTo("web");
        assertThat(task.cpuUnits()).isEqualTo(256);
        assertThat(task.startedAt()).isEqualTo(millis("02-01T00:00"));
    }

    @Test
    void shouldLetTheLargerValueWin_whenEventsOfOneVersionDisagree_inAnyOrderAndAcrossMergedBuilders() {
        List<String> lines = List.of(
                Fixtures.task(TASK, "prod", "service:api", CI, "256", "02-01T00:00", "02-01T03:00", "STOPPED", 7),
                Fixtures.task(TASK, "prod", "service:web", "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/ci-2",
                        "1024", "02-01T00:05", "02-01T02:00", "STOPPED", 7),
                Fixtures.task(TASK, "prod", "service:old", CI, "4096", "02-01T09:00", "02-01T09:30", "STOPPED", 6));
        List<HistoryEvent> events = lines.stream().map(HistoryBuilderTest::event).toList();

        for (List<HistoryEvent> order : List.of(events, List.of(events.get(2), events.get(1), events.get(0)),
                List.of(events.get(1), events.get(2), events.get(0)))) {
            List<String> orderedLines = order.stream().map(e -> lineOf(lines, events, e)).toList();
            EcsTask task = build(orderedLines).tasks().get(TASK);
            assertThat(scanned(orderedLines).tasks().get(TASK)).isEqualTo(task);
            assertThat(task.service()).isEqualTo("web");
            assertThat(task.containerInstanceId()).isEqualTo("ci-2");
            assertThat(task.cpuUnits()).isEqualTo(1024);
            assertThat(task.startedAt()).isEqualTo(millis("02-01T00:05"));
            assertThat(task.stoppedAt()).isEqualTo(millis("02-01T03:00"));
            for (int split = 0; split <= order.size(); split++) {
                HistoryBuilder first = new HistoryBuilder();
                HistoryBuilder second = new HistoryBuilder();
                order.subList(0, split).forEach(first::add);
                order.subList(split, order.size()).forEach(second::add);
                assertThat(first.merge(second).build().tasks().get(TASK)).as("split at %d", split).isEqualTo(task);
                assertThat(second.merge(first).build().tasks().get(TASK)).as("split at %d", split).isEqualTo(task);
            }
        }
    }

    @Test
    void shouldBuildTheSameHistory_fromAbsorbedParts_asFromOneBuilder() {
        java.util.Random random = new java.util.Random(5);
        List<HistoryEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String arn = "arn:aws:ecs:us-east-1:111122223333:task/prod/t" + random.nextInt(700);
            String ci = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/ci-" + random.nextInt(9);
            String start = String.format("02-0%dT%02d:%02d", 1 + random.nextInt(3), random.nextInt(24), random.nextInt(60));
            events.add(event(Fixtures.task(arn, "prod", "service:s" + random.nextInt(4), random.nextInt(5) == 0 ? null : ci,
                    random.nextInt(4) == 0 ? null : String.valueOf(256 << random.nextInt(3)), start,
                    random.nextBoolean() ? null : "02-05T00:00", "RUNNING", random.nextInt(4))));
        }
        events.add(event(Fixtures.containerInstance(CI, "i-1", 1)));
        HistoryBuilder whole = new HistoryBuilder();
        events.forEach(whole::add);
        History expected = whole.build();

        for (int parts : new int[] {2, 3, 5}) {
            List<HistoryBuilder> builders = new java.util.ArrayList<>();
            for (int p = 0; p < parts; p++) {
                builders.add(new HistoryBuilder());
            }
            events.forEach(e -> builders.get(random.nextInt(parts)).add(e));
            HistoryBuilder absorbed = new HistoryBuilder();
            builders.forEach(absorbed::absorb);
            assertThat(absorbed.build()).as("%d parts", parts).isEqualTo(expected);
            assertThat(absorbed.build().tasks()).hasSize(expected.tasks().size());

            // anything added after absorbing sees the absorbed tasks
            HistoryEvent later = event(Fixtures.task("arn:aws:ecs:us-east-1:111122223333:task/prod/t1", "prod",
                    "service:late", CI, "4096", "02-01T00:00", null, "RUNNING", 99));
            absorbed.add(later);
            whole.add(later);
            assertThat(absorbed.build()).isEqualTo(whole.build());
            whole = new HistoryBuilder();
            events.forEach(whole::add);
        }
    }

    private static String lineOf(List<String> lines, List<HistoryEvent> events, HistoryEvent event) {
        return lines.get(events.indexOf(event));
    }

    @Test
    void shouldFallBackToContainerCpu_thenToTwo() {
        String withContainers = Fixtures.task(TASK, "prod", "service:web", CI, "0", "02-01T00:00", null, "RUNNING", 2)
                .replace("\"lastStatus\"", "\"containers\":[{\"name\":\"a\",\"cpu\":\"100\"},{\"name\":\"b\",\"cpu\":28},"
                        + "{\"name\":\"c\"}],\"lastStatus\"");
        String nothing = Fixtures.task(TASK + "2", "prod", "service:web", CI, null, "02-01T00:00", null, "RUNNING", 2);

        History history = build(List.of(withContainers, nothing));

        assertThat(history.tasks().get(TASK).cpuUnits()).isEqualTo(128);
        assertThat(history.tasks().get(TASK + "2").cpuUnits()).isEqualTo(EcsTask.MINIMUM_CPU_UNITS);
    }

    @Test
    void shouldKeepFamilyGroupsWhole_andTakeClusterFromArn() {
        History history = build(List.of(
                Fixtures.task(TASK, "batch", "family:nightly", null, "256", "02-01T00:00", null, "RUNNING", 1)));

        EcsTask task = history.tasks().get(TASK);
        assertThat(task.service()).isEqualTo("family:nightly");
        assertThat(task.cluster()).isEqualTo("batch");
        assertThat(task.containerInstanceId()).isNull();
    }

    @Test
    void shouldIgnoreDuplicateVolumeCalls() {
        String attach = Fixtures.volumeCall("AttachVolume", "vol-1", "i-1", "02-01T00:10", millis("02-01T00:10"), null);

        History history = build(List.of(attach, attach, attach));

        assertThat(history.volumeCalls().get("vol-1")).hasSize(1);
    }
}
