package dev.tally.testkit;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code split-cost-allocation}: the split line items AWS adds to a CUR or CUR 2.0 exported with split cost
 * allocation data (allocation contract §9). For each ECS task on an EC2 instance and each hour, two rows (one of
 * usage type {@value Catalog#ECS_EC2_VCPU_HOURS}, one of {@value Catalog#ECS_EC2_GB_HOURS}): product Amazon Elastic
 * Container Service, operation {@value Catalog#ECS_TASK_EC2}, line item type {@code Usage}, resource the task ARN,
 * usage window the hour clipped to the task's run, unblended cost 0, and the parent instance and AWS's split of the
 * instance-hour's cost in the split columns.
 *
 * <p>AWS's method, as its "Example of split cost allocation data" publishes it: each task's allocated vCPU and memory
 * is the larger of what it reserved and what it used; CPU and memory are weighted 9:1, so a unit of the instance's
 * cost is {@code cost / (9 × vCPU available + 1 × GB available)}, a vCPU-hour costs 9 units and a GB-hour 1; a task's
 * split cost per resource is its allocated usage at that price ({@code SplitUsageRatio} = allocated / available);
 * what no task allocated is the instance's unused cost, spread over the tasks in proportion to their allocated usage
 * of that resource. Here the cost is the instance-hour's amount as a reader gets it (with {@code commitments} its
 * amortized amount, as AWS uses), split exactly as the allocation contract's §5 splits money, so the split and unused
 * costs of an instance-hour sum to it to the last unit. Where the tasks together allocated more than the instance
 * has, what they allocated is the capacity (no unused cost). {@code PublicOnDemandSplitCost} and
 * {@code PublicOnDemandUnusedCost} are the same split of the instance-hour's public on-demand cost.
 *
 * <p>Reserved usage: the task's CPU units (1024 a vCPU; none for a task whose events carry no CPU) and its
 * service's memory (MiB), times its hours in the window; used: a draw per task-hour (CPU 5% to 140% of the
 * reservation, memory 30% to 105%). {@code ecs-tag-share} of the tasks carry the ECS-managed tags
 * ({@code aws:ecs:clusterName}, and {@code aws:ecs:serviceName} for a service's tasks: a job family's tasks are
 * not a service's); {@code unrecorded-task-share} of the tasks have no events at all.
 *
 * <p>Order: a quarter of the instance-hours have their split line items just before the instance's row, the others
 * come later among the hour's rows; so a reader cannot assume they follow their parent. All draws come from this
 * feature's own streams: the month's other rows are the same as without it.
 */
final class SplitCostAllocation {
    /** CPU's weight against memory's (1), AWS's published 9:1. */
    static final BigDecimal CPU_WEIGHT = BigDecimal.valueOf(9);
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);
    private static final double BEFORE_PARENT = 0.25;
    private static final double FLUSH = 0.5;

    /** One split line item, waiting for its place in the file. */
    private static final class Line {
        Model.Task task;
        Model.Instance parent;
        boolean cpu;
        long start;
        long end;
        BigDecimal reserved;
        BigDecimal actual;
        BigDecimal usage;
        BigDecimal ratio;
        long split;
        long unused;
        long publicSplit;
        long publicUnused;
    }

    private final BillLedger ledger;
    private final String invoiceMain;
    private final double ecsTagShare;
    private final double unrecordedShare;
    private final SplittableRandom taskRng;
    private final SplittableRandom usageRng;
    private final SplittableRandom orderRng;
    /** Its own row: the ledger's shared one may hold an instance row not written yet. */
    private final BillRow row = new BillRow();
    private final ArrayDeque<Line> pending = new ArrayDeque<>();
    private final List<Model.Task> running = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    long tasks;
    long unrecordedTasks;

    /** After planning (the invoice ids are known); {@code rng} is the feature's own stream. */
    SplitCostAllocation(Month month, BillLedger ledger, SplittableRandom rng) {
        this.ledger = ledger;
        this.invoiceMain = month.invoiceMain;
        this.ecsTagShare = month.spec.ecsTagShare();
        this.unrecordedShare = month.spec.unrecordedTaskShare();
        this.taskRng = rng.split();
        this.usageRng = rng.split();
        this.orderRng = rng.split();
    }

    /** A task placed on an EC2 instance (it will start): whether its events are written, whether it has ECS tags. */
    void placed(Model.Task t) {
        t.unrecorded = taskRng.nextDouble() < unrecordedShare;
        t.ecsTags = taskRng.nextDouble() < ecsTagShare;
        tasks++;
        if (t.unrecorded) {
            unrecordedTasks++;
        }
        if (t.host.hosted == null) {
            t.host.hosted = new ArrayList<>();
        }
        t.host.hosted.add(t);
    }

    /**
     * An instance-hour of {@code i} in {@code [from, to)}: its tasks' split line items, written now (just before
     * the instance's row) or queued for later in the hour.
     *
     * @param hours      the instance's hours in the window (its row's usage amount)
     * @param cost       the instance-hour's amount to split, in units
     * @param publicCost its public on-demand cost, in units
     */
    void instanceHour(Model.Instance i, long from, long to, BigDecimal hours, long cost, long publicCost)
            throws IOException {
        List<Model.Task> hosted = i.hosted;
        if (hosted == null) {
            return;
        }
        running.clear();
        for (Model.Task t : hosted) {
            if (Math.max(from, t.started) < end(t, to)) {
                running.add(t);
            }
        }
        hosted.removeIf(t -> t.stopped >= 0 && t.stopped <= to);
        if (running.isEmpty()) {
            return;
        }
        int n = running.size();
        BigDecimal[] cpu = new BigDecimal[n];
        BigDecimal[] mem = new BigDecimal[n];
        lines.clear();
        for (int k = 0; k < n; k++) {
            Model.Task t = running.get(k);
            Model.Service s = t.service;
            long start = Math.max(from, t.started);
            long end = end(t, to);
            BigDecimal hrs = BigDecimal.valueOf(end - start).divide(BigDecimal.valueOf(Times.HOUR), Amounts.SCALE,
                    RoundingMode.HALF_EVEN);
            BigDecimal vcpus = BigDecimal.valueOf(s.cpu).divide(MIB_PER_GIB);
            BigDecimal gib = BigDecimal.valueOf(s.memory).divide(MIB_PER_GIB);
            Line c = line(t, i, true, start, end, s.cpuMode == Model.CpuMode.NONE ? BigDecimal.ZERO : vcpus, vcpus,
                    hrs, 50 + usageRng.nextInt(1351));
            Line m = line(t, i, false, start, end, gib, gib, hrs, 300 + usageRng.nextInt(751));
            cpu[k] = c.usage;
            mem[k] = m.usage;
            lines.add(c);
            lines.add(m);
        }
        BigDecimal vcpuAvailable = BigDecimal.valueOf(i.type.vcpus()).multiply(hours);
        BigDecimal gbAvailable = BigDecimal.valueOf(i.type.memoryGib()).multiply(hours);
        Parts own = split(cost, vcpuAvailable, gbAvailable, cpu, mem);
        Parts pub = split(publicCost, vcpuAvailable, gbAvailable, cpu, mem);
        for (int k = 0; k < n; k++) {
            Line c = lines.get(2 * k);
            Line m = lines.get(2 * k + 1);
            c.split = own.cpuSplit[k];
            c.unused = own.cpuUnused[k];
            c.ratio = own.cpuRatio[k];
            c.publicSplit = pub.cpuSplit[k];
            c.publicUnused = pub.cpuUnused[k];
            m.split = own.memSplit[k];
            m.unused = own.memUnused[k];
            m.ratio = own.memRatio[k];
            m.publicSplit = pub.memSplit[k];
            m.publicUnused = pub.memUnused[k];
        }
        if (orderRng.nextDouble() < BEFORE_PARENT) {
            for (Line l : lines) {
                write(l);
            }
        } else {
            pending.addAll(lines);
        }
        lines.clear();
    }

    private static long end(Model.Task t, long to) {
        return t.stopped >= 0 ? Math.min(to, t.stopped) : to;
    }

    private static Line line(Model.Task t, Model.Instance i, boolean cpu, long start, long end, BigDecimal reservedPerHour,
                             BigDecimal usedBase, BigDecimal hrs, int usedPermille) {
        Line l = new Line();
        l.task = t;
        l.parent = i;
        l.cpu = cpu;
        l.start = start;
        l.end = end;
        l.reserved = reservedPerHour.multiply(hrs).setScale(Amounts.SCALE, RoundingMode.HALF_EVEN);
        l.actual = usedBase.multiply(hrs).multiply(BigDecimal.valueOf(usedPermille, 3))
                .setScale(Amounts.SCALE, RoundingMode.HALF_EVEN);
        l.usage = l.reserved.max(l.actual);
        return l;
    }

    /** Writes about half of the queued split line items (oldest first): they trickle in among the hour's rows. */
    void flushSome() throws IOException {
        int n = pending.size();
        for (int k = 0; k < n && !pending.isEmpty(); k++) {
            if (orderRng.nextDouble() >= FLUSH) {
                break;
            }
            write(pending.poll());
        }
    }

    /** Writes every queued split line item (at the end of the hour's usage rows). */
    void flushAll() throws IOException {
        while (!pending.isEmpty()) {
            write(pending.poll());
        }
    }

    private void write(Line l) throws IOException {
        Model.Task t = l.task;
        Model.Service s = t.service;
        String unit = l.cpu ? "vCPU-Hours" : "GB-Hours";
        row.usage("ecs_split", l.parent.account, Catalog.ECS, l.cpu ? Catalog.ECS_EC2_VCPU_HOURS
                        : Catalog.ECS_EC2_GB_HOURS, Catalog.ECS_TASK_EC2, l.parent.az,
                "USD 0.0 per " + unit + " for Amazon ECS tasks on EC2 instances (split cost allocation)", l.start,
                l.end, l.reserved, BigDecimal.ZERO.setScale(Amounts.SCALE), unit, t.arn, "Task", null, null);
        row.invoiceId = invoiceMain;
        row.parentResourceId = l.parent.id;
        row.reservedUsage = l.reserved;
        row.actualUsage = l.actual;
        row.splitUsage = l.usage;
        row.splitUsageRatio = l.ratio;
        row.splitCost = l.split;
        row.unusedCost = l.unused;
        row.publicOnDemandSplitCost = l.publicSplit;
        row.publicOnDemandUnusedCost = l.publicUnused;
        if (t.ecsTags) {
            row.ecsCluster = s.cluster.name;
            row.ecsService = s.job ? null : s.name;
        }
        ledger.cost(row);
    }

    /** One instance-hour's split, in units: per task, CPU and memory, split and unused cost; the usage ratios. */
    record Parts(long[] cpuSplit, long[] cpuUnused, long[] memSplit, long[] memUnused, BigDecimal[] cpuRatio,
                 BigDecimal[] memRatio) {
    }

    /**
     * AWS's split of an instance-hour's cost among the tasks on it, exact: every part of {@code cost} goes to a
     * task's split or unused cost, so they sum to {@code cost}.
     *
     * @param cost         units
     * @param vcpuHours    what the instance has in the window: vCPU-hours
     * @param gbHours      and GB-hours
     * @param cpuAllocated per task, its allocated vCPU-hours (max of reserved and used)
     * @param memAllocated per task, its allocated GB-hours
     */
    static Parts split(long cost, BigDecimal vcpuHours, BigDecimal gbHours, BigDecimal[] cpuAllocated,
                       BigDecimal[] memAllocated) {
        BigDecimal cpuUsed = sum(cpuAllocated);
        BigDecimal memUsed = sum(memAllocated);
        BigDecimal cpuCapacity = vcpuHours.max(cpuUsed);
        BigDecimal memCapacity = gbHours.max(memUsed);
        long[] byResource = splitUnits(cost, new BigDecimal[] {CPU_WEIGHT.multiply(cpuCapacity), memCapacity});
        int n = cpuAllocated.length;
        long[] cpu = splitUnits(byResource[0], withUnused(cpuAllocated, cpuCapacity.subtract(cpuUsed)));
        long[] mem = splitUnits(byResource[1], withUnused(memAllocated, memCapacity.subtract(memUsed)));
        long[] cpuSplit = java.util.Arrays.copyOf(cpu, n);
        long[] memSplit = java.util.Arrays.copyOf(mem, n);
        return new Parts(cpuSplit, splitUnits(cpu[n], cpuAllocated), memSplit, splitUnits(mem[n], memAllocated),
                ratios(cpuAllocated, cpuCapacity), ratios(memAllocated, memCapacity));
    }

    private static BigDecimal sum(BigDecimal[] values) {
        BigDecimal s = BigDecimal.ZERO;
        for (BigDecimal v : values) {
            s = s.add(v);
        }
        return s;
    }

    private static BigDecimal[] withUnused(BigDecimal[] allocated, BigDecimal unused) {
        BigDecimal[] w = java.util.Arrays.copyOf(allocated, allocated.length + 1);
        w[allocated.length] = unused;
        return w;
    }

    private static BigDecimal[] ratios(BigDecimal[] allocated, BigDecimal capacity) {
        BigDecimal[] r = new BigDecimal[allocated.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = capacity.signum() == 0 ? BigDecimal.ZERO.setScale(Amounts.SCALE)
                    : allocated[k].divide(capacity, Amounts.SCALE, RoundingMode.HALF_EVEN);
        }
        return r;
    }

    /**
     * Splits {@code units} by {@code weights} as the allocation contract's §5 splits money: each part rounded
     * half-even to a unit (10 decimal places), the remainder to the part of the largest weight (the first of equal
     * ones). Weights that sum to 0 count as equal.
     */
    static long[] splitUnits(long units, BigDecimal[] weights) {
        long[] parts = new long[weights.length];
        BigDecimal total = sum(weights);
        boolean equal = total.signum() == 0;
        if (equal) {
            total = BigDecimal.valueOf(weights.length);
        }
        BigDecimal whole = BigDecimal.valueOf(units);
        long given = 0;
        int largest = 0;
        for (int k = 0; k < weights.length; k++) {
            BigDecimal w = equal ? BigDecimal.ONE : weights[k];
            parts[k] = whole.multiply(w).divide(total, 0, RoundingMode.HALF_EVEN).longValueExact();
            given += parts[k];
            if (!equal && w.compareTo(weights[largest]) > 0) {
                largest = k;
            }
        }
        parts[largest] += units - given;
        return parts;
    }
}
