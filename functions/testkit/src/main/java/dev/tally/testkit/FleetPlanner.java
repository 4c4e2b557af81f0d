package dev.tally.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.pick;
import static dev.tally.testkit.Draw.uniform;
import static dev.tally.testkit.EventQueue.EVENT_CONTAINER_INSTANCE;
import static dev.tally.testkit.EventQueue.EVENT_INSTANCE_STATE;
import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.MINUTE;
import static dev.tally.testkit.Times.SECOND;

/**
 * The fleet: the month's EC2 instances, ECS hosts (per cluster) and other instances, those running at the start
 * and those launched, replaced and terminated during it, with their container-instance and state-change events.
 */
final class FleetPlanner {
    private final Month month;
    private final MonthSpec spec;
    private final long start;
    private final long end;
    private final List<Model.Account> accounts;
    private final List<Model.Cluster> hostClusters;
    private final List<Model.Instance> instances;
    private final Map<String, List<Model.Instance>> instancesByPlace;
    private final EventQueue events;
    private final SplittableRandom noiseRng;

    FleetPlanner(Month month, EventQueue events, SplittableRandom noiseRng) {
        this.month = month;
        this.spec = month.spec;
        this.start = month.start;
        this.end = month.end;
        this.accounts = month.accounts;
        this.hostClusters = month.hostClusters;
        this.instances = month.instances;
        this.instancesByPlace = month.instancesByPlace;
        this.events = events;
        this.noiseRng = noiseRng;
    }

    void plan(SplittableRandom r, int nHosts, int nOther) {
        List<Model.Instance> initialHosts = new ArrayList<>();
        for (int i = 0; i < nHosts; i++) {
            Model.Cluster c = hostClusters.get(i % hostClusters.size());
            Model.Instance h = newHost(r, c, pick(r, Catalog.HOST_TYPES), Catalog.AZS[r.nextInt(3)],
                    start - uniform(r, HOUR, 45 * DAY));
            initialHosts.add(h);
        }
        List<Model.Instance> initialOthers = new ArrayList<>();
        for (int i = 0; i < nOther; i++) {
            initialOthers.add(newOther(r, start - uniform(r, HOUR, 120 * DAY)));
        }
        instances.addAll(initialHosts);
        instances.addAll(initialOthers);
        List<Model.Instance> launched = new ArrayList<>();
        for (Model.Instance h : initialHosts) {
            double u = r.nextDouble();
            if (u < 0.12) {
                long t = uniform(r, start + 2 * HOUR, end - 3 * HOUR);
                terminate(r, h, t);
                Model.Instance rep = newHost(r, h.cluster, h.type, h.az, t - uniform(r, 2 * MINUTE, 10 * MINUTE));
                launched.add(rep);
            } else if (u < 0.16 && h.cluster.hosts.size() >= 3) {
                terminate(r, h, uniform(r, start + 2 * HOUR, end - 3 * HOUR));
            }
        }
        if (month.instancesTerminated == 0 && initialHosts.size() >= 2) {
            // small months still show a host replacement
            Model.Instance h = initialHosts.get(initialHosts.size() - 1);
            long t = uniform(r, start + 2 * DAY, end - 2 * DAY);
            terminate(r, h, t);
            launched.add(newHost(r, h.cluster, h.type, h.az, t - uniform(r, 2 * MINUTE, 10 * MINUTE)));
        }
        for (int i = 0; i < Math.round(nHosts * 0.05); i++) {
            Model.Cluster c = pick(r, hostClusters);
            launched.add(newHost(r, c, pick(r, Catalog.HOST_TYPES), Catalog.AZS[r.nextInt(3)],
                    uniform(r, start + HOUR, end - 3 * HOUR)));
        }
        for (Model.Instance o : initialOthers) {
            if (r.nextDouble() < 0.08) {
                terminate(r, o, uniform(r, start + 2 * HOUR, end - 3 * HOUR));
            }
        }
        for (int i = 0; i < Math.round(nOther * 0.05); i++) {
            launched.add(newOther(r, uniform(r, start + HOUR, end - 3 * HOUR)));
        }
        launched.sort((a, b) -> Long.compare(a.launch, b.launch));
        instances.addAll(launched);
        for (Model.Instance i : instances) {
            instancesByPlace.computeIfAbsent(i.account.id + "/" + i.az, k -> new ArrayList<>()).add(i);
            if (i.inPeriodLaunch && spec.events().noiseRate() > 0) {
                events.push(i.launch, EVENT_INSTANCE_STATE, i, null, 0, 0, "pending", null);
                events.push(i.launch + 20 * SECOND + noiseRng.nextInt(20_000), EVENT_INSTANCE_STATE, i, null, 0, 0, "running", null);
            }
            if (i.host()) {
                i.ciVersion = 1 + r.nextInt(40);
                events.push(i.registered, EVENT_CONTAINER_INSTANCE, i, null, 0, 0, "ACTIVE", null);
                if (i.draining != Model.NEVER) {
                    events.push(i.draining, EVENT_CONTAINER_INSTANCE, i, null, 0, 0, "DRAINING", null);
                }
            }
        }
    }

    private Model.Instance newHost(SplittableRandom r, Model.Cluster c, Catalog.InstanceType type, String az,
                                   long launch) {
        Model.Instance h = new Model.Instance(Ids.instanceId(r), type, c.account, az, c);
        h.launch = launch;
        h.inPeriodLaunch = launch >= start;
        h.registered = launch + uniform(r, 40 * SECOND, 120 * SECOND);
        h.containerInstanceArn = "arn:aws:ecs:" + Catalog.REGION + ":" + c.account.id + ":container-instance/"
                + c.name + "/" + Ids.hex(r, 32);
        h.nameTag = "ecs-" + c.name;
        if (r.nextDouble() < 0.1) {
            h.tag = "platform";
        }
        finishInstance(r, h);
        c.hosts.add(h);
        return h;
    }

    private Model.Instance newOther(SplittableRandom r, long launch) {
        Model.Account a = accounts.get(r.nextInt(accounts.size()));
        Model.Instance o = new Model.Instance(Ids.instanceId(r), pick(r, Catalog.OTHER_TYPES), a,
                Catalog.AZS[r.nextInt(3)], null);
        o.launch = launch;
        o.inPeriodLaunch = launch >= start;
        o.nameTag = Catalog.ROLES[r.nextInt(Catalog.ROLES.length)] + "-" + (1 + r.nextInt(9));
        if (r.nextDouble() < 0.75) {
            o.tag = month.area(r);
            if (r.nextDouble() < 0.12) {
                o.tagFrom = uniform(r, start + DAY, end - DAY) / HOUR * HOUR;
            }
        }
        finishInstance(r, o);
        return o;
    }

    private void finishInstance(SplittableRandom r, Model.Instance i) {
        i.reserved = r.nextDouble() < 0.1;
        i.dataTransfer = r.nextDouble() < 0.5;
        BigDecimal factor = BigDecimal.valueOf(850 + r.nextInt(151), 3);
        i.blendedRate = i.type.rate().multiply(i.reserved ? new BigDecimal("0.6") : factor)
                .setScale(Amounts.SCALE, RoundingMode.HALF_EVEN);
    }

    private void terminate(SplittableRandom r, Model.Instance i, long t) {
        i.terminate = t;
        month.instancesTerminated++;
        if (i.host()) {
            i.draining = t - uniform(r, 5 * MINUTE, 15 * MINUTE);
        }
        events.push(t, EVENT_INSTANCE_STATE, i, null, 0, 0, "terminated", null);
        if (spec.events().noiseRate() > 0) {
            events.push(t - 25 * SECOND, EVENT_INSTANCE_STATE, i, null, 0, 0, "shutting-down", null);
        }
    }}
