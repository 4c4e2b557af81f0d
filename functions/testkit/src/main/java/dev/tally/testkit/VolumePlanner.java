package dev.tally.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.pick;
import static dev.tally.testkit.Draw.uniform;
import static dev.tally.testkit.EventQueue.EVENT_ATTACH;
import static dev.tally.testkit.EventQueue.EVENT_DETACH;
import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.MINUTE;
import static dev.tally.testkit.Times.SECOND;

/**
 * EBS volumes and their attachments: root volumes that live and die with their instance, and data volumes that
 * stay attached, move between instances, are attached late, detached, or never attached, with the CloudTrail
 * AttachVolume/DetachVolume events (and failed calls) that record it.
 */
final class VolumePlanner {
    private final long start;
    private final long end;
    private final List<Model.Account> accounts;
    private final List<Model.Instance> instances;
    private final Map<String, List<Model.Instance>> instancesByPlace;
    private final List<Model.Volume> volumes;
    private final Month month;
    private final EventQueue events;

    VolumePlanner(Month month, EventQueue events) {
        this.month = month;
        this.start = month.start;
        this.end = month.end;
        this.accounts = month.accounts;
        this.instances = month.instances;
        this.instancesByPlace = month.instancesByPlace;
        this.volumes = month.volumes;
        this.events = events;
    }

    private Model.Instance aliveIn(SplittableRandom r, List<Model.Instance> group, long t, Model.Instance not) {
        if (group == null || group.isEmpty()) {
            return null;
        }
        for (int tries = 0; tries < 6; tries++) {
            Model.Instance i = pick(r, group);
            if (i != not && i.aliveAt(t, 3 * MINUTE, 15 * MINUTE)) {
                return i;
            }
        }
        for (Model.Instance i : group) {
            if (i != not && i.aliveAt(t, 3 * MINUTE, 15 * MINUTE)) {
                return i;
            }
        }
        return null;
    }

    private List<Model.Instance> place(Model.Instance i) {
        return instancesByPlace.get(i.account.id + "/" + i.az);
    }

    /** An instance in the same account but another availability zone (for ZoneMismatch failures). */
    private Model.Instance otherZone(SplittableRandom r, Model.Volume v, long t) {
        for (String az : Catalog.AZS) {
            if (!az.equals(v.az)) {
                Model.Instance i = aliveIn(r, instancesByPlace.get(v.account.id + "/" + az), t, null);
                if (i != null) {
                    return i;
                }
            }
        }
        return null;
    }

    private String device(SplittableRandom r) {
        return r.nextBoolean() ? "/dev/sd" + (char) ('f' + r.nextInt(10)) : "/dev/xvd" + (char) ('b' + r.nextInt(20))
                + (char) ('a' + r.nextInt(26));
    }

    private Model.Volume newVolume(SplittableRandom r, Model.Account a, String az, boolean root) {
        Catalog.VolumeType type = root ? Catalog.VOLUME_TYPES.get(r.nextInt(2)) : pick(r, Catalog.VOLUME_TYPES);
        int size = root ? 8 + r.nextInt(93) : 20 + r.nextInt(1981);
        Model.Volume v = new Model.Volume(Ids.volumeId(r), type, size, a, az);
        volumes.add(v);
        return v;
    }

    /** Attaches (event) and returns the attach instant the history will use. */
    private long attach(SplittableRandom r, Model.Volume v, Model.Instance i, String dev, long t) {
        long eventTime = t / SECOND * SECOND;
        boolean withAttachTime = r.nextDouble() >= 0.02;
        long attachTime = eventTime + r.nextInt(1000);
        if (r.nextDouble() < 0.08) {
            Model.Instance wrong = otherZone(r, v, t);
            if (wrong != null) {
                events.push(eventTime - uniform(r, 10 * SECOND, 120 * SECOND), EVENT_ATTACH, v, wrong, -1, 0,
                        "Client.InvalidVolume.ZoneMismatch", dev);
            }
        }
        events.push(eventTime, EVENT_ATTACH, v, i, withAttachTime ? attachTime : -1, 0, null, dev);
        return withAttachTime ? attachTime : eventTime;
    }

    private void detach(Model.Volume v, Model.Instance i, String dev, long t, long attachedAt) {
        events.push(t / SECOND * SECOND, EVENT_DETACH, v, i, attachedAt, 0, null, dev);
    }

    void plan(SplittableRandom r, int n) {
        List<Model.Instance> atStart = new ArrayList<>();
        for (Model.Instance i : instances) {
            if (i.launch < start - HOUR) {
                atStart.add(i);
            }
        }
        int nRoot = Math.min(atStart.size(), (int) Math.round(n * 0.3));
        List<Model.Instance> shuffled = new ArrayList<>(atStart);
        for (int k = shuffled.size() - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            Model.Instance tmp = shuffled.get(k);
            shuffled.set(k, shuffled.get(j));
            shuffled.set(j, tmp);
        }
        // root volumes: created with the instance, deleted with it, no AttachVolume call (RunInstances attaches them)
        for (int k = 0; k < nRoot; k++) {
            rootVolume(r, shuffled.get(k));
        }
        for (Model.Instance i : instances) {
            if (i.inPeriodLaunch && r.nextDouble() < 0.3) {
                rootVolume(r, i);
            }
        }
        List<Model.Instance> shared = new ArrayList<>();
        for (Model.Instance i : atStart) {
            if (place(i).size() >= 2) {
                shared.add(i);
            }
        }
        // the first data volumes go through every pattern (stays, moves, never, late, detached)
        double[] firstPatterns = {0.4, 0.7, 0.05, 0.2, 0.9};
        for (int k = nRoot; k < n; k++) {
            double u = k - nRoot < firstPatterns.length ? firstPatterns[k - nRoot] : r.nextDouble();
            String dev = device(r);
            if (u < 0.15 || atStart.isEmpty()) {
                // never attached; sometimes a failed attempt to attach it
                Model.Account a = accounts.get(1 + r.nextInt(2));
                Model.Volume v = newVolume(r, a, Catalog.AZS[r.nextInt(3)], false);
                finishVolume(r, v, start - uniform(r, HOUR, 90 * DAY));
                if (r.nextBoolean()) {
                    long t = uniform(r, start + HOUR, end - 2 * HOUR);
                    Model.Instance wrong = otherZone(r, v, t);
                    if (wrong != null) {
                        events.push(t / SECOND * SECOND, EVENT_ATTACH, v, wrong, -1, 0, "Client.InvalidVolume.ZoneMismatch", dev);
                    }
                }
                continue;
            }
            if (u < 0.25) {
                // created before the month, attached during it
                long t = uniform(r, start + DAY, end - DAY);
                Model.Instance x = null;
                for (int tries = 0; tries < 10 && x == null; tries++) {
                    Model.Instance cand = pick(r, instances);
                    if (cand.aliveAt(t, 3 * MINUTE, 15 * MINUTE)) {
                        x = cand;
                    }
                }
                if (x == null) {
                    x = pick(r, atStart);
                    t = start + HOUR;
                }
                Model.Volume v = newVolume(r, x.account, x.az, false);
                finishVolume(r, v, start - uniform(r, HOUR, 30 * DAY));
                attach(r, v, x, dev, t);
                continue;
            }
            Model.Instance x = u >= 0.60 && u < 0.85 && !shared.isEmpty() ? pick(r, shared) : pick(r, atStart);
            Model.Volume v = newVolume(r, x.account, x.az, false);
            long a0 = Math.max(x.launch + 2 * MINUTE, start - uniform(r, HOUR, 30 * DAY));
            finishVolume(r, v, a0 - uniform(r, MINUTE, 2 * DAY));
            long attachedAt = attach(r, v, x, dev, a0);
            Model.Instance cur = x;
            if (u < 0.60) {
                // stays attached; if its instance goes, automation attaches it to another one
                if (x.terminate != Model.NEVER && r.nextBoolean()) {
                    long t = x.terminate + uniform(r, 2 * MINUTE, 10 * MINUTE);
                    Model.Instance y = aliveIn(r, place(x), t, x);
                    if (y != null && t < end - HOUR) {
                        attach(r, v, y, device(r), t);
                    }
                } else if (r.nextDouble() < 0.05) {
                    long t = uniform(r, start + HOUR, Math.min(end, x.terminate) - HOUR);
                    events.push(t / SECOND * SECOND, EVENT_DETACH, v, x, attachedAt, 0, "Client.UnauthorizedOperation", dev);
                }
            } else if (u < 0.85) {
                // moves between instances: DetachVolume, then AttachVolume seconds later (like Kubernetes)
                int moves = 1 + r.nextInt(2);
                long[] at = new long[moves];
                for (int m = 0; m < moves; m++) {
                    at[m] = uniform(r, start + 2 * HOUR, end - 2 * HOUR);
                }
                Arrays.sort(at);
                for (long t : at) {
                    if (!cur.aliveAt(t, 0, 15 * MINUTE)) {
                        break;
                    }
                    long t2 = t + uniform(r, 5 * SECOND, 60 * SECOND);
                    Model.Instance y = aliveIn(r, place(cur), t2, cur);
                    if (y == null) {
                        continue;
                    }
                    detach(v, cur, dev, t, attachedAt);
                    dev = device(r);
                    attachedAt = attach(r, v, y, dev, t2);
                    cur = y;
                }
            } else {
                // detached during the month and left unattached
                long t = uniform(r, start + 2 * HOUR, Math.min(end, x.terminate) - 20 * MINUTE);
                if (t > start) {
                    detach(v, x, dev, t, attachedAt);
                }
            }
        }
    }

    private void rootVolume(SplittableRandom r, Model.Instance i) {
        Model.Volume v = newVolume(r, i.account, i.az, true);
        v.created = i.launch;
        v.deleted = i.terminate;
        v.nameTag = i.nameTag;
        v.daily = false;
    }

    private void finishVolume(SplittableRandom r, Model.Volume v, long created) {
        v.created = created;
        v.daily = r.nextDouble() < 0.3;
        if (r.nextDouble() < 0.06) {
            v.tag = month.area(r);
        }
    }}
