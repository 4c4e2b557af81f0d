package dev.tally.history;

import dev.tally.testkit.BillFormat;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link HistoryStore} must do, run against each adapter (in memory here, DynamoDB in
 * the AWS module). Histories are compared through {@link History#relevantTo(YearMonth)}, the part
 * of a history every store must return.
 */
public abstract class HistoryStoreContract {
    protected static final YearMonth FEB = YearMonth.of(2017, 2);
    private static final String CLUSTER = "arn:aws:ecs:us-east-1:1:cluster/prod";
    private static final String CI = "arn:aws:ecs:us-east-1:1:container-instance/prod/ci-1";

    /** A new, empty store; each call must return a store that shares nothing with earlier ones. */
    protected abstract HistoryStore newStore();

    @TempDir
    Path dir;

    protected static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static HistoryEvent.TaskStateChange task(String id, long version, String group, Long started,
                                                     Long stopped) {
        return new HistoryEvent.TaskStateChange("arn:aws:ecs:us-east-1:1:task/prod/" + id, version, CLUSTER, group,
                CI, 256, 0, started, stopped);
    }

    private static History expected(List<HistoryEvent> events, YearMonth period) {
        HistoryBuilder builder = new HistoryBuilder();
        events.forEach(builder::add);
        return builder.build().relevantTo(period);
    }

    private History load(HistoryStore store, List<HistoryEvent> events, YearMonth period) {
        recordAll(store, events);
        return store.load(period).relevantTo(period);
    }

    /** Records events as a delivery would; adapters that take concurrent writers record them in parallel. */
    protected void recordAll(HistoryStore store, List<HistoryEvent> events) {
        events.forEach(store::record);
    }

    private static List<HistoryEvent> lifecycle() {
        return List.of(
                new HistoryEvent.ContainerInstanceChange(CI, 2, "i-1"),
                task("a", 1, "service:web", null, null),
                task("a", 2, "service:web", at("2017-02-01T00:00:00Z"), null),
                task("a", 3, "service:web", at("2017-02-01T00:00:00Z"), at("2017-02-03T00:00:00Z")),
                task("b", 2, "service:api", at("2017-01-10T00:00:00Z"), null),
                task("c", 3, "service:api", at("2017-01-10T00:00:00Z"), at("2017-01-20T00:00:00Z")),
                task("d", 2, "family:batch", null, at("2017-02-10T00:00:00Z")),
                new HistoryEvent.VolumeCall("vol-1", HistoryEvent.VolumeCall.Kind.ATTACH,
                        at("2016-06-01T00:00:00Z"), "i-1"),
                new HistoryEvent.VolumeCall("vol-1", HistoryEvent.VolumeCall.Kind.DETACH,
                        at("2017-02-05T00:00:00Z"), "i-1"),
                new HistoryEvent.VolumeCall("vol-2", HistoryEvent.VolumeCall.Kind.ATTACH,
                        at("2017-02-06T00:00:00.123Z"), "i-2"),
                new HistoryEvent.InstanceTerminated("i-2", at("2017-02-20T00:00:00Z")),
                new HistoryEvent.InstanceTerminated("i-2", at("2017-02-20T00:05:00Z")));
    }

    @Test
    void shouldReturnWhatWasRecorded() {
        History history = load(newStore(), lifecycle(), FEB);

        assertThat(history).isEqualTo(expected(lifecycle(), FEB));
        assertThat(history.tasks()).containsOnlyKeys(
                "arn:aws:ecs:us-east-1:1:task/prod/a", "arn:aws:ecs:us-east-1:1:task/prod/b",
                "arn:aws:ecs:us-east-1:1:task/prod/d");
        assertThat(history.tasks().get("arn:aws:ecs:us-east-1:1:task/prod/a").stoppedAt())
                .isEqualTo(at("2017-02-03T00:00:00Z"));
        assertThat(history.ec2ByContainerInstance()).containsEntry("ci-1", "i-1");
        assertThat(history.volumeCalls().get("vol-1")).hasSize(2);
        assertThat(history.terminations()).containsEntry("i-2", at("2017-02-20T00:00:00Z"));
    }

    @Test
    void shouldGiveTheSameHistory_forAnyOrderWithDuplicates() {
        for (long seed = 1; seed <= 5; seed++) {
            List<HistoryEvent> shuffled = new ArrayList<>(lifecycle());
            shuffled.addAll(lifecycle());
            Collections.shuffle(shuffled, new Random(seed));

            assertThat(load(newStore(), shuffled, FEB)).as("seed " + seed).isEqualTo(expected(lifecycle(), FEB));
        }
    }

    @Test
    void shouldIgnoreStaleEvents_andKeepStopThatArrivedBeforeRunning() {
        List<HistoryEvent> events = List.of(
                task("a", 3, "service:web", at("2017-02-01T00:00:00Z"), at("2017-02-03T00:00:00Z")),
                task("a", 2, "service:old", at("2017-02-01T00:09:00Z"), null),
                task("a", 1, "service:older", null, null));

        History history = load(newStore(), events, FEB);

        EcsTask a = history.tasks().get("arn:aws:ecs:us-east-1:1:task/prod/a");
        assertThat(a.service()).isEqualTo("web");
        assertThat(a.startedAt()).isEqualTo(at("2017-02-01T00:00:00Z"));
        assertThat(a.stoppedAt()).isEqualTo(at("2017-02-03T00:00:00Z"));
    }

    @Test
    void shouldPreferTheLargerValue_whenVersionsTie() {
        List<HistoryEvent> events = List.of(
                task("a", 2, "service:b-web", at("2017-02-01T00:00:00Z"), null),
                task("a", 2, "service:a-web", at("2017-02-01T00:00:01Z"), null));

        EcsTask a = load(newStore(), events, FEB).tasks().get("arn:aws:ecs:us-east-1:1:task/prod/a");

        assertThat(a.service()).isEqualTo("b-web");
        assertThat(a.startedAt()).isEqualTo(at("2017-02-01T00:00:01Z"));
    }

    @Test
    void shouldFindTasksStillRunningFromEarlierMonths_andForgetThoseThatStoppedBefore() {
        List<HistoryEvent> events = List.of(
                task("long", 2, "service:web", at("2016-03-01T00:00:00Z"), null),
                task("ended", 3, "service:web", at("2016-03-01T00:00:00Z"), at("2016-12-01T00:00:00Z")),
                task("spans", 3, "service:web", at("2016-12-01T00:00:00Z"), at("2017-04-01T00:00:00Z")));

        History history = load(newStore(), events, FEB);

        assertThat(history.tasks().keySet()).extracting(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                .containsExactlyInAnyOrder("long", "spans");
    }

    @Test
    void shouldHoldAGeneratedMonth_exactlyAsTheFilesSayIt() throws IOException {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR).seed(3).targetRows(3000)
                .events(EventOptions.messy()).build(), dir);
        List<HistoryEvent> events = new ArrayList<>();
        EventFiles.read(dir.resolve(m.eventsFile()), events::add);

        History history = load(newStore(), events, m.period());

        assertThat(history).isEqualTo(expected(events, m.period()));
        assertThat(history.tasks()).hasSizeGreaterThan(10);
    }
}
