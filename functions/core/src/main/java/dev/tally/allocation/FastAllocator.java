package dev.tally.allocation;

import dev.tally.billing.BillStrings;
import dev.tally.billing.ByteInterner;
import dev.tally.billing.EcsSplit;
import dev.tally.billing.FastRows;
import dev.tally.history.EcsTask;
import dev.tally.money.ExactSplit;
import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The allocation rules of {@link Allocator} on ids and {@code long} money, for the fast path: no
 * object per row, splits by the one §5 rule on {@code long} units ({@link ExactSplit#split(long, long[], int,
 * long[])}, exact in 128 bits), per-resource facts looked up once,
 * and the CPU weights of a window reused by the next rows of the same instance and hour. Every split
 * is rounded exactly as the decimal path rounds it, and the end of the allocation (waiting parts,
 * shared charges, tables) is the same code ({@link AllocationLedger}), so both paths give the same
 * numbers. A row whose amount does not fit a long is handed to the decimal path.
 */
public final class FastAllocator implements FastRows {
    private static final byte UNKNOWN = 0;
    private static final byte INSTANCE = 1;
    private static final byte VOLUME = 2;
    private static final byte TASK = 3;
    private static final byte EMPTY = 4;
    private static final byte OTHER = 5;
    private static final Allocator.Rule[] RULES = Allocator.Rule.values();

    private final Allocator decimal;
    private final BillStrings strings;
    private PeriodIndex index;

    // per resource id, resolved on first sight
    private byte[] kind = new byte[1 << 12];
    private CpuTimeline[] timelines = new CpuTimeline[1 << 12];
    private int[][] timelineTargets = new int[1 << 12][];
    private int[] segmentHint = new int[1 << 12];
    private VolumeFacts[] volumes = new VolumeFacts[1 << 12];
    private int[] taskTarget = new int[1 << 12];
    private int[] lastTag = new int[1 << 12];

    // targets
    private final List<Target> targets = new ArrayList<>();
    private final Map<Target, Integer> targetIds = new HashMap<>();
    private final int unallocated;
    private int[] areaTargetOfTag = new int[256];
    private final Map<CpuTimeline, int[]> serviceTargets = new HashMap<>();

    // sums
    private final GridSums direct = new GridSums();
    private final LongSums untagged = new LongSums();
    private final LongSums awaiting = new LongSums();
    private long[][] shared = new long[64][];
    private int[] sharedCount = new int[64];
    private long total;
    private BigDecimal totalOverflow = BigDecimal.ZERO;
    private long lineItems;
    private boolean[] invoiceSeen = new boolean[64];
    private final long[] ruleCounts = new long[RULES.length];
    // the accrual (see Accrual): per product, the units of each day of the period and the fixed units
    private long[][] accruingDays = new long[64][];
    private long[] fixedUnits = new long[64];
    private long firstDay;
    private int days;
    private long usageThrough = Long.MIN_VALUE;

    // CPU-milliseconds per service of the last rule-1 window (and the services it touched); the next rows
    // of the same instance and window reuse them
    private int cachedResource = -1;
    private long cachedFrom;
    private long cachedTo;
    private long[] weights = new long[8];
    private int[] touched = new int[8];
    private int touchedCount;
    // the weights of the touched services in key order (the split's input, reused with the window), and the parts
    private long[] cpuWeights = new long[8];
    private long[] cpuParts = new long[8];

    // §9: the shared AwsSplit's name ids of this reader's ids (-1: not yet asked), and each split line item's
    // service by its task's resource id, with the tags it was found for
    private final AwsSplit awsSplit;
    private boolean keepsHostRows;
    private boolean decidesRuleOne;
    private final NameRefs productRef = new NameRefs();
    private final NameRefs resourceRef = new NameRefs();
    private final NameRefs tagRef = new NameRefs();
    private int[] splitService = refs(1 << 10);
    private long[] splitServiceTags = new long[1 << 10];

    public FastAllocator(HistoryByPeriod history, ProductAreaMap areas, BillStrings strings) {
        this(history, areas, strings, EcsSplit.EVENTS);
    }

    /** @param ecsSplit how rule 1 splits an ECS host instance (§9) */
    public FastAllocator(HistoryByPeriod history, ProductAreaMap areas, BillStrings strings, EcsSplit ecsSplit) {
        this.decimal = new Allocator(history, areas, ecsSplit);
        this.awsSplit = decimal.ledger().awsSplit;
        this.keepsHostRows = awsSplit.keepsHostRows();
        this.decidesRuleOne = awsSplit.decidesRuleOne();
        this.strings = strings;
        this.unallocated = target(Target.UNALLOCATED_TARGET);
        Arrays.fill(areaTargetOfTag, -1);
    }

    @Override
    public void onBillingPeriod(YearMonth period) {
        decimal.onBillingPeriod(period);
        index = decimal.index();
        firstDay = period.atDay(1).toEpochDay();
        days = period.lengthOfMonth();
    }

    @Override
    public void onSplitColumns() {
        decimal.onSplitColumns();
        keepsHostRows = awsSplit.keepsHostRows();
    }

    @Override
    public void onSplitRow(int parent, int task, int cluster, int service, long start, long end, long weight,
                           BigDecimal bigWeight) {
        awsSplit.addSplitLine(resourceRef.of(strings.resources(), parent), start, end,
                splitService(task, cluster, service), weight, bigWeight);
    }

    /** A split line item's service (see {@link AwsSplit#serviceOf}), looked up once per task and tags. */
    private int splitService(int task, int cluster, int service) {
        if (task >= splitService.length) {
            int size = Math.max(task + 1, splitService.length * 2);
            int old = splitService.length;
            splitService = Arrays.copyOf(splitService, size);
            Arrays.fill(splitService, old, size, -1);
            splitServiceTags = Arrays.copyOf(splitServiceTags, size);
        }
        long tags = LongSums.key(cluster, service);
        if (splitService[task] >= 0 && splitServiceTags[task] == tags) {
            return splitService[task];
        }
        String arn = strings.resources().string(task);
        ServiceKey key = AwsSplit.serviceOf(index.task(arn), arn, strings.tags().string(cluster),
                strings.tags().string(service));
        splitService[task] = awsSplit.service(key);
        splitServiceTags[task] = tags;
        return splitService[task];
    }

    private static int[] refs(int size) {
        int[] refs = new int[size];
        Arrays.fill(refs, -1);
        return refs;
    }

    /** The shared {@link AwsSplit}'s name ids of one table of this reader's ids, each asked once. */
    private final class NameRefs {
        private int[] refs = refs(256);

        int of(ByteInterner names, int id) {
            if (id >= refs.length) {
                int[] grown = refs(Math.max(id + 1, refs.length * 2));
                System.arraycopy(refs, 0, grown, 0, refs.length);
                refs = grown;
            }
            int ref = refs[id];
            if (ref < 0) {
                ref = refs[id] = awsSplit.name(names.string(id));
            }
            return ref;
        }
    }

    @Override
    public void onCostRow(int product, int resource, int tag, int invoice, boolean usage, long from, long to,
                          long amount, BigDecimal bigAmount) {
        if (index == null) {
            throw new IllegalStateException("billing period not set before the first cost line");
        }
        byte resourceKind = kind(resource);
        if (tag != ByteInterner.EMPTY && resourceKind == INSTANCE) {
            lastTag[resource] = tag;
        }
        if (bigAmount != null) {
            decimal.ledger().countLine(strings.invoices().string(invoice), bigAmount);
            decimal.ledger().accrual.add(strings.products().string(product), from, to, bigAmount);
            count(decimal.allocate(strings.products().string(product), strings.resources().string(resource),
                    strings.tags().string(tag), usage, from, to, bigAmount));
            return;
        }
        countLine(invoice, amount);
        accrue(product, from, to, amount);
        count(allocate(product, resource, resourceKind, tag, usage, from, to, amount));
    }

    /** Counts a row's rule; an instance's row left to AWS's split (null) is counted when it is placed. */
    private void count(Allocator.Rule rule) {
        if (rule != null) {
            ruleCounts[rule.ordinal()]++;
        }
    }

    private void countLine(int invoice, long amount) {
        long sum = total + amount;
        if (((total ^ sum) & (amount ^ sum)) < 0) {
            totalOverflow = totalOverflow.add(ScaledMoney.toBigDecimal(total)).add(ScaledMoney.toBigDecimal(amount));
            total = 0;
        } else {
            total = sum;
        }
        lineItems++;
        if (invoice >= invoiceSeen.length) {
            invoiceSeen = Arrays.copyOf(invoiceSeen, Math.max(invoice + 1, invoiceSeen.length * 2));
        }
        invoiceSeen[invoice] = true;
    }

    /** {@link Accrual#add} on units: a day's sum that would overflow is handed to the decimal accrual first. */
    private void accrue(int product, long from, long to, long amount) {
        if (product >= fixedUnits.length) {
            int size = Math.max(product + 1, fixedUnits.length * 2);
            fixedUnits = Arrays.copyOf(fixedUnits, size);
            accruingDays = Arrays.copyOf(accruingDays, size);
        }
        Accrual decimalAccrual = decimal.ledger().accrual;
        if (!Accrual.accrues(from, to)) {
            long sum = fixedUnits[product] + amount;
            if (((fixedUnits[product] ^ sum) & (amount ^ sum)) < 0) {
                decimalAccrual.addFixed(strings.products().string(product), ScaledMoney.toBigDecimal(amount));
            } else {
                fixedUnits[product] = sum;
            }
            return;
        }
        if (to > usageThrough) {
            usageThrough = to;
        }
        long day = Math.floorDiv(from, Accrual.DAY_MILLIS);
        int d = (int) Math.max(-1, Math.min(days, day - firstDay));
        if (d < 0 || d >= days) {
            decimalAccrual.addDayUnits(strings.products().string(product), day, amount);
            return;
        }
        long[] sums = accruingDays[product];
        if (sums == null) {
            sums = accruingDays[product] = new long[days];
        }
        long sum = sums[d] + amount;
        if (((sums[d] ^ sum) & (amount ^ sum)) < 0) {
            decimalAccrual.addDayUnits(strings.products().string(product), day, amount);
        } else {
            sums[d] = sum;
        }
    }

    private Allocator.Rule allocate(int product, int resource, byte resourceKind, int tag, boolean usage, long from,
                                    long to, long amount) {
        if (resourceKind == INSTANCE && keepsHostRows) {
            awsSplit.hostRow(productRef.of(strings.products(), product), resourceRef.of(strings.resources(), resource),
                    tag == ByteInterner.EMPTY ? AwsSplit.NONE : tagRef.of(strings.tags(), tag), from, to, amount, null);
            if (decidesRuleOne) {
                return null;
            }
        }
        if (resourceKind == INSTANCE && splitByCpu(product, resource, from, to, amount)) {
            return Allocator.Rule.ECS_HOST;
        }
        if (resourceKind == TASK) {
            direct.add(product, taskTarget[resource], amount);
            return Allocator.Rule.FARGATE_TASK;
        }
        if (tag != ByteInterner.EMPTY) {
            direct.add(product, areaTarget(tag), amount);
            return Allocator.Rule.OWN_TAG;
        }
        if (resourceKind == VOLUME && splitAttachedVolume(product, resource, from, to, amount)) {
            return Allocator.Rule.ATTACHED_VOLUME;
        }
        if (resourceKind == EMPTY && !usage) {
            addShared(product, amount);
            return Allocator.Rule.SHARED;
        }
        direct.add(product, unallocated, amount);
        untagged.add(LongSums.key(product, resource), amount);
        return Allocator.Rule.UNALLOCATED;
    }

    // ---- rule 1 ---------------------------------------------------------------------------------------

    /** Rule 1 over one window, with the split's weights of the previous row reused when it is the same. */
    private boolean splitByCpu(int product, int resource, long from, long to, long amount) {
        CpuTimeline timeline = timelines[resource];
        if (timeline == null) {
            return false;
        }
        if (resource != cachedResource || from != cachedFrom || to != cachedTo) {
            ensureCapacity(timeline.serviceCount());
            clearTouched();
            if (to > from) {
                int j = timeline.segmentAt(from, segmentHint[resource]);
                segmentHint[resource] = j;
                touchedCount = timeline.accumulate(from, to, j, weights, touched, 0);
            }
            inKeyOrder();
            cachedResource = resource;
            cachedFrom = from;
            cachedTo = to;
        }
        return touchedCount > 0 && split(product, timelineTargets[resource], amount);
    }

    /** Rule 1 over the windows of a volume's attachment to an instance. */
    private boolean splitByCpu(int product, int instance, long[] from, long[] to, int first, int windows,
                               long amount) {
        CpuTimeline timeline = timelines[instance];
        if (timeline == null) {
            return false;
        }
        ensureCapacity(timeline.serviceCount());
        clearTouched();
        cachedResource = -1;
        for (int w = first; w < first + windows; w++) {
            if (to[w] > from[w]) {
                touchedCount = timeline.accumulate(from[w], to[w], timeline.segmentAt(from[w], -1), weights,
                        touched, touchedCount);
            }
        }
        inKeyOrder();
        return touchedCount > 0 && split(product, timelineTargets[instance], amount);
    }

    private void ensureCapacity(int services) {
        if (weights.length < services) {
            clearTouched();
            weights = new long[services];
            touched = new int[services];
            cpuWeights = new long[services];
            cpuParts = new long[services];
        }
    }

    private void clearTouched() {
        for (int i = 0; i < touchedCount; i++) {
            weights[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    /**
     * Puts the touched services in index order, which is the services' sort order (the order §5 breaks
     * ties in), and their weights in that order.
     */
    private void inKeyOrder() {
        // insertion sort: a window touches a handful of services
        for (int i = 1; i < touchedCount; i++) {
            int service = touched[i];
            int k = i - 1;
            while (k >= 0 && touched[k] > service) {
                touched[k + 1] = touched[k];
                k--;
            }
            touched[k + 1] = service;
        }
        for (int i = 0; i < touchedCount; i++) {
            cpuWeights[i] = weights[touched[i]];
        }
    }

    /** Splits {@code amount} over the touched services, in key order. */
    private boolean split(int product, int[] targetsOf, long amount) {
        ExactSplit.split(amount, cpuWeights, touchedCount, cpuParts);
        for (int i = 0; i < touchedCount; i++) {
            direct.add(product, targetsOf[touched[i]], cpuParts[i]);
        }
        return true;
    }

    private int[] serviceTargets(CpuTimeline timeline) {
        int[] ids = serviceTargets.get(timeline);
        if (ids == null) {
            ids = new int[timeline.serviceCount()];
            for (int s = 0; s < ids.length; s++) {
                ServiceKey service = timeline.service(s);
                ids[s] = target(decimal.serviceTarget(service.cluster(), service.service()));
            }
            serviceTargets.put(timeline, ids);
        }
        return ids;
    }

    // ---- rule 4 ---------------------------------------------------------------------------------------

    /**
     * A volume's attachments, resolved once: ordered by instance id (the order the remainder rule
     * uses), each with its instance's resource id and group.
     */
    private static final class VolumeFacts {
        final long[] start;
        final long[] end;
        final int[] group;
        final int[] groupInstance;

        VolumeFacts(List<VolumeAttachment> list, ByteInterner resources) {
            List<VolumeAttachment> sorted = new ArrayList<>(list);
            sorted.sort(java.util.Comparator.comparing(VolumeAttachment::instanceId)); // stable: list order within
            int n = sorted.size();
            start = new long[n];
            end = new long[n];
            group = new int[n];
            int[] instances = new int[n];
            int groups = 0;
            for (int i = 0; i < n; i++) {
                VolumeAttachment a = sorted.get(i);
                start[i] = a.start();
                end[i] = a.end();
                if (i == 0 || !a.instanceId().equals(sorted.get(i - 1).instanceId())) {
                    instances[groups++] = resources.intern(a.instanceId());
                }
                group[i] = groups - 1;
            }
            groupInstance = Arrays.copyOf(instances, groups);
        }
    }

    // scratch for rule 4: the windows of a row's attachments, per instance group its attached time,
    // and the split's weights (the unattached part, then the attached groups) and parts
    private long[] windowFrom = new long[8];
    private long[] windowTo = new long[8];
    private int[] groupFirst = new int[8];
    private int[] groupWindows = new int[8];
    private long[] groupMillis = new long[8];
    private long[] volumeWeights = new long[9];
    private long[] volumeParts = new long[9];

    private boolean splitAttachedVolume(int product, int volume, long from, long to, long amount) {
        VolumeFacts v = volumes[volume];
        if (v == null || to <= from) {
            return false;
        }
        int n = v.start.length;
        int groups = v.groupInstance.length;
        if (windowFrom.length < n) {
            windowFrom = new long[n];
            windowTo = new long[n];
        }
        if (groupFirst.length < groups) {
            groupFirst = new int[groups];
            groupWindows = new int[groups];
            groupMillis = new long[groups];
            volumeWeights = new long[groups + 1];
            volumeParts = new long[groups + 1];
        }
        Arrays.fill(groupWindows, 0, groups, 0);
        Arrays.fill(groupMillis, 0, groups, 0L);
        long attached = 0;
        int windows = 0;
        for (int i = 0; i < n; i++) {
            long start = Math.max(from, v.start[i]);
            long end = Math.min(to, v.end[i]);
            if (end > start) {
                int g = v.group[i];
                if (groupWindows[g]++ == 0) {
                    groupFirst[g] = windows; // a group's attachments are adjacent, so are its windows
                }
                windowFrom[windows] = start;
                windowTo[windows] = end;
                windows++;
                groupMillis[g] += end - start;
                attached += end - start;
            }
        }
        if (windows == 0) {
            return false;
        }
        // weights in key order: the unattached part (the empty key) first, then the instances by id
        long unattached = (to - from) - attached;
        int count = 0;
        if (unattached > 0) {
            volumeWeights[count++] = unattached;
        }
        for (int g = 0; g < groups; g++) {
            if (groupWindows[g] > 0) {
                volumeWeights[count++] = groupMillis[g];
            }
        }
        ExactSplit.split(amount, volumeWeights, count, volumeParts);
        int k = 0;
        if (unattached > 0) {
            direct.add(product, unallocated, volumeParts[k++]);
        }
        for (int g = 0; g < groups; g++) {
            if (groupWindows[g] > 0) {
                long part = volumeParts[k++];
                int instance = v.groupInstance[g];
                kind(instance);
                if (decidesRuleOne) {
                    awsSplit.volumePart(productRef.of(strings.products(), product),
                            resourceRef.of(strings.resources(), instance), windowFrom, windowTo, groupFirst[g],
                            groupWindows[g], part, null);
                } else if (!splitByCpu(product, instance, windowFrom, windowTo, groupFirst[g], groupWindows[g],
                        part)) {
                    awaiting.add(LongSums.key(instance, product), part);
                }
            }
        }
        return true;
    }

    // ---- per-resource facts, targets, shared charges ---------------------------------------------------

    private byte kind(int resource) {
        if (resource < kind.length) {
            byte k = kind[resource];
            if (k != UNKNOWN) {
                return k;
            }
        }
        return resolveKind(resource);
    }

    /** The first sight of a resource: what it is, and its facts (kept apart so the row path stays small). */
    private byte resolveKind(int resource) {
        if (resource >= kind.length) {
            int size = Math.max(resource + 1, kind.length * 2);
            kind = Arrays.copyOf(kind, size);
            timelines = Arrays.copyOf(timelines, size);
            timelineTargets = Arrays.copyOf(timelineTargets, size);
            segmentHint = Arrays.copyOf(segmentHint, size);
            volumes = Arrays.copyOf(volumes, size);
            taskTarget = Arrays.copyOf(taskTarget, size);
            lastTag = Arrays.copyOf(lastTag, size);
        }
        byte k = kind[resource];
        if (k != UNKNOWN) {
            return k;
        }
        ByteInterner names = strings.resources();
        if (resource == ByteInterner.EMPTY) {
            k = EMPTY;
        } else if (names.startsWith(resource, "i-")) {
            k = INSTANCE;
            timelines[resource] = index.timeline(names.string(resource));
            if (timelines[resource] != null) {
                timelineTargets[resource] = serviceTargets(timelines[resource]);
            }
        } else {
            EcsTask task = index.task(names.string(resource));
            if (task != null) {
                k = TASK;
                taskTarget[resource] = target(decimal.serviceTarget(task.cluster(), task.service()));
            } else if (names.startsWith(resource, "vol-")) {
                k = VOLUME;
                List<VolumeAttachment> list = index.attachments(names.string(resource));
                volumes[resource] = list.isEmpty() ? null : new VolumeFacts(list, names);
            } else {
                k = OTHER;
            }
        }
        kind[resource] = k;
        return k;
    }

    private int target(Target target) {
        Integer id = targetIds.get(target);
        if (id == null) {
            id = targets.size();
            targets.add(target);
            targetIds.put(target, id);
        }
        return id;
    }

    private int areaTarget(int tag) {
        if (tag >= areaTargetOfTag.length) {
            int old = areaTargetOfTag.length;
            areaTargetOfTag = Arrays.copyOf(areaTargetOfTag, Math.max(tag + 1, old * 2));
            Arrays.fill(areaTargetOfTag, old, areaTargetOfTag.length, -1);
        }
        int id = areaTargetOfTag[tag];
        if (id < 0) {
            id = target(Target.area(strings.tags().string(tag)));
            areaTargetOfTag[tag] = id;
        }
        return id;
    }

    private void addShared(int product, long amount) {
        if (product >= shared.length) {
            shared = Arrays.copyOf(shared, Math.max(product + 1, shared.length * 2));
            sharedCount = Arrays.copyOf(sharedCount, shared.length);
        }
        long[] list = shared[product];
        if (list == null) {
            list = new long[16];
            shared[product] = list;
        } else if (sharedCount[product] == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
            shared[product] = list;
        }
        list[sharedCount[product]++] = amount;
    }

    // ---- the end ------------------------------------------------------------------------------------

    /** Hands everything to the shared ledger, then ends the allocation there. */
    public Allocation finish() {
        return part().finish();
    }

    /** Hands everything to the shared ledger, to be merged with the bill's other parts; call once, at the end. */
    public PartialAllocation part() {
        AllocationLedger ledger = decimal.ledger();
        ByteInterner products = strings.products();
        ByteInterner resources = strings.resources();
        ledger.total = ledger.total.add(totalOverflow).add(ScaledMoney.toBigDecimal(total));
        ledger.lineItems += lineItems;
        for (int invoice = 0; invoice < invoiceSeen.length; invoice++) {
            if (invoiceSeen[invoice]) {
                ledger.countInvoice(strings.invoices().string(invoice));
            }
        }
        for (int r = 0; r < RULES.length; r++) {
            if (ruleCounts[r] > 0) {
                ledger.rowsByRule.put(RULES[r], ruleCounts[r]);
            }
        }
        direct.forEach((product, target, amount) -> ledger.add(products.string(product), targets.get(target), amount));
        untagged.forEach((key, amount) -> ledger.untagged.merge(new Allocator.ProductResource(
                products.string(LongSums.high(key)), resources.string(LongSums.low(key))), amount, BigDecimal::add));
        awaiting.forEach((key, amount) -> ledger.awaitingInstanceTag.merge(new Allocator.ProductResource(
                products.string(LongSums.low(key)), resources.string(LongSums.high(key))), amount, BigDecimal::add));
        for (int r = 0; r < kind.length; r++) {
            if (kind[r] == INSTANCE && lastTag[r] != ByteInterner.EMPTY) {
                ledger.instanceTags.put(resources.string(r), strings.tags().string(lastTag[r]));
            }
        }
        for (int p = 0; p < fixedUnits.length; p++) {
            if (fixedUnits[p] != 0) {
                ledger.accrual.addFixed(products.string(p), ScaledMoney.toBigDecimal(fixedUnits[p]));
            }
            long[] sums = accruingDays[p];
            for (int d = 0; sums != null && d < sums.length; d++) {
                if (sums[d] != 0) {
                    ledger.accrual.addDayUnits(products.string(p), firstDay + d, sums[d]);
                }
            }
        }
        ledger.accrual.reach(usageThrough);
        for (int p = 0; p < shared.length; p++) {
            for (int i = 0; i < sharedCount[p]; i++) {
                ledger.shared.addUnits(products.string(p), shared[p][i]);
            }
        }
        return decimal.part();
    }
}
