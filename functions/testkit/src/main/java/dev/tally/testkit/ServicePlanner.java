package dev.tally.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ECS services and scheduled job families: which run on Fargate, their clusters, task sizes and CPU shapes,
 * their share of the concurrency, their product areas (the shape of {@code areas.json}), the job schedules, and the
 * mean task lifetime that keeps the number of tasks near its target.
 */
final class ServicePlanner {
    /** Events per ~10 rows at large sizes: about 4 events per task. */
    private static final int ROWS_PER_TASK = 40;

    private final MonthSpec spec;
    private final Times times;
    private final int hours;
    private final List<Model.Cluster> clusters;
    private final List<Model.Cluster> hostClusters;
    private final List<Model.Service> services;
    private final List<String> areas;
    private final SplittableRandom planRng;

    ServicePlanner(Month month, SplittableRandom planRng) {
        this.spec = month.spec;
        this.times = month.times;
        this.hours = month.hours;
        this.clusters = month.clusters;
        this.hostClusters = month.hostClusters;
        this.services = month.services;
        this.areas = month.areas;
        this.planRng = planRng;
    }

    void plan(SplittableRandom r, int nServices, int ec2Concurrency, int fargateConcurrency) {
        int nFargate = (int) Math.round(nServices * spec.fargateShare());
        if (spec.fargateShare() > 0 && nServices >= 2) {
            nFargate = Math.max(1, nFargate);
        }
        if (spec.fargateShare() < 1 && !hostClusters.isEmpty()) {
            nFargate = Math.min(nFargate, nServices - 1);
        }
        if (hostClusters.isEmpty()) {
            nFargate = nServices;
        }
        // which services run on Fargate: the first two last (they may form the cross-cluster pair)
        boolean[] fargate = new boolean[nServices];
        List<Integer> order = new ArrayList<>();
        for (int i = 2; i < nServices; i++) {
            order.add(i);
        }
        for (int k = order.size() - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            Integer tmp = order.get(k);
            order.set(k, order.get(j));
            order.set(j, tmp);
        }
        if (nServices > 1) {
            order.add(1);
        }
        order.add(0);
        for (int k = 0; k < nFargate; k++) {
            fargate[order.get(k)] = true;
        }
        boolean pair = clusters.size() >= 2 && nServices >= 4 && !fargate[0] && !fargate[1]
                && hostClusters.size() >= 2;
        int len = Catalog.SERVICE_NAMES.length;
        double ec2Weight = 0;
        double fgWeight = 0;
        double[] weight = new double[nServices];
        for (int i = 0; i < nServices; i++) {
            String name = Catalog.SERVICE_NAMES[i % len] + (i >= len ? "-" + (i / len + 1) : "");
            Model.Cluster c;
            if (pair && i == 1) {
                name = services.get(0).name;
                c = hostClusters.get(1);
            } else if (fargate[i]) {
                c = clusters.get(i % clusters.size());
            } else {
                c = hostClusters.get(pair && i == 0 ? 0 : i % hostClusters.size());
            }
            Model.Service s = new Model.Service(i, name, c, fargate[i], false);
            sizeTask(r, s);
            s.startedBy = "ecs-svc/" + Ids.digits(r, 19);
            s.area = areas.get((i * 7 + 3) % areas.size());
            weight[i] = 1.0 / Math.pow(1 + r.nextInt(Math.max(1, nServices)), 0.7);
            if (fargate[i]) {
                fgWeight += weight[i];
            } else {
                ec2Weight += weight[i];
            }
            s.amp = r.nextDouble() < 0.4 ? 0 : r.nextDouble() < 0.67 ? 0.2 : 0.5;
            s.deployEveryHours = 36 + r.nextInt(204);
            services.add(s);
        }
        // every cpu shape of the ECS events shows up: cpu "512", cpu "0" with container cpu, no task cpu,
        // and (one service) no cpu at all
        Model.CpuMode[] shapes = {Model.CpuMode.TASK, Model.CpuMode.ZERO_TASK, Model.CpuMode.TASK,
            Model.CpuMode.CONTAINERS_ONLY, Model.CpuMode.NONE, Model.CpuMode.TASK, Model.CpuMode.ZERO_TASK};
        int ec2Ordinal = 0;
        for (Model.Service s : services) {
            if (!s.fargate) {
                Model.CpuMode shape = shapes[ec2Ordinal % shapes.length];
                s.cpuMode = shape == Model.CpuMode.NONE && ec2Ordinal != 4 ? Model.CpuMode.TASK : shape;
                ec2Ordinal++;
            }
        }
        for (Model.Service s : services) {
            double w = weight[s.index];
            s.base = s.fargate ? Math.max(1, fargateConcurrency * w / Math.max(fgWeight, 1e-9))
                    : Math.max(1, ec2Concurrency * w / Math.max(ec2Weight, 1e-9));
            if (s.base < 3) {
                s.amp = 0;
            }
        }
        // areas.json shape: a cross-cluster pair mapped differently, one service mapped only by
        // "cluster/service", the last EC2 service unmapped
        if (pair) {
            Model.Service staging = services.get(1);
            staging.mapByClusterKey = true;
            staging.area = areas.get((services.get(0).area.equals(areas.get(0)) ? 1 : 0));
        }
        if (nServices >= 3) {
            services.get(2).mapByClusterKey = true;
        }
        int unmapped = -1;
        for (int i = nServices - 1; i >= 0; i--) {
            // the smallest EC2 service: some cost visibly unmapped, not a quarter of the bill
            Model.Service s = services.get(i);
            if (!s.fargate && !(pair && i <= 1) && (unmapped < 0 || s.base < services.get(unmapped).base)) {
                unmapped = i;
            }
        }
        for (int i = nServices - 1; i >= 0 && unmapped < 0; i--) {
            if (!(pair && i <= 1)) {
                unmapped = i;
            }
        }
        if (unmapped >= 0) {
            services.get(unmapped).area = null;
            services.get(unmapped).mapByClusterKey = false;
        }
        // scheduled job families
        int nJobs = Math.max(1, (int) Math.round(nServices * 0.15));
        Model.Cluster batch = clusters.size() > 2 ? clusters.get(2) : clusters.get(0);
        int[] periods = {1, 2, 4, 6, 12, 24};
        for (int j = 0; j < nJobs; j++) {
            int jl = Catalog.JOB_NAMES.length;
            String name = Catalog.JOB_NAMES[j % jl] + (j >= jl ? "-" + (j / jl + 1) : "");
            boolean fg = hostClusters.isEmpty() || !hostClusters.contains(batch) || r.nextDouble() < spec.fargateShare();
            Model.Service s = new Model.Service(nServices + j, name, batch, fg, true);
            sizeTask(r, s);
            s.startedBy = "events-rule/" + name;
            s.area = areas.get((j * 3 + 1) % areas.size());
            // job tasks stay around a quarter of all tasks (about targetRows / 160)
            double allowed = Math.max(spec.targetRows() / (double) ROWS_PER_TASK * 0.25, nJobs * times.days())
                    / nJobs;
            s.perRun = 1 + r.nextInt(3);
            List<Integer> fitting = new ArrayList<>();
            for (int p : periods) {
                if ((double) hours / p * s.perRun <= allowed) {
                    fitting.add(p);
                }
            }
            if (fitting.isEmpty()) {
                s.perRun = 1;
                fitting.add(24);
            }
            s.periodHours = fitting.get(r.nextInt(fitting.size()));
            s.offsetHour = r.nextInt(s.periodHours);
            s.offsetMinute = r.nextInt(50);
            s.minMinutes = 3 + r.nextInt(10);
            s.maxMinutes = s.minMinutes + 5 + r.nextInt(35);
            services.add(s);
        }
        if (nJobs >= 2) {
            services.get(services.size() - 1).area = null;
        }
    }

    private void sizeTask(SplittableRandom r, Model.Service s) {
        int[] cpus = {256, 512, 512, 1024, 1024, 2048};
        s.cpu = cpus[r.nextInt(cpus.length)];
        s.memory = s.cpu * (r.nextBoolean() ? 2 : 4);
        double u = r.nextDouble();
        s.cpuMode = s.fargate || u < 0.6 ? Model.CpuMode.TASK : u < 0.8 ? Model.CpuMode.ZERO_TASK
                : u < 0.95 ? Model.CpuMode.CONTAINERS_ONLY : Model.CpuMode.NONE;
        int n = 1 + r.nextInt(3);
        s.containers = new String[n];
        s.containerCpu = new int[n];
        s.containers[0] = s.name;
        int left = s.cpu;
        for (int i = 1; i < n; i++) {
            s.containers[i] = Catalog.SIDECARS[(s.index + i) % Catalog.SIDECARS.length];
            s.containerCpu[i] = Math.min(left / 4, 128);
            left -= s.containerCpu[i];
        }
        s.containerCpu[0] = left;
        s.revision = 1 + r.nextInt(40);
    }

    /** Mean task lifetime so that tasks number about targetRows / 40 (4 events each, 1 event per 10 rows). */
    void planTaskLifetimes() {
        double concurrency = 0;
        double expectedTasks = 0;
        for (Model.Service s : services) {
            if (s.job) {
                expectedTasks += (double) hours / s.periodHours * s.perRun;
            } else {
                concurrency += s.base;
                expectedTasks += s.base; // running at the start
                expectedTasks += 2 * s.amp * s.base * times.days(); // daily scale out and in
                expectedTasks += s.base * hours / s.deployEveryHours; // deployments
            }
        }
        double target = spec.targetRows() / (double) ROWS_PER_TASK;
        double residual = target - expectedTasks;
        double mean = residual > concurrency * hours / 720.0 ? concurrency * hours / residual : 720;
        mean = Math.max(6, Math.min(720, mean));
        for (Model.Service s : services) {
            s.meanLifeHours = mean * (0.6 + 0.8 * planRng.nextDouble());
        }
    }}
