package dev.tally.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.clamp;
import static dev.tally.testkit.Times.HOUR;

/**
 * Plans the month's entities before the clock starts: the accounts and invoice ids, how many instances, services,
 * clusters, volumes and product areas the target row count calls for, then the fleet, the services, the volumes
 * and, from the rows those are expected to give, the other resources that fill the rest of the target.
 */
final class MonthPlanner {
    private final Month month;
    private final MonthSpec spec;
    private final Times times;
    private final long start;
    private final long end;
    private final int hours;
    private final List<Model.Account> accounts;
    private final List<Model.Cluster> clusters;
    private final List<Model.Cluster> hostClusters;
    private final List<Model.Service> services;
    private final List<Model.Instance> instances;
    private final List<Model.Volume> volumes;
    private final List<Model.Other> others;
    private final List<String> areas;
    private final EventQueue events;
    private final SplittableRandom planRng;
    private final SplittableRandom noiseRng;

    MonthPlanner(Month month, EventQueue events, SplittableRandom planRng, SplittableRandom noiseRng) {
        this.month = month;
        this.spec = month.spec;
        this.times = month.times;
        this.start = month.start;
        this.end = month.end;
        this.hours = month.hours;
        this.accounts = month.accounts;
        this.clusters = month.clusters;
        this.hostClusters = month.hostClusters;
        this.services = month.services;
        this.instances = month.instances;
        this.volumes = month.volumes;
        this.others = month.others;
        this.areas = month.areas;
        this.events = events;
        this.planRng = planRng;
        this.noiseRng = noiseRng;
    }

    void plan() {
        SplittableRandom r = planRng;
        double perHour = Math.max(1, spec.targetRows()) / (double) hours;
        boolean auto = spec.instances() == 0;

        month.payer = account(r, "acme-payer");
        accounts.add(month.payer);
        accounts.add(account(r, "acme-prod"));
        accounts.add(account(r, "acme-staging"));
        if (spec.estimated()) {
            month.invoiceMain = spec.format() == BillFormat.DBR ? "Estimated" : "";
            month.invoiceMarketplace = month.invoiceMain;
        } else {
            month.invoiceMain = Ids.digits(r, 9);
            month.invoiceMarketplace = Ids.digits(r, 9);
        }

        int nInstances = auto ? Math.max(2, (int) Math.round(0.25 * perHour)) : spec.instances();
        int nHosts = nInstances == 1 ? 1 : clamp(Math.round(nInstances * 0.7), 1, nInstances - 1);
        int nOther = nInstances - nHosts;
        int fargateConcurrency = spec.fargateShare() == 0 ? 0 : Math.max(1, (int) Math.round(0.075 * perHour));
        int ec2Concurrency = nHosts * 6;
        int nServices = spec.services() > 0 ? spec.services()
                : clamp(Math.round((ec2Concurrency + fargateConcurrency) / 20.0), 3, 600);
        int nClusters = spec.clusters() > 0 ? spec.clusters()
                : clamp(Math.round(Math.sqrt(nServices) / 2), nServices >= 6 ? 2 : 1, Catalog.CLUSTER_NAMES.length);
        nClusters = Math.max(1, Math.min(nClusters, Math.max(nServices, 1)));
        int nAreas = clamp(2 + nServices / 4, 3, Catalog.AREAS.length);
        areas.addAll(Arrays.asList(Catalog.AREAS).subList(0, nAreas));

        for (int i = 0; i < nClusters; i++) {
            String name = i < Catalog.CLUSTER_NAMES.length ? Catalog.CLUSTER_NAMES[i]
                    : Catalog.CLUSTER_NAMES[i % Catalog.CLUSTER_NAMES.length] + "-" + (i / Catalog.CLUSTER_NAMES.length + 1);
            Model.Account a = name.startsWith("staging") || name.startsWith("sandbox") ? accounts.get(2) : accounts.get(1);
            clusters.add(new Model.Cluster(name, a));
        }
        int nHostClusters = Math.min(nClusters, nHosts);
        hostClusters.addAll(clusters.subList(0, nHostClusters));

        new FleetPlanner(month, events, noiseRng).plan(r, nHosts, nOther);
        ServicePlanner servicePlanner = new ServicePlanner(month, r);
        servicePlanner.plan(r, nServices, ec2Concurrency, fargateConcurrency);
        int nVolumes = spec.volumes() > 0 ? spec.volumes() : Math.max(1, (int) Math.round(0.28 * perHour));
        new VolumePlanner(month, events).plan(r, nVolumes);

        // expected rows so far, then other resources fill the rest of the target
        double expected = 12;
        for (Model.Instance i : instances) {
            double alive = Math.max(0, Math.min(end, i.terminate) - Math.max(start, i.launch)) / (double) HOUR;
            expected += Math.ceil(alive) + (i.dataTransfer ? alive / 24 : 0);
        }
        for (Model.Volume v : volumes) {
            double alive = Math.max(0, Math.min(end, v.deleted) - Math.max(start, v.created)) / (double) HOUR;
            expected += v.daily ? alive / 24 : Math.ceil(alive);
        }
        for (Model.Service s : services) {
            if (s.fargate) {
                expected += s.job ? 2.0 * hours / s.periodHours * s.perRun * 1.5 : 2.0 * s.base * hours;
            }
        }
        new OtherPlanner(month).plan(r, spec.targetRows() - expected);
        for (Model.Other o : others) {
            expected += o.kind.daily ? times.days() : hours;
        }
        month.estimatedRows = Math.max(1, Math.round(expected));
        servicePlanner.planTaskLifetimes();
    }

    private Model.Account account(SplittableRandom r, String name) {
        return new Model.Account(Ids.digits(r, 12), name, Ids.digits(r, 10), Ids.digits(r, 7));
    }}
