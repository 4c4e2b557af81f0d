package dev.tally.testkit;

import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.expo;
import static dev.tally.testkit.Draw.uniform;
import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.MINUTE;

/**
 * ECS tasks, hour by hour: the services' desired counts (daily and weekly swings), deployments, scale-out and in,
 * and the job families' runs; each task's own life is {@link TaskLifecycle}'s.
 */
final class TaskScheduler {
    private final Times times;
    private final long start;
    private final List<Model.Service> services;
    private final TaskLifecycle lives;
    private final SplittableRandom taskRng;

    TaskScheduler(Month month, TaskLifecycle lives, SplittableRandom taskRng) {
        this.times = month.times;
        this.start = month.start;
        this.services = month.services;
        this.lives = lives;
        this.taskRng = taskRng;
    }

    private double desired(Model.Service s, int h) {
        int hourOfDay = h % 24;
        int dow = (times.period.atDay(1).getDayOfWeek().getValue() - 1 + h / 24) % 7;
        double f = 1 + s.amp * Math.sin(2 * Math.PI * (hourOfDay - 8) / 24.0);
        if (dow >= 5) {
            f *= 1 - s.amp / 2;
        }
        return Math.max(1, Math.round(s.base * f));
    }

    void startInitialTasks() {
        for (Model.Service s : services) {
            if (s.job) {
                continue;
            }
            int n = (int) desired(s, 0);
            for (int k = 0; k < n; k++) {
                long age = Math.min((long) (expo(taskRng, s.meanLifeHours) * HOUR), 20 * DAY);
                // a younger task when no host was registered yet that long ago
                for (int tries = 0; tries < 5 && !lives.startTask(s, start - Math.max(age, 5 * MINUTE), -1, start); tries++) {
                    age /= 4;
                }
            }
        }
    }

    void tasksForHour(int h, long hs, long he) {
        lives.stopsDue(h);
        for (Model.Service s : services) {
            if (s.job) {
                if (h % s.periodHours == s.offsetHour) {
                    long at = hs + s.offsetMinute * MINUTE;
                    for (int k = 0; k < s.perRun; k++) {
                        lives.startTask(s, at + taskRng.nextInt(20_000), h, he);
                    }
                }
                continue;
            }
            if (taskRng.nextDouble() < 1.0 / s.deployEveryHours) {
                s.revision++;
                for (Model.Task t : s.running) {
                    if (!t.stopScheduled && t.started >= 0 && t.started < hs) {
                        t.stopCode = "ServiceSchedulerInitiated";
                        t.stoppedReason = "Scaling activity initiated by (deployment " + s.startedBy + ")";
                        t.exitCode = 143;
                        lives.scheduleStop(t, uniform(taskRng, hs, he - MINUTE));
                    }
                }
            }
            s.running.removeIf(t -> t.stopScheduled);
            int diff = (int) desired(s, h) - s.running.size();
            for (int k = 0; k < diff; k++) {
                lives.startTask(s, uniform(taskRng, hs, he - 5 * MINUTE), h, he);
            }
            for (int k = 0; k < -diff; k++) {
                Model.Task t = s.running.get(taskRng.nextInt(s.running.size()));
                if (!t.stopScheduled && t.started >= 0 && t.started < hs) {
                    t.stopCode = "ServiceSchedulerInitiated";
                    t.stoppedReason = "Scaling activity initiated by (service " + s.name + ")";
                    t.exitCode = 143;
                    lives.scheduleStop(t, uniform(taskRng, hs, he - MINUTE));
                }
            }
            s.running.removeIf(t -> t.stopScheduled);
        }
    }
}
