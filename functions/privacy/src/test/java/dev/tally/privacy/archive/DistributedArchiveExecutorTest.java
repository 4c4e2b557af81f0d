package dev.tally.privacy.archive;

import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DistributedArchiveExecutorTest {
    private static final Target ARCHIVE = PrivacyConfig.parse("""
            {"targets": [{"name": "archive", "kind": "S3_ARCHIVE", "bucket": "events", "prefixes": ["raw/", "replays/"],
                          "match": {"USER_ID": ["userId"]}}]}""").targets().get(0);
    private static final Duration POLL = Duration.ofSeconds(60);

    /** Runs started, and the statuses each run id answers, in turn. */
    static final class ScriptedPass implements DistributedArchivePass {
        final List<Run> started = new ArrayList<>();
        final Map<String, Deque<Status>> statuses = new HashMap<>();

        @Override
        public String start(Run run) {
            started.add(run);
            return "run-" + started.size();
        }

        @Override
        public Status status(String runId) {
            Deque<Status> next = statuses.get(runId);
            return next == null || next.isEmpty() ? new Status.Running() : next.size() == 1 ? next.peek() : next.poll();
        }

        void answer(String runId, Status... answers) {
            statuses.put(runId, new ArrayDeque<>(List.of(answers)));
        }
    }

    private final ScriptedPass pass = new ScriptedPass();
    private final DistributedArchiveExecutor executor = new DistributedArchiveExecutor(pass, POLL);

    private static TargetWork work(RequestType type, Map<String, List<String>> subjects) {
        return new TargetWork(ARCHIVE, type, SubjectType.USER_ID, subjects, 1);
    }

    private static Map<String, Object> evidence(long removed, long scanned) {
        return ArchiveEvidence.fromMap(Map.of("records_removed", removed, "objects_scanned", scanned)).toMap();
    }

    @Test
    void shouldStartOneRunPerPrefix_namingTheRequestsNotTheirSubjects() {
        Map<String, List<String>> subjects = new LinkedHashMap<>();
        subjects.put("req-b", List.of("u-2"));
        subjects.put("req-a", List.of("u-1", "u-3"));

        TargetOutcome outcome = executor.execute(work(RequestType.DELETE, subjects));

        assertThat(pass.started).extracting(DistributedArchivePass.Run::prefix).containsExactly("raw/", "replays/");
        assertThat(pass.started).allSatisfy(run -> {
            assertThat(run.requestIds()).containsExactly("req-a", "req-b");
            assertThat(run.target()).isEqualTo("archive");
            assertThat(run.requestType()).isEqualTo("DELETE");
            assertThat(run.subjectType()).isEqualTo("USER_ID");
            assertThat(run.toString()).doesNotContain("u-1", "u-2", "u-3");
        });
        assertThat(outcome).isEqualTo(new TargetOutcome.Pending(Map.of(),
                Map.of("run.0", "run-1", "run.1", "run-2", "restarts", "0"), POLL));
    }

    @Test
    void shouldStayPending_whileARunIsGoing_thenAddUpTheRunsEvidence() {
        TargetWork work = work(RequestType.DELETE, Map.of("req-a", List.of("u-1"), "req-b", List.of("u-2")));
        Map<String, String> state = ((TargetOutcome.Pending) executor.execute(work)).state();
        pass.answer("run-1", new DistributedArchivePass.Status.Succeeded(Map.of("req-a", evidence(3, 10))));
        pass.answer("run-2", new DistributedArchivePass.Status.Running(),
                new DistributedArchivePass.Status.Succeeded(Map.of("req-a", evidence(1, 5))));

        assertThat(executor.poll(work, state)).isEqualTo(new TargetOutcome.Pending(Map.of(), state, POLL));
        TargetOutcome done = executor.poll(work, state);

        assertThat(done).isEqualTo(new TargetOutcome.Done(Map.of("req-a", evidence(4, 15), "req-b", evidence(0, 0))));
        assertThat(pass.started).hasSize(2);
    }

    @Test
    void shouldStartThePassAgain_whenARunFailed_andFailTheWorkAfterTheLastRestart() {
        TargetWork work = work(RequestType.DELETE, Map.of("req-a", List.of("u-1")));
        Map<String, String> state = ((TargetOutcome.Pending) executor.execute(work)).state();
        for (int restart = 1; restart <= DistributedArchiveExecutor.MAX_RESTARTS; restart++) {
            pass.answer(state.get("run.0"), new DistributedArchivePass.Status.Failed("States.Timeout"));
            TargetOutcome again = executor.poll(work, state);
            assertThat(again).isInstanceOf(TargetOutcome.Pending.class);
            state = ((TargetOutcome.Pending) again).state();
            assertThat(state).containsEntry("restarts", String.valueOf(restart));
        }
        assertThat(pass.started).hasSize(2 * (1 + DistributedArchiveExecutor.MAX_RESTARTS));
        pass.answer(state.get("run.0"), new DistributedArchivePass.Status.Failed("States.Timeout"));

        TargetOutcome failed = executor.poll(work, state);

        assertThat(failed).isEqualTo(new TargetOutcome.Failed("the distributed archive pass failed 4 times, last: "
                + "States.Timeout"));
    }

    @Test
    void shouldRefuseWhatTheArchiveDoesNotCarryOut_withoutStartingARun() {
        TargetOutcome suppress = executor.execute(work(RequestType.SUPPRESS, Map.of("req-a", List.of("u-1"))));
        TargetOutcome email = executor.execute(new TargetWork(ARCHIVE, RequestType.DELETE, SubjectType.EMAIL,
                Map.of("req-a", List.of("a@example.com")), 1));

        assertThat(suppress).isInstanceOf(TargetOutcome.NotSupported.class);
        assertThat(email).isEqualTo(new TargetOutcome.NotSupported("target archive has no match paths for EMAIL"));
        assertThat(pass.started).isEmpty();
    }
}
