package dev.tally.privacy.archive;

import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code S3_ARCHIVE} executor for archives beyond one function's reach (docs/privacy-archive.md, "Distributed
 * passes"): {@link #execute} starts one {@link DistributedArchivePass} run per prefix of the target for all the
 * work's requests and answers {@link TargetOutcome.Pending} with the runs' ids as its state; {@link #poll} answers
 * Pending while a run is going, {@link TargetOutcome.Done} with the runs' evidence added up once all succeeded. A
 * failed run starts the pass again (it is idempotent: what a slice removed stays removed) up to
 * {@value #MAX_RESTARTS} times, then the work fails with the engine's error.
 */
public final class DistributedArchiveExecutor implements TargetExecutor {
    public static final int MAX_RESTARTS = 3;
    static final String RUN = "run.";
    static final String RESTARTS = "restarts";

    private final DistributedArchivePass pass;
    private final Duration pollEvery;

    public DistributedArchiveExecutor(DistributedArchivePass pass, Duration pollEvery) {
        this.pass = pass;
        this.pollEvery = pollEvery;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.S3_ARCHIVE;
    }

    @Override
    public TargetOutcome execute(TargetWork work) {
        return start(work, 0);
    }

    @Override
    public TargetOutcome poll(TargetWork work, Map<String, String> state) {
        List<String> runs = state.entrySet().stream().filter(e -> e.getKey().startsWith(RUN))
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("the poll state names no archive pass run");
        }
        int restarts = Integer.parseInt(state.getOrDefault(RESTARTS, "0"));
        Map<String, Map<String, Object>> evidence = Map.of();
        for (String run : runs) {
            DistributedArchivePass.Status status = pass.status(run);
            if (status instanceof DistributedArchivePass.Status.Running) {
                return new TargetOutcome.Pending(Map.of(), state, pollEvery);
            }
            if (status instanceof DistributedArchivePass.Status.Failed failed) {
                if (restarts >= MAX_RESTARTS) {
                    return new TargetOutcome.Failed("the distributed archive pass failed " + (restarts + 1)
                            + " times, last: " + failed.error());
                }
                return start(work, restarts + 1);
            }
            evidence = ArchiveEvidence.add(evidence,
                    ((DistributedArchivePass.Status.Succeeded) status).evidenceByRequest());
        }
        // Every request of the work has evidence, zero where its subjects were in no slice.
        for (String request : work.subjectsByRequest().keySet()) {
            evidence = ArchiveEvidence.add(evidence, Map.of(request, ArchiveEvidence.ZERO.toMap()));
        }
        return new TargetOutcome.Done(evidence);
    }

    private TargetOutcome start(TargetWork work, int restarts) {
        Optional<TargetOutcome> refused = ArchiveTarget.refusal(work);
        if (refused.isPresent()) {
            return refused.get();
        }
        ArchiveTarget target = ArchiveTarget.from(work.target());
        List<String> requests = work.subjectsByRequest().keySet().stream().sorted().toList();
        Map<String, String> state = new TreeMap<>();
        for (int i = 0; i < target.prefixes().size(); i++) {
            String id = pass.start(new DistributedArchivePass.Run(target.name(), work.type().name(),
                    work.subjectType().name(), requests, target.bucket(), target.prefixes().get(i)));
            state.put(RUN + i, id);
        }
        state.put(RESTARTS, String.valueOf(restarts));
        return new TargetOutcome.Pending(Map.of(), state, pollEvery);
    }
}
