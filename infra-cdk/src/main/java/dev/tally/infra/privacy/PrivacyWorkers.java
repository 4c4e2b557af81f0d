package dev.tally.infra.privacy;

import dev.tally.functions.privacy.worker.StartRequestsHandler;
import dev.tally.functions.privacy.worker.WorkHandler;
import dev.tally.functions.privacy.worker.WorkerConfig;
import dev.tally.infra.Deployment;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.messaging.Queues;
import dev.tally.infra.warehouse.DataApiAccess;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.HashMap;
import java.util.Map;

/**
 * The privacy workers (docs/privacy-worker.md): the start function fed by the processing queue (a confirmed request
 * becomes one work item per target) and the work function fed by the work queue (one item per invocation, so that a
 * slow archive pass or a failing destination holds up no other target), with their dead-letter queues. The work
 * function parks receipts that failed for good in its own dead-letter queue, which the alarms watch; it may touch
 * exactly what the config document's targets name ({@link TargetAccess}).
 *
 * <p>No SnapStart: both drain queues (a cold start delays no caller), and a snapshot would carry what they read at
 * init — the key secret the sealed subject ids are opened with.
 */
final class PrivacyWorkers extends Construct {
    static final Duration START_TIMEOUT = Duration.seconds(60);
    static final int START_MEMORY_MB = 1024;
    /** One archive pass (or slice) must fit: docs/privacy-archive.md measured a 1 GB archive in under 5 minutes. */
    static final Duration WORK_TIMEOUT = Duration.minutes(15);
    static final int WORK_MEMORY_MB = 2048;
    /** Longer than the work function's timeout, so that a receipt is never taken from a worker still at it. */
    static final int WORK_LEASE_MINUTES = 20;
    /** At most this many work items at once, so that downstream APIs and the warehouse see bounded load. */
    static final int WORK_CONCURRENCY = 10;

    private final Queue processing;
    private final Queue processingDeadLetters;
    private final Queue work;
    private final Queue workDeadLetters;
    private final TallyFunction start;
    private final TallyFunction worker;
    private final Map<String, String> environment;

    /** @param shared the variables every privacy function reads alike ({@code PrivacyEnvironment}) */
    PrivacyWorkers(Construct scope, String id, Deployment deployment, PrivacyRecords records,
                   Map<String, String> shared) {
        super(scope, id);
        Queues.WithDeadLetters processingQueues = Queues.withDeadLetters(this, "ProcessingQueue",
                Duration.seconds(6 * START_TIMEOUT.toSeconds().intValue()));
        processing = processingQueues.queue();
        processingDeadLetters = processingQueues.deadLetters();
        Queues.WithDeadLetters workQueues = Queues.withDeadLetters(this, "WorkQueue",
                Duration.seconds(6 * WORK_TIMEOUT.toSeconds().intValue()));
        work = workQueues.queue();
        workDeadLetters = workQueues.deadLetters();

        Map<String, String> env = new HashMap<>(shared);
        env.put(WorkerConfig.WORK_QUEUE_URL, work.getQueueUrl());
        env.put(WorkerConfig.DEAD_LETTER_QUEUE_URL, workDeadLetters.getQueueUrl());
        env.put(WorkerConfig.LEASE_MINUTES, String.valueOf(WORK_LEASE_MINUTES));
        env.putAll(DataApiAccess.environment(deployment.config().billing().warehouse()));

        start = new TallyFunction(this, "Start", new TallyFunction.Spec(
                "Tally privacy: starts confirmed requests, one work item per target",
                deployment.jars().code(FunctionJars.PRIVACY_WORKER), StartRequestsHandler.class, START_MEMORY_MB,
                START_TIMEOUT, env, deployment.logRetention()));
        start.function().addEventSource(SqsEventSource.Builder.create(processing)
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());
        worker = new TallyFunction(this, "Work", new TallyFunction.Spec(
                "Tally privacy: carries out one request in one target and records its receipt",
                deployment.jars().code(FunctionJars.PRIVACY_WORKER), WorkHandler.class, WORK_MEMORY_MB, WORK_TIMEOUT,
                env, deployment.logRetention()));
        worker.function().addEventSource(SqsEventSource.Builder.create(work)
                .batchSize(1)
                .maxConcurrency(WORK_CONCURRENCY)
                .reportBatchItemFailures(true)
                .build());

        for (TallyFunction function : new TallyFunction[] {start, worker}) {
            records.grantReadWrite(function);
            work.grantSendMessages(function.function());
            workDeadLetters.grantSendMessages(function.function());
        }
        deployment.config().privacy().document().ifPresent(document ->
                TargetAccess.grant(this, document, deployment.config().billing().warehouse(), worker,
                        !deployment.config().privacy().distributedArchivePass()));
        this.environment = Map.copyOf(env);
    }

    /** The workers' environment, which a distributed pass's slice function shares. */
    Map<String, String> environment() {
        return environment;
    }

    Queue processing() {
        return processing;
    }

    Queue processingDeadLetters() {
        return processingDeadLetters;
    }

    Queue work() {
        return work;
    }

    Queue workDeadLetters() {
        return workDeadLetters;
    }

    TallyFunction start() {
        return start;
    }

    TallyFunction worker() {
        return worker;
    }
}
