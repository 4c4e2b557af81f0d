package dev.tally.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.expo;
import static dev.tally.testkit.Draw.uniform;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.MINUTE;
import static dev.tally.testkit.Times.SECOND;

/**
 * One ECS task's life: placement on the less loaded of two eligible hosts, failure to start, pull, run and stop
 * (its length, or its host's draining), each step queued as a task state-change event; the stops planned for a later
 * hour wait in that hour's bucket. Counts the tasks for the manifest and keeps the running Fargate tasks for their
 * bill rows.
 */
final class TaskLifecycle {
    /** Tasks that fail to start (PENDING then STOPPED, no startedAt). */
    private static final double FAILED_TASK_RATE = 0.01;

    private final Times times;
    private final long start;
    private final long end;
    private final EventQueue events;
    private final SplittableRandom taskRng;
    /** Per hour of the month, the tasks planned to stop in it (stops are scheduled when their hour comes). */
    private final List<Model.Task>[] stopBuckets;
    private final List<Model.Task> fargateActive = new ArrayList<>();
    /** {@code split-cost-allocation}, or null. */
    private final SplitCostAllocation split;
    /** Tasks with events (those of {@code unrecorded-task-share} are not counted). */
    long tasks;
    long fargateTasks;
    long failedTasks;
    long stoppedTasks;

    /** @param split {@code split-cost-allocation}, or null */
    TaskLifecycle(Month month, EventQueue events, SplittableRandom taskRng, SplitCostAllocation split) {
        this.split = split;
        this.times = month.times;
        this.start = month.start;
        this.end = month.end;
        this.events = events;
        this.taskRng = taskRng;
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Model.Task>[] buckets = new List[month.hours + 1];
        this.stopBuckets = buckets;
    }

    /** The Fargate tasks started so far and not yet dropped (the bill rows drop those stopped by the hour's end). */
    List<Model.Task> fargateActive() {
        return fargateActive;
    }

    /** Schedules the stops planned for hour {@code h} (of the tasks not stopped otherwise since). */
    void stopsDue(int h) {
        List<Model.Task> bucket = stopBuckets[h];
        stopBuckets[h] = null;
        if (bucket != null) {
            for (Model.Task t : bucket) {
                if (!t.stopScheduled && t.plannedStopHour == h) {
                    scheduleStop(t, t.plannedStopping);
                }
            }
        }
    }

    /** Picks a host: two random eligible candidates, the less loaded wins. */
    private Model.Instance pickHost(Model.Cluster c, long created, long started) {
        List<Model.Instance> hosts = c.hosts;
        if (hosts.isEmpty()) {
            return null;
        }
        Model.Instance best = null;
        int found = 0;
        for (int tries = 0; tries < 12 && found < 2; tries++) {
            Model.Instance h = hosts.get(taskRng.nextInt(hosts.size()));
            if (eligible(h, created, started)) {
                found++;
                if (best == null || h.activeTasks < best.activeTasks) {
                    best = h;
                }
            }
        }
        if (best == null) {
            for (Model.Instance h : hosts) {
                if (eligible(h, created, started)) {
                    return h;
                }
            }
        }
        return best;
    }

    private static boolean eligible(Model.Instance h, long created, long started) {
        return h.registered <= created && (h.draining == Model.NEVER || started + 10 * MINUTE < h.draining);
    }

    /**
     * Starts a task created at {@code created}; {@code h} is the current hour (-1 before the month) and
     * {@code he} the end of the hour whose stops have already been processed.
     */
    boolean startTask(Model.Service s, long created, int h, long he) {
        SplittableRandom r = taskRng;
        boolean failed = r.nextDouble() < FAILED_TASK_RATE;
        long pullStarted = created + uniform(r, 800, 5_000);
        long pullStopped = pullStarted + uniform(r, 1_500, 20_000);
        long started = pullStopped + uniform(r, 300, 3_000);
        if (started >= end - SECOND) {
            return true;
        }
        Model.Instance host = null;
        if (!s.fargate) {
            host = pickHost(s.cluster, created, started);
            if (host == null) {
                return false; // placement failure: no registered host in the cluster right now
            }
        }
        String id = Ids.hex(r, 32);
        String arn = "arn:aws:ecs:" + Catalog.REGION + ":" + s.cluster.account.id + ":task/" + s.cluster.name + "/" + id;
        String az = host != null ? host.az : Catalog.AZS[r.nextInt(3)];
        Model.Task t = new Model.Task(s, arn, host, az, s.revision, created, failed);
        t.containerArns = new String[s.containers.length];
        for (int i = 0; i < t.containerArns.length; i++) {
            t.containerArns[i] = "arn:aws:ecs:" + Catalog.REGION + ":" + s.cluster.account.id + ":container/"
                    + s.cluster.name + "/" + id + "/" + Ids.uuid(r);
        }
        if (s.fargate) {
            t.attachmentId = Ids.uuid(r);
            t.eni = "eni-0" + Ids.hex(r, 16);
            t.ip = "10.0." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            t.mac = Ids.hex(r, 2) + ":" + Ids.hex(r, 2) + ":" + Ids.hex(r, 2) + ":" + Ids.hex(r, 2) + ":"
                    + Ids.hex(r, 2) + ":" + Ids.hex(r, 2);
        }
        if (split != null && host != null && !failed) {
            split.placed(t); // before its first event: it may be one whose events are not written
        }
        if (!t.unrecorded) {
            tasks++;
        }
        if (s.fargate) {
            fargateTasks++;
        }
        int v = 1;
        if (s.fargate) {
            events.pushTask(created, t, EventJson.Stage.PROVISIONING, v++);
        }
        events.pushTask(created + uniform(r, 200, 900), t, EventJson.Stage.PENDING, v++);
        if (failed) {
            failedTasks++;
            t.stopCode = "TaskFailedToStart";
            t.stoppedReason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
                    + "resolve ref " + s.containers[0] + ":r" + t.revision + ": not found";
            t.stopped = pullStopped + uniform(r, 100, 3_000);
            t.stopScheduled = true;
            if (t.stopped < end - SECOND) {
                events.pushTask(t.stopped, t, EventJson.Stage.STOPPED, v);
                stoppedTasks++;
            }
            return true;
        }
        t.pullStarted = pullStarted;
        t.pullStopped = pullStopped;
        t.started = started;
        events.pushTask(started, t, EventJson.Stage.RUNNING, v);
        if (host != null) {
            host.activeTasks++;
        }
        long stopping;
        if (s.job) {
            stopping = started + uniform(r, s.minMinutes * MINUTE, s.maxMinutes * MINUTE);
            t.stopCode = "EssentialContainerExited";
            t.stoppedReason = "Essential container in task exited";
            t.exitCode = r.nextDouble() < 0.9 ? 0 : 1;
        } else {
            long life = (long) (expo(r, s.meanLifeHours) * HOUR);
            stopping = (created < start ? start : started) + Math.max(life, 2 * MINUTE);
            t.stopCode = "EssentialContainerExited";
            t.stoppedReason = "Essential container in task exited";
            t.exitCode = r.nextDouble() < 0.5 ? 137 : 1;
        }
        if (host != null && host.draining != Model.NEVER && stopping > host.draining) {
            stopping = host.draining + uniform(r, 5 * SECOND, 60 * SECOND);
            t.stopCode = "ServiceSchedulerInitiated";
            t.stoppedReason = "Task stopped because the container instance is being drained";
            t.exitCode = 143;
        }
        stopping = Math.max(stopping, started + SECOND);
        if (stopping < he) {
            scheduleStop(t, stopping);
        } else if (stopping < end) {
            int sh = times.hourOf(stopping);
            t.plannedStopHour = sh;
            t.plannedStopping = stopping;
            if (stopBuckets[sh] == null) {
                stopBuckets[sh] = new ArrayList<>();
            }
            stopBuckets[sh].add(t);
        }
        if (!s.job) {
            s.running.add(t);
        }
        if (s.fargate) {
            fargateActive.add(t);
        }
        return true;
    }

    void scheduleStop(Model.Task t, long stoppingAt) {
        SplittableRandom r = taskRng;
        long stopping = Math.max(stoppingAt, t.started + SECOND);
        long stopped = stopping + uniform(r, SECOND, 30 * SECOND) + (t.service.fargate ? uniform(r, 5 * SECOND, 40 * SECOND) : 0);
        if (stopped >= end - 2 * SECOND) {
            return; // still running when the month ends: no STOPPED event in this period
        }
        t.stopScheduled = true;
        t.stopping = stopping;
        t.stopped = stopped;
        if (!t.unrecorded) {
            stoppedTasks++;
        }
        if (t.host != null) {
            t.host.activeTasks--;
        }
        boolean fg = t.service.fargate;
        events.pushTask(stopping, t, EventJson.Stage.STOPPING, fg ? 4 : 3);
        if (fg) {
            events.pushTask(stopping + (stopped - stopping) / 2, t, EventJson.Stage.DEPROVISIONING, 5);
        }
        events.pushTask(stopped, t, EventJson.Stage.STOPPED, fg ? 6 : 4);
    }}

