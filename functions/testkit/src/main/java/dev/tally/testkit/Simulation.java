package dev.tally.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;
import static dev.tally.testkit.Times.MINUTE;
import static dev.tally.testkit.Times.SECOND;

/**
 * One generation run. Plans the month's entities (per-entity state only), then walks the month hour by
 * hour: task starts and stops, events due in the hour (a time-ordered queue holds only near-future
 * events and planned per-entity actions), then the hour's bill rows, written straight to the file.
 */
final class Simulation {
    private static final int EVENT_TASK = 0;
    private static final int EVENT_CONTAINER_INSTANCE = 1;
    private static final int EVENT_ATTACH = 2;
    private static final int EVENT_DETACH = 3;
    private static final int EVENT_INSTANCE_STATE = 4;
    private static final int EVENT_NOISE = 5;
    private static final int EVENT_MALFORMED = 6;

    /** Tasks that fail to start (PENDING then STOPPED, no startedAt). */
    private static final double FAILED_TASK_RATE = 0.01;
    /** Events per ~10 rows at large sizes: about 4 events per task. */
    private static final int ROWS_PER_TASK = 40;

    private final MonthSpec spec;
    private final Times times;
    private final long start;
    private final long end;
    private final int hours;

    // independent random streams: switching one feature never shifts another's draws
    private final SplittableRandom planRng;
    private final SplittableRandom taskRng;
    private final SplittableRandom rowRng;
    private final SplittableRandom eventRng;
    private final SplittableRandom noiseRng;
    private final SplittableRandom malformedRowRng;
    private final SplittableRandom dupRng;
    private final SplittableRandom shuffleRng;
    private final SplittableRandom malformedEventRng;
    /** {@code extra-decimals}, or null. */
    private final ExtraDecimals extraDecimals;
    /** {@code stray-period-rows} (none when 0). */
    private final StrayRows strayRows;

    // the month
    private Model.Account payer;
    private final List<Model.Account> accounts = new ArrayList<>();
    private final List<Model.Cluster> clusters = new ArrayList<>();
    private final List<Model.Cluster> hostClusters = new ArrayList<>();
    private final List<Model.Service> services = new ArrayList<>();
    private final List<Model.Instance> instances = new ArrayList<>();
    private final Map<String, List<Model.Instance>> instancesByPlace = new LinkedHashMap<>();
    private final List<Model.Volume> volumes = new ArrayList<>();
    private final List<Model.Other> others = new ArrayList<>();
    private final List<String> areas = new ArrayList<>();
    private String invoiceMain;
    private String invoiceMarketplace;
    private long estimatedRows;

    // simulation state
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    private List<Model.Task>[] stopBuckets;
    private final List<Model.Task> fargateActive = new ArrayList<>();
    private final EventJson json = new EventJson();
    private long tasks;
    private long fargateTasks;
    private long failedTasks;
    private long stoppedTasks;
    private int instancesTerminated;

    // output state
    private BillWriter bill;
    private EventSink sink;
    private final BillRow row = new BillRow();
    private long totalUnits;
    private long lineItems;
    private long skippedRows;
    private long malformedRows;
    private long[] malformedAt;
    private int malformedNext;
    private final long[] perAccount = new long[3];
    private final SortedMap<String, long[]> perInvoice = new TreeMap<>();
    private final SortedMap<String, long[]> perProduct = new TreeMap<>();
    private final SortedMap<String, long[]> perKind = new TreeMap<>();

    Simulation(MonthSpec spec) {
        this.spec = spec;
        this.times = new Times(spec.period());
        this.start = times.start;
        this.end = times.end;
        this.hours = times.hours;
        SplittableRandom master = new SplittableRandom(spec.seed() ^ 0x7a11_7e57_c0_57L);
        planRng = master.split();
        taskRng = master.split();
        rowRng = master.split();
        eventRng = master.split();
        noiseRng = master.split();
        malformedRowRng = master.split();
        dupRng = master.split();
        shuffleRng = master.split();
        malformedEventRng = master.split();
        // split last: the streams above are the same with or without these options
        SplittableRandom extraDecimalsRng = master.split();
        SplittableRandom strayRng = master.split();
        extraDecimals = spec.extraDecimals() ? new ExtraDecimals(extraDecimalsRng) : null;
        strayRows = new StrayRows(spec.strayPeriodRows(), times, strayRng);
    }

    // ======================================================================= run

    Manifest run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        plan();
        String billName = spec.billFileName();
        String eventsName = spec.events().fileName();
        Path billPath = outDir.resolve(billName);
        Path eventsPath = outDir.resolve(eventsName);
        // a previous run with other compression options must not leave a second bill or event log behind
        for (Compression c : Compression.values()) {
            Files.deleteIfExists(outDir.resolve(spec.billEntryName() + c.suffix()));
        }
        Files.deleteIfExists(outDir.resolve(spec.events().withGzip(!spec.events().gzip()).fileName()));
        try (BillWriter b = BillWriter.create(spec.format(),
                Outputs.open(billPath, spec.compression(), spec.billEntryName(), times.period.atDay(1).atStartOfDay()
                        .plusMonths(1).plusHours(6)), times, spec.tagKey(), payer, rowRng.split(),
                spec.noResourceIds(), spec.focusNulls());
             EventSink s = new EventSink(Outputs.open(eventsPath, spec.events().gzip() ? Compression.GZIP
                     : Compression.NONE, null, null), spec.events(), dupRng, shuffleRng, malformedEventRng)) {
            this.bill = b;
            this.sink = s;
            simulate();
        }
        writeAreas(outDir.resolve("areas.json"));
        Manifest m = manifest(billName, eventsName);
        Files.writeString(outDir.resolve(Manifest.FILE_NAME), m.toJson());
        return m;
    }

    private void simulate() throws IOException {
        bill.writeHeader();
        startInitialTasks();
        drain(start);
        headRows();
        for (int h = 0; h < hours; h++) {
            long hs = times.hourStart(h);
            long he = hs + HOUR;
            tasksForHour(h, hs, he);
            drain(he);
            hourRows(h, hs, he);
            while (strayRows.due(h)) {
                bill.write(strayRows.next(row, accounts, areas, invoiceMain));
            }
        }
        drain(end);
        queue.clear();
        tailRows();
    }

    // ===================================================================== plan

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    private long uniform(SplittableRandom r, long lo, long hi) {
        return hi <= lo ? lo : r.nextLong(lo, hi);
    }

    private <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private void plan() {
        SplittableRandom r = planRng;
        double perHour = Math.max(1, spec.targetRows()) / (double) hours;
        boolean auto = spec.instances() == 0;

        payer = account(r, "acme-payer");
        accounts.add(payer);
        accounts.add(account(r, "acme-prod"));
        accounts.add(account(r, "acme-staging"));
        if (spec.estimated()) {
            invoiceMain = spec.format() == BillFormat.DBR ? "Estimated" : "";
            invoiceMarketplace = invoiceMain;
        } else {
            invoiceMain = Ids.digits(r, 9);
            invoiceMarketplace = Ids.digits(r, 9);
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

        planInstances(r, nHosts, nOther);
        planServices(r, nServices, ec2Concurrency, fargateConcurrency);
        int nVolumes = spec.volumes() > 0 ? spec.volumes() : Math.max(1, (int) Math.round(0.28 * perHour));
        planVolumes(r, nVolumes);

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
        planOthers(r, spec.targetRows() - expected);
        for (Model.Other o : others) {
            expected += o.kind.daily ? times.days() : hours;
        }
        estimatedRows = Math.max(1, Math.round(expected));
        planTaskLifetimes();

        // malformed rows at random row numbers (exact count; leftovers go before the tail rows)
        malformedAt = new long[spec.malformedRows()];
        for (int i = 0; i < malformedAt.length; i++) {
            malformedAt[i] = uniform(malformedRowRng, 1, Math.max(2, estimatedRows));
        }
        Arrays.sort(malformedAt);
        // malformed event lines at random instants
        for (int i = 0; i < spec.events().malformedEvents(); i++) {
            push(uniform(malformedEventRng, start - DAY, end - MINUTE), EVENT_MALFORMED, null, null, 0, 0, null, null);
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Model.Task>[] buckets = new List[hours + 1];
        stopBuckets = buckets;
    }

    private Model.Account account(SplittableRandom r, String name) {
        return new Model.Account(Ids.digits(r, 12), name, Ids.digits(r, 10), Ids.digits(r, 7));
    }

    private String area(SplittableRandom r) {
        return pick(r, areas);
    }

    // ---------------------------------------------------------------- instances

    private void planInstances(SplittableRandom r, int nHosts, int nOther) {
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
        if (instancesTerminated == 0 && initialHosts.size() >= 2) {
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
                push(i.launch, EVENT_INSTANCE_STATE, i, null, 0, 0, "pending", null);
                push(i.launch + 20 * SECOND + noiseRng.nextInt(20_000), EVENT_INSTANCE_STATE, i, null, 0, 0, "running", null);
            }
            if (i.host()) {
                i.ciVersion = 1 + r.nextInt(40);
                push(i.registered, EVENT_CONTAINER_INSTANCE, i, null, 0, 0, "ACTIVE", null);
                if (i.draining != Model.NEVER) {
                    push(i.draining, EVENT_CONTAINER_INSTANCE, i, null, 0, 0, "DRAINING", null);
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
            o.tag = area(r);
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
        instancesTerminated++;
        if (i.host()) {
            i.draining = t - uniform(r, 5 * MINUTE, 15 * MINUTE);
        }
        push(t, EVENT_INSTANCE_STATE, i, null, 0, 0, "terminated", null);
        if (spec.events().noiseRate() > 0) {
            push(t - 25 * SECOND, EVENT_INSTANCE_STATE, i, null, 0, 0, "shutting-down", null);
        }
    }

    // ----------------------------------------------------------------- services

    private void planServices(SplittableRandom r, int nServices, int ec2Concurrency, int fargateConcurrency) {
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
    private void planTaskLifetimes() {
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
    }

    // ------------------------------------------------------------------ volumes

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
                push(eventTime - uniform(r, 10 * SECOND, 120 * SECOND), EVENT_ATTACH, v, wrong, -1, 0,
                        "Client.InvalidVolume.ZoneMismatch", dev);
            }
        }
        push(eventTime, EVENT_ATTACH, v, i, withAttachTime ? attachTime : -1, 0, null, dev);
        return withAttachTime ? attachTime : eventTime;
    }

    private void detach(Model.Volume v, Model.Instance i, String dev, long t, long attachedAt) {
        push(t / SECOND * SECOND, EVENT_DETACH, v, i, attachedAt, 0, null, dev);
    }

    private void planVolumes(SplittableRandom r, int n) {
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
                        push(t / SECOND * SECOND, EVENT_ATTACH, v, wrong, -1, 0, "Client.InvalidVolume.ZoneMismatch", dev);
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
                    push(t / SECOND * SECOND, EVENT_DETACH, v, x, attachedAt, 0, "Client.UnauthorizedOperation", dev);
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
            v.tag = area(r);
        }
    }

    // ------------------------------------------------------------------- others

    private void planOthers(SplittableRandom r, double rowsToFill) {
        Catalog.OtherKind[] kinds = Catalog.OtherKind.values();
        double[] weights = {0.12, 0.10, 0.0, 0.10, 0.08, 0.10, 0.12, 0.10, 0.10, 0.06};
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        int tagged = 0;
        int untagged = 0;
        int n = 0;
        while (rowsToFill > 0 || tagged < 2 || untagged < 2) {
            double u = r.nextDouble() * total;
            int k = 0;
            while (u >= weights[k]) {
                u -= weights[k];
                k++;
            }
            Catalog.OtherKind kind = kinds[k];
            boolean tag;
            if (tagged < 2) {
                tag = true;
            } else if (untagged < 2) {
                tag = false;
            } else {
                tag = r.nextDouble() < (kind == Catalog.OtherKind.NAT_GATEWAY ? 0.1
                        : kind == Catalog.OtherKind.LOG_GROUP ? 0.3 : 0.7);
            }
            String area = tag ? area(r) : null;
            Model.Account a = accounts.get(r.nextInt(accounts.size()));
            String az = Catalog.AZS[r.nextInt(3)];
            String base = (area == null ? "shared" : area) + "-" + (++n);
            String id;
            switch (kind) {
                case RDS_DB:
                    id = "arn:aws:rds:" + Catalog.REGION + ":" + a.id + ":db:" + base + "-db";
                    break;
                case S3_STORAGE:
                    id = "acme-" + base + "-" + Ids.hex(r, 6);
                    break;
                case DYNAMO_TABLE:
                    id = "arn:aws:dynamodb:" + Catalog.REGION + ":" + a.id + ":table/" + base;
                    break;
                case CACHE_NODE:
                    id = "arn:aws:elasticache:" + Catalog.REGION + ":" + a.id + ":cluster:" + base + "-001";
                    break;
                case NAT_GATEWAY:
                    id = "arn:aws:ec2:" + Catalog.REGION + ":" + a.id + ":natgateway/nat-0" + Ids.hex(r, 16);
                    break;
                case LOAD_BALANCER:
                    id = "arn:aws:elasticloadbalancing:" + Catalog.REGION + ":" + a.id + ":loadbalancer/app/" + base
                            + "/" + Ids.hex(r, 16);
                    break;
                case LOG_GROUP:
                    id = "arn:aws:logs:" + Catalog.REGION + ":" + a.id + ":log-group:/ecs/" + base;
                    break;
                case LAMBDA_FUNCTION:
                    id = "arn:aws:lambda:" + Catalog.REGION + ":" + a.id + ":function:" + base;
                    break;
                default:
                    id = "arn:aws:cloudfront::" + a.id + ":distribution/E" + Ids.hex(r, 13).toUpperCase(java.util.Locale.ROOT);
            }
            double scale;
            switch (kind) {
                case S3_STORAGE:
                    scale = 10 + r.nextInt(50_000);
                    break;
                case DYNAMO_TABLE:
                    scale = 5 + r.nextInt(2_000);
                    break;
                case LOG_GROUP:
                case DISTRIBUTION:
                    scale = 0.01 + r.nextDouble() * 3;
                    break;
                case LAMBDA_FUNCTION:
                    scale = 100 + r.nextInt(60_000);
                    break;
                default:
                    scale = 1;
            }
            others.add(new Model.Other(kind, id, a, az, area, null, scale));
            rowsToFill -= kind.daily ? times.days() : hours;
            if (kind == Catalog.OtherKind.S3_STORAGE) {
                others.add(new Model.Other(Catalog.OtherKind.S3_REQUESTS, id, a, az, area, null, 100 + r.nextInt(100_000)));
                rowsToFill -= hours;
            }
            if (tag) {
                tagged++;
            } else {
                untagged++;
            }
        }
    }

    // ==================================================================== tasks

    private double desired(Model.Service s, int h) {
        int hourOfDay = h % 24;
        int dow = (times.period.atDay(1).getDayOfWeek().getValue() - 1 + h / 24) % 7;
        double f = 1 + s.amp * Math.sin(2 * Math.PI * (hourOfDay - 8) / 24.0);
        if (dow >= 5) {
            f *= 1 - s.amp / 2;
        }
        return Math.max(1, Math.round(s.base * f));
    }

    private void startInitialTasks() {
        for (Model.Service s : services) {
            if (s.job) {
                continue;
            }
            int n = (int) desired(s, 0);
            for (int k = 0; k < n; k++) {
                long age = Math.min((long) (expo(taskRng, s.meanLifeHours) * HOUR), 20 * DAY);
                // a younger task when no host was registered yet that long ago
                for (int tries = 0; tries < 5 && !startTask(s, start - Math.max(age, 5 * MINUTE), -1, start); tries++) {
                    age /= 4;
                }
            }
        }
    }

    private static double expo(SplittableRandom r, double mean) {
        return -Math.log(1 - r.nextDouble()) * mean;
    }

    private void tasksForHour(int h, long hs, long he) {
        List<Model.Task> bucket = stopBuckets[h];
        stopBuckets[h] = null;
        if (bucket != null) {
            for (Model.Task t : bucket) {
                if (!t.stopScheduled && t.plannedStopHour == h) {
                    scheduleStop(t, t.plannedStopping);
                }
            }
        }
        for (Model.Service s : services) {
            if (s.job) {
                if (h % s.periodHours == s.offsetHour) {
                    long at = hs + s.offsetMinute * MINUTE;
                    for (int k = 0; k < s.perRun; k++) {
                        startTask(s, at + taskRng.nextInt(20_000), h, he);
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
                        scheduleStop(t, uniform(taskRng, hs, he - MINUTE));
                    }
                }
            }
            s.running.removeIf(t -> t.stopScheduled);
            int diff = (int) desired(s, h) - s.running.size();
            for (int k = 0; k < diff; k++) {
                startTask(s, uniform(taskRng, hs, he - 5 * MINUTE), h, he);
            }
            for (int k = 0; k < -diff; k++) {
                Model.Task t = s.running.get(taskRng.nextInt(s.running.size()));
                if (!t.stopScheduled && t.started >= 0 && t.started < hs) {
                    t.stopCode = "ServiceSchedulerInitiated";
                    t.stoppedReason = "Scaling activity initiated by (service " + s.name + ")";
                    t.exitCode = 143;
                    scheduleStop(t, uniform(taskRng, hs, he - MINUTE));
                }
            }
            s.running.removeIf(t -> t.stopScheduled);
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
    private boolean startTask(Model.Service s, long created, int h, long he) {
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
        tasks++;
        if (s.fargate) {
            fargateTasks++;
        }
        int v = 1;
        if (s.fargate) {
            pushTask(created, t, EventJson.Stage.PROVISIONING, v++);
        }
        pushTask(created + uniform(r, 200, 900), t, EventJson.Stage.PENDING, v++);
        if (failed) {
            failedTasks++;
            t.stopCode = "TaskFailedToStart";
            t.stoppedReason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
                    + "resolve ref " + s.containers[0] + ":r" + t.revision + ": not found";
            t.stopped = pullStopped + uniform(r, 100, 3_000);
            t.stopScheduled = true;
            if (t.stopped < end - SECOND) {
                pushTask(t.stopped, t, EventJson.Stage.STOPPED, v);
                stoppedTasks++;
            }
            return true;
        }
        t.pullStarted = pullStarted;
        t.pullStopped = pullStopped;
        t.started = started;
        pushTask(started, t, EventJson.Stage.RUNNING, v);
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

    private void scheduleStop(Model.Task t, long stoppingAt) {
        SplittableRandom r = taskRng;
        long stopping = Math.max(stoppingAt, t.started + SECOND);
        long stopped = stopping + uniform(r, SECOND, 30 * SECOND) + (t.service.fargate ? uniform(r, 5 * SECOND, 40 * SECOND) : 0);
        if (stopped >= end - 2 * SECOND) {
            return; // still running when the month ends: no STOPPED event in this period
        }
        t.stopScheduled = true;
        t.stopping = stopping;
        t.stopped = stopped;
        stoppedTasks++;
        if (t.host != null) {
            t.host.activeTasks--;
        }
        boolean fg = t.service.fargate;
        pushTask(stopping, t, EventJson.Stage.STOPPING, fg ? 4 : 3);
        if (fg) {
            pushTask(stopping + (stopped - stopping) / 2, t, EventJson.Stage.DEPROVISIONING, 5);
        }
        pushTask(stopped, t, EventJson.Stage.STOPPED, fg ? 6 : 4);
    }

    // =================================================================== events

    private static final class Pending implements Comparable<Pending> {
        final long time;
        final long seq;
        final int kind;
        final Object a;
        final Object b;
        final long x;
        final int v;
        final String s;
        final String s2;

        Pending(long time, long seq, int kind, Object a, Object b, long x, int v, String s, String s2) {
            this.time = time;
            this.seq = seq;
            this.kind = kind;
            this.a = a;
            this.b = b;
            this.x = x;
            this.v = v;
            this.s = s;
            this.s2 = s2;
        }

        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private void push(long time, int kind, Object a, Object b, long x, int v, String s, String s2) {
        queue.add(new Pending(time, seq++, kind, a, b, x, v, s, s2));
    }

    private void pushTask(long time, Model.Task t, EventJson.Stage stage, int version) {
        push(time, EVENT_TASK, t, stage, 0, version, null, null);
    }

    private void drain(long limit) throws IOException {
        while (!queue.isEmpty() && queue.peek().time < limit) {
            emit(queue.poll());
        }
    }

    private void emit(Pending p) throws IOException {
        switch (p.kind) {
            case EVENT_TASK:
                sink.emit(json.task(eventRng, (Model.Task) p.a, (EventJson.Stage) p.b, p.v, p.time), "task", false);
                break;
            case EVENT_CONTAINER_INSTANCE: {
                Model.Instance h = (Model.Instance) p.a;
                sink.emit(json.containerInstance(eventRng, h, p.s, h.ciVersion++, p.time), "container_instance", false);
                break;
            }
            case EVENT_ATTACH:
                sink.emit(json.attachVolume(eventRng, (Model.Volume) p.a, (Model.Instance) p.b, p.s2, p.time, p.x, p.s,
                        p.s == null ? null : "The volume '" + ((Model.Volume) p.a).id + "' is not in the same "
                                + "availability zone as instance '" + ((Model.Instance) p.b).id + "'"),
                        p.s == null ? "attach_volume" : "failed_api_call", false);
                break;
            case EVENT_DETACH:
                sink.emit(json.detachVolume(eventRng, (Model.Volume) p.a, (Model.Instance) p.b, p.s2, p.time, p.x, p.s,
                        p.s == null ? null : "You are not authorized to perform this operation."),
                        p.s == null ? "detach_volume" : "failed_api_call", false);
                break;
            case EVENT_INSTANCE_STATE:
                if ("terminated".equals(p.s)) {
                    sink.emit(json.instanceState(eventRng, (Model.Instance) p.a, p.s, p.time), "instance_terminated", false);
                } else {
                    sink.emit(json.instanceState(noiseRng, (Model.Instance) p.a, p.s, p.time), "noise", true);
                }
                return;
            case EVENT_NOISE:
                sink.emit(json.noise(noiseRng, p.time, pick(noiseRng, instances),
                        volumes.isEmpty() ? null : pick(noiseRng, volumes), pick(noiseRng, services)), "noise", true);
                return;
            case EVENT_MALFORMED:
                sink.emitMalformed();
                return;
            default:
                throw new IllegalStateException("event kind " + p.kind);
        }
        double rate = spec.events().noiseRate();
        if (rate > 0 && noiseRng.nextDouble() < rate) {
            push(p.time + noiseRng.nextInt(5_000), EVENT_NOISE, null, null, 0, 0, null, null);
        }
    }

    // ===================================================================== rows

    private void cost(BillRow r) throws IOException {
        if (malformedNext < malformedAt.length && lineItems + skippedRows + malformedRows >= malformedAt[malformedNext]) {
            malformedNext++;
            malformedRows++;
            bill.writeMalformed(r);
        }
        // what a reader gets: the written cost rounded to 10 places (differs from r.cost only with extra decimals)
        long units = extraDecimals == null ? r.cost : extraDecimals.book(r);
        bill.write(r);
        r.costText = null;
        lineItems++;
        totalUnits = Math.addExact(totalUnits, units);
        perAccount[accounts.indexOf(r.account)] += units;
        perInvoice.computeIfAbsent(r.invoiceId, k -> new long[1])[0] += units;
        perProduct.computeIfAbsent(r.product, k -> new long[1])[0] += units;
        perKind.computeIfAbsent(r.kind, k -> new long[1])[0] += units;
    }

    private void skipped(BillRow r) throws IOException {
        bill.write(r);
        skippedRows++;
    }

    private BigDecimal hoursQty(long overlapMs) {
        return overlapMs == HOUR ? BigDecimal.ONE.setScale(Amounts.SCALE)
                : BigDecimal.valueOf(overlapMs).divide(BigDecimal.valueOf(HOUR), Amounts.SCALE, RoundingMode.HALF_EVEN);
    }

    private void hourRows(int h, long hs, long he) throws IOException {
        boolean dayStart = h % 24 == 0;
        long de = hs + DAY;
        for (Model.Instance i : instances) {
            long from = Math.max(hs, i.launch);
            long to = Math.min(he, i.terminate);
            if (to > from) {
                instanceRow(i, hs, he, to - from);
            }
            if (dayStart && i.dataTransfer && Math.min(de, i.terminate) > Math.max(hs, i.launch)) {
                BigDecimal gb = BigDecimal.valueOf(1 + rowRng.nextInt(20_000_000), 6);
                row.usage("instance_data_transfer", i.account, Catalog.EC2, "DataTransfer-Regional-Bytes",
                        "InterZone-Out", i.az, "$0.010 per GB - regional data transfer - in/out/between EC2 AZs or "
                                + "using elastic IPs or ELB", hs, de, gb, Catalog.DATA_TRANSFER_GB, "GB", i.id,
                        "Instance", instanceTag(i, hs), i.nameTag);
                row.invoiceId = invoiceMain;
                cost(row);
            }
        }
        long monthMs = end - start;
        for (Model.Volume v : volumes) {
            if (v.daily && !dayStart) {
                continue;
            }
            long ws = hs;
            long we = v.daily ? de : he;
            long from = Math.max(ws, v.created);
            long to = Math.min(we, v.deleted);
            if (to <= from) {
                continue;
            }
            BigDecimal gbMonths = BigDecimal.valueOf((long) v.sizeGb * (to - from))
                    .divide(BigDecimal.valueOf(monthMs), Amounts.SCALE, RoundingMode.HALF_EVEN);
            row.usage("volume", v.account, Catalog.EC2, v.type.usageType(), v.type.operation(), v.az,
                    "$" + v.type.ratePerGbMonth().toPlainString() + " per GB-month of " + v.type.label()
                            + " - US East (Northern Virginia)", ws, we, gbMonths, v.type.ratePerGbMonth(), "GB-Mo",
                    v.id, "Volume", v.tag, v.nameTag);
            row.invoiceId = invoiceMain;
            cost(row);
        }
        for (Model.Task t : fargateActive) {
            long from = Math.max(hs, t.started);
            long to = t.stopped >= 0 ? Math.min(he, t.stopped) : he;
            if (to <= from) {
                continue;
            }
            Model.Service s = t.service;
            BigDecimal hrs = BigDecimal.valueOf(to - from).divide(BigDecimal.valueOf(HOUR), Amounts.SCALE,
                    RoundingMode.HALF_EVEN);
            BigDecimal vcpu = hrs.multiply(BigDecimal.valueOf(s.cpu, 0)).divide(BigDecimal.valueOf(1024),
                    Amounts.SCALE, RoundingMode.HALF_EVEN);
            BigDecimal gb = hrs.multiply(BigDecimal.valueOf(s.memory, 0)).divide(BigDecimal.valueOf(1024),
                    Amounts.SCALE, RoundingMode.HALF_EVEN);
            row.usage("fargate", s.cluster.account, Catalog.ECS, "USE1-Fargate-vCPU-Hours:perCPU", "FargateTask", t.az,
                    "AWS Fargate - vCPU - US East (N.Virginia)", hs, he, vcpu, Catalog.FARGATE_VCPU_HOUR, "hours",
                    t.arn, "Task", null, null);
            row.invoiceId = invoiceMain;
            cost(row);
            row.usage("fargate", s.cluster.account, Catalog.ECS, "USE1-Fargate-GB-Hours", "FargateTask", t.az,
                    "AWS Fargate - Memory - US East (N.Virginia)", hs, he, gb, Catalog.FARGATE_GB_HOUR, "GB-Hours",
                    t.arn, "Task", null, null);
            row.invoiceId = invoiceMain;
            cost(row);
        }
        fargateActive.removeIf(t -> t.stopped >= 0 && t.stopped <= he);
        for (Model.Other o : others) {
            if (o.kind.daily && !dayStart) {
                continue;
            }
            BigDecimal qty;
            long we = o.kind.daily ? de : he;
            switch (o.kind) {
                case S3_STORAGE:
                    qty = BigDecimal.valueOf((long) o.scale * DAY).divide(BigDecimal.valueOf(monthMs), Amounts.SCALE,
                            RoundingMode.HALF_EVEN);
                    break;
                case S3_REQUESTS:
                    qty = BigDecimal.valueOf(Math.max(1, Math.round(o.scale * (0.3 + 1.4 * rowRng.nextDouble()))));
                    break;
                case DYNAMO_TABLE:
                    qty = BigDecimal.valueOf((long) o.scale);
                    break;
                case LOG_GROUP:
                case DISTRIBUTION:
                    qty = BigDecimal.valueOf(Math.max(1, Math.round(o.scale * (0.3 + 1.4 * rowRng.nextDouble()) * 1e6)), 6);
                    break;
                case LAMBDA_FUNCTION:
                    qty = BigDecimal.valueOf(Math.max(1, Math.round(o.scale * (0.3 + 1.4 * rowRng.nextDouble()) * 1e3)), 3);
                    break;
                default:
                    qty = BigDecimal.ONE;
            }
            row.usage(o.tag == null ? "untagged_other" : "tagged_other", o.account, o.kind.product, o.kind.usageType,
                    o.kind.operation, o.kind == Catalog.OtherKind.LAMBDA_FUNCTION ? "" : o.az, o.kind.description, hs, we,
                    qty, o.kind.rate, o.kind.unit, o.resourceId, "", o.tag, o.nameTag);
            row.invoiceId = invoiceMain;
            cost(row);
        }
        if (h == hours / 2) {
            blankProductRow("Usage", hs, he, Amounts.units(new BigDecimal("0.0000420000")));
        }
    }

    private String instanceTag(Model.Instance i, long hs) {
        return i.tag != null && hs >= i.tagFrom ? i.tag : null;
    }

    private void instanceRow(Model.Instance i, long hs, long he, long overlap) throws IOException {
        BigDecimal qty = hoursQty(overlap);
        BigDecimal rate = i.reserved ? BigDecimal.ZERO.setScale(Amounts.SCALE) : i.type.rate();
        row.usage("instance", i.account, Catalog.EC2, "BoxUsage:" + i.type.name(), "RunInstances", i.az,
                i.reserved ? "USD 0.0 hourly fee per Linux/UNIX (Amazon VPC), " + i.type.name() + " instance"
                        : "$" + i.type.rate().stripTrailingZeros().toPlainString() + " per On Demand Linux "
                        + i.type.name() + " Instance Hour", hs, he, qty, rate, "Hrs", i.id, "Instance",
                instanceTag(i, hs), i.nameTag).blended(i.blendedRate);
        if (i.reserved) {
            row.reserved = true;
            row.lineItemType = "DiscountedUsage";
        }
        row.invoiceId = invoiceMain;
        cost(row);
    }

    private void headRows() throws IOException {
        // reserved-instance fees for the types covering the reserved instances (at least one)
        SortedMap<String, int[]> reserved = new TreeMap<>();
        for (Model.Instance i : instances) {
            if (i.reserved) {
                reserved.computeIfAbsent(i.type.name(), k -> new int[1])[0]++;
            }
        }
        if (reserved.isEmpty()) {
            reserved.put("m5.large", new int[] {2});
        }
        for (Map.Entry<String, int[]> e : reserved.entrySet()) {
            BigDecimal fee = e.getKey().startsWith("t3") ? new BigDecimal("0.0260000000") : new BigDecimal("0.0604000000");
            BigDecimal qty = BigDecimal.valueOf((long) e.getValue()[0] * hours);
            row.charge("ri_fee", "RIFee", "Purchase", "Recurring", accounts.get(1), Catalog.EC2,
                    "HeavyUsage:" + e.getKey(), "RunInstances", "USD " + fee.stripTrailingZeros().toPlainString()
                            + " hourly fee per Linux/UNIX (Amazon VPC), " + e.getKey() + " instance", start, end, qty, fee,
                    Amounts.cost(fee, qty), "Hrs");
            row.invoiceId = invoiceMain;
            cost(row);
        }
        BigDecimal commitment = new BigDecimal("1.2500000000");
        BigDecimal qty = BigDecimal.valueOf(hours);
        row.charge("savings_plan", "SavingsPlanRecurringFee", "Purchase", "Recurring", payer, Catalog.SAVINGS_PLANS,
                "ComputeSP:1yrNoUpfront", "", "1 year No Upfront Compute Savings Plan, $1.25 hourly commitment", start,
                end, qty, commitment, Amounts.cost(commitment, qty), "Hrs");
        row.invoiceId = invoiceMain;
        cost(row);
    }

    private void charge(String kind, String type, String category, String frequency, Model.Account a, String product,
                        String usageType, String description, long units, String invoice) throws IOException {
        BigDecimal amount = Amounts.decimal(units);
        row.charge(kind, type, category, frequency, a, product, usageType, "", description, start, end,
                BigDecimal.ONE, amount, units, "");
        row.invoiceId = invoice;
        if (invoice.equals(invoiceMarketplace) && kind.equals("marketplace")) {
            row.billingEntity = "AWS Marketplace";
        }
        cost(row);
    }

    private void tailRows() throws IOException {
        long usage = totalUnits;
        long support = Math.max(Amounts.units(new BigDecimal("100")), Amounts.roundCents(usage / 10));
        charge("support", "Fee", "Purchase", "Recurring", payer, Catalog.SUPPORT, "Dollar",
                "AWS Support (Business)", support, invoiceMain);
        charge("marketplace", "Fee", "Purchase", "Recurring", accounts.get(1), Catalog.MARKETPLACE_PRODUCT,
                "MP:Subscription", "Acme Observability Pro - monthly subscription", Amounts.units(new BigDecimal("250")),
                invoiceMarketplace);
        long ec2 = perProduct.getOrDefault(Catalog.EC2, new long[1])[0];
        long s3 = perProduct.getOrDefault(Catalog.S3, new long[1])[0];
        // tax per product (8.875%, rounded to cents), on a snapshot of the subtotals
        List<Map.Entry<String, Long>> subtotals = new ArrayList<>();
        for (Map.Entry<String, long[]> e : perProduct.entrySet()) {
            subtotals.add(Map.entry(e.getKey(), e.getValue()[0]));
        }
        for (Map.Entry<String, Long> e : subtotals) {
            if (e.getValue() > 0 && !e.getKey().equals(Catalog.MARKETPLACE_PRODUCT)) {
                long tax = Amounts.roundCents(Amounts.decimal(e.getValue()).multiply(new BigDecimal("0.08875"))
                        .setScale(Amounts.SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact());
                if (tax != 0) {
                    charge("tax", "Tax", "Tax", "One-Time", payer, e.getKey(), "", "Tax for product code "
                            + Catalog.productCode(e.getKey()), tax, invoiceMain);
                }
            }
        }
        if (ec2 > 0) {
            long credit = -Math.min(Amounts.units(new BigDecimal("500")), Amounts.roundCents(ec2 / 20));
            if (credit != 0) {
                charge("credit", "Credit", "Credit", "One-Time", accounts.get(1), Catalog.EC2, "",
                        "AWS Credits - Activate Portfolio", credit, invoiceMain);
            }
        }
        if (s3 > 0) {
            long refund = -Amounts.roundCents(s3 / 50);
            if (refund != 0) {
                charge("refund", "Refund", "Credit", "One-Time", accounts.get(2), Catalog.S3, "",
                        "Refund for S3 request charges (support case)", refund, invoiceMain);
            }
        }
        while (extraDecimals != null && extraDecimals.wantsTinyRow()) {
            extraDecimals.tinyRow(row, accounts.get(1), end - HOUR, end).invoiceId = invoiceMain;
            cost(row);
        }
        while (malformedNext < malformedAt.length) {
            malformedNext++;
            malformedRows++;
            row.usage("instance", accounts.get(1), Catalog.EC2, "BoxUsage:m5.large", "RunInstances", "us-east-1a",
                    "$0.096 per On Demand Linux m5.large Instance Hour", end - HOUR, end, BigDecimal.ONE,
                    new BigDecimal("0.096"), "Hrs", "i-0" + Ids.hex(malformedRowRng, 16), "Instance", null, null);
            row.invoiceId = invoiceMain;
            bill.writeMalformed(row);
        }
        if (spec.format() == BillFormat.DBR) {
            dbrTotals();
        } else {
            blankProductRow("Tax", start, end, Amounts.units(new BigDecimal("0.01")));
            blankProductRow("Usage", end - DAY, end, Amounts.units(new BigDecimal("1.2345678901")));
        }
    }

    /** A row with an empty product name: not a cost line item (spec §2). */
    private void blankProductRow(String type, long from, long to, long units) throws IOException {
        row.charge("blank", type, "Adjustment", "One-Time", accounts.get(1), "", "", "", "", from, to,
                BigDecimal.ONE, Amounts.decimal(units), units, "");
        row.monthly = false;
        row.productCode = "";
        row.invoiceId = invoiceMain;
        if (spec.format() == BillFormat.DBR) {
            row.description = "Unattributed usage";
        }
        skipped(row);
    }

    private void dbrTotals() throws IOException {
        DbrWriter dbr = (DbrWriter) bill;
        long rounded = 0;
        for (long[] v : perInvoice.values()) {
            rounded += Amounts.roundCents(v[0]);
        }
        String period = times.format(start, Times.Style.DBR) + " - " + times.format(end - SECOND, Times.Style.DBR);
        dbr.writeTotal("Rounding", null, invoiceMain, "Rounding of the line items to the invoice total",
                rounded - totalUnits);
        skippedRows++;
        for (int a = 0; a < accounts.size(); a++) {
            Model.Account acct = accounts.get(a);
            dbr.writeTotal("AccountTotal", acct, invoiceMain, "Total for linked account# " + acct.id + " ("
                    + acct.name + ")", Amounts.roundCents(perAccount[a]));
            skippedRows++;
        }
        for (Map.Entry<String, long[]> e : perInvoice.entrySet()) {
            dbr.writeTotal("InvoiceTotal", null, e.getKey(), "Total amount for invoice " + e.getKey()
                    + " for the period " + period, Amounts.roundCents(e.getValue()[0]));
            skippedRows++;
        }
        dbr.writeTotal("StatementTotal", null, invoiceMain, "Total statement amount for period " + period,
                rounded);
        skippedRows++;
    }

    // ================================================================ manifest

    private void writeAreas(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (Model.Service s : services) {
            if (s.area != null && s.mapByClusterKey) {
                map.put(s.cluster.name + "/" + s.serviceKey(), s.area);
            }
        }
        for (Model.Service s : services) {
            if (s.area != null && !s.mapByClusterKey) {
                map.putIfAbsent(s.serviceKey(), s.area);
            }
        }
        ObjectNode n = Manifest.mapper().createObjectNode();
        map.forEach(n::put);
        Files.writeString(file, Manifest.mapper().writeValueAsString(n) + "\n");
    }

    /** Distinct non-empty invoice ids of the cost rows, sorted (an estimated CUR has none). */
    private List<String> invoiceIds() {
        List<String> ids = new ArrayList<>();
        for (String id : perInvoice.keySet()) {
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    private Manifest manifest(String billName, String eventsName) {
        SortedMap<String, BigDecimal> invoiceTotals = new TreeMap<>();
        perInvoice.forEach((k, v) -> invoiceTotals.put(k, Amounts.decimal(Amounts.roundCents(v[0])).setScale(2,
                RoundingMode.UNNECESSARY)));
        SortedMap<String, BigDecimal> byKind = new TreeMap<>();
        perKind.forEach((k, v) -> byKind.put(k, Amounts.decimal(v[0])));
        int hosts = 0;
        for (Model.Instance i : instances) {
            if (i.host()) {
                hosts++;
            }
        }
        int nServices = 0;
        int nJobs = 0;
        int unmapped = 0;
        for (Model.Service s : services) {
            if (s.job) {
                nJobs++;
            } else {
                nServices++;
            }
            if (s.area == null) {
                unmapped++;
            }
        }
        return new Manifest(spec.format(), spec.period(), spec.seed(), spec.tagKey(), billName, eventsName,
                "areas.json", spec.estimated(), invoiceIds(), Amounts.decimal(totalUnits),
                lineItems, skippedRows, malformedRows, lineItems + skippedRows + malformedRows + strayRows.rows(),
                invoiceTotals, byKind,
                new Manifest.EventCounts(sink.written, sink.duplicates, sink.malformed, sink.noise, sink.byType),
                new Manifest.Entities(clusters.size(), nServices, nJobs, unmapped, instances.size(), hosts,
                        instancesTerminated, volumes.size(), others.size(), tasks, fargateTasks, failedTasks,
                        tasks - stoppedTasks),
                extraDecimals == null ? 0 : extraDecimals.rounded(),
                extraDecimals == null ? BigDecimal.ZERO : extraDecimals.difference(),
                strayRows.rows(), strayRows.periods());
    }
}
