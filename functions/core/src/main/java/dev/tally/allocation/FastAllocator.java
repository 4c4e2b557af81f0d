package dev.tally.allocation;

import dev.tally.billing.BillStrings;
import dev.tally.billing.ByteInterner;
import dev.tally.billing.FastRows;
import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The allocation rules of {@link Allocator} on ids and {@code long} money, for the fast path: no
 * object per row, 128-bit exact splits ({@link ScaledMoney#part}), per-resource facts looked up once,
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
    private List<VolumeAttachment>[] attachments = newAttachments(1 << 12);
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

    // CPU-milliseconds per service of the last rule-1 window (and the services it touched); the next rows
    // of the same instance and window reuse them
    private int cachedResource = -1;
    private long cachedFrom;
    private long cachedTo;
    private long[] weights = new long[8];
    private int[] touched = new int[8];
    private int touchedCount;

    public FastAllocator(Function<YearMonth, History> history, ProductAreaMap areas, YearMonth periodOverride,
                         BillStrings strings) {
        this.decimal = new Allocator(history, areas, periodOverride);
        this.strings = strings;
        this.unallocated = target(Target.UNALLOCATED_TARGET);
        Arrays.fill(areaTargetOfTag, -1);
    }

    @SuppressWarnings("unchecked")
    private static List<VolumeAttachment>[] newAttachments(int size) {
        return (List<VolumeAttachment>[]) new List<?>[size];
    }

    @Override
    public void onBillingPeriod(YearMonth period) {
        decimal.onBillingPeriod(period);
        index = decimal.index();
    }

    @Override
    public void onCostRow(int product, int resource, int tag, int invoice, long from, long to, long amount,
                          BigDecimal bigAmount) {
        if (index == null) {
            throw new IllegalStateException("billing period not set before the first cost line");
        }
        byte resourceKind = kind(resource);
        if (tag != ByteInterner.EMPTY && resourceKind == INSTANCE) {
            lastTag[resource] = tag;
        }
        if (bigAmount != null) {
            decimal.ledger().countLine(strings.invoices().string(invoice), bigAmount);
            ruleCounts[decimal.allocate(strings.products().string(product), strings.resources().string(resource),
                    strings.tags().string(tag), from, to, bigAmount).ordinal()]++;
            return;
        }
        countLine(invoice, amount);
        ruleCounts[allocate(product, resource, resourceKind, tag, from, to, amount).ordinal()]++;
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

    private Allocator.Rule allocate(int product, int resource, byte resourceKind, int tag, long from, long to,
                                    long amount) {
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
        if (resourceKind == EMPTY) {
            addShared(product, amount);
            return Allocator.Rule.SHARED;
        }
        direct.add(product, unallocated, amount);
        untagged.add(LongSums.key(product, resource), amount);
        return Allocator.Rule.UNALLOCATED;
    }

    // ---- rule 1 ---------------------------------------------------------------------------------------

    /** Rule 1 over one window, with the weights of the previous row reused when it is the same. */
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
            cachedResource = resource;
            cachedFrom = from;
            cachedTo = to;
        }
        return touchedCount > 0 && split(product, timelineTargets[resource], amount);
    }

    /** Rule 1 over the windows of a volume's attachment to an instance. */
    private boolean splitByCpu(int product, int instance, long[] from, long[] to, int windows, long amount) {
        CpuTimeline timeline = timelines[instance];
        if (timeline == null) {
            return false;
        }
        ensureCapacity(timeline.serviceCount());
        clearTouched();
        cachedResource = -1;
        for (int w = 0; w < windows; w++) {
            if (to[w] > from[w]) {
                touchedCount = timeline.accumulate(from[w], to[w], timeline.segmentAt(from[w], -1), weights,
                        touched, touchedCount);
            }
        }
        return touchedCount > 0 && split(product, timelineTargets[instance], amount);
    }

    private void ensureCapacity(int services) {
        if (weights.length < services) {
            clearTouched();
            weights = new long[services];
            touched = new int[services];
        }
    }

    private void clearTouched() {
        for (int i = 0; i < touchedCount; i++) {
            weights[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    /**
     * Splits {@code amount} over the touched services (in index order, which is the services' sort
     * order), remainder to the largest weight, first of equals.
     */
    private boolean split(int product, int[] targetsOf, long amount) {
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
        long sum = 0;
        int largest = -1;
        for (int i = 0; i < touchedCount; i++) {
            int s = touched[i];
            long w = weights[s];
            sum = Math.addExact(sum, w);
            if (largest < 0 || w > weights[largest]) {
                largest = s;
            }
        }
        long assigned = 0;
        for (int i = 0; i < touchedCount; i++) {
            int s = touched[i];
            long part = ScaledMoney.part(amount, weights[s], sum);
            assigned += part;
            direct.add(product, targetsOf[s], part);
        }
        long remainder = amount - assigned;
        if (remainder != 0) {
            direct.add(product, targetsOf[largest], remainder);
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

    private boolean splitAttachedVolume(int product, int volume, long from, long to, long amount) {
        List<VolumeAttachment> list = attachments[volume];
        if (list == null || to <= from) {
            return false;
        }
        // per instance: attached milliseconds and windows, instances in string order
        List<String> instances = new ArrayList<>(2);
        List<long[]> windows = new ArrayList<>(2);
        long attached = 0;
        for (VolumeAttachment a : list) {
            long start = Math.max(from, a.start());
            long end = Math.min(to, a.end());
            if (end > start) {
                int at = instances.indexOf(a.instanceId());
                if (at < 0) {
                    at = insertionPoint(instances, a.instanceId());
                    instances.add(at, a.instanceId());
                    windows.add(at, new long[0]);
                }
                long[] w = windows.get(at);
                long[] grown = Arrays.copyOf(w, w.length + 2);
                grown[w.length] = start;
                grown[w.length + 1] = end;
                windows.set(at, grown);
                attached += end - start;
            }
        }
        if (instances.isEmpty()) {
            return false;
        }
        long unattached = (to - from) - attached;
        int keys = instances.size() + (unattached > 0 ? 1 : 0);
        long[] weights = new long[keys];
        int k = 0;
        if (unattached > 0) {
            weights[k++] = unattached;
        }
        for (long[] w : windows) {
            long ms = 0;
            for (int i = 0; i < w.length; i += 2) {
                ms += w[i + 1] - w[i];
            }
            weights[k++] = ms;
        }
        long sum = 0;
        int largest = 0;
        for (int i = 0; i < keys; i++) {
            sum += weights[i];
            if (weights[i] > weights[largest]) {
                largest = i;
            }
        }
        long[] parts = new long[keys];
        long assigned = 0;
        for (int i = 0; i < keys; i++) {
            parts[i] = ScaledMoney.part(amount, weights[i], sum);
            assigned += parts[i];
        }
        parts[largest] += amount - assigned;
        k = 0;
        if (unattached > 0) {
            direct.add(product, unallocated, parts[k++]);
        }
        for (int i = 0; i < instances.size(); i++, k++) {
            int instance = strings.resources().intern(instances.get(i));
            kind(instance);
            long[] w = windows.get(i);
            int count = w.length / 2;
            long[] starts = new long[count];
            long[] ends = new long[count];
            for (int j = 0; j < count; j++) {
                starts[j] = w[2 * j];
                ends[j] = w[2 * j + 1];
            }
            if (!splitByCpu(product, instance, starts, ends, count, parts[k])) {
                awaiting.add(LongSums.key(instance, product), parts[k]);
            }
        }
        return true;
    }

    private static int insertionPoint(List<String> sorted, String value) {
        int at = 0;
        while (at < sorted.size() && sorted.get(at).compareTo(value) < 0) {
            at++;
        }
        return at;
    }

    // ---- per-resource facts, targets, shared charges ---------------------------------------------------

    private byte kind(int resource) {
        if (resource >= kind.length) {
            int size = Math.max(resource + 1, kind.length * 2);
            kind = Arrays.copyOf(kind, size);
            timelines = Arrays.copyOf(timelines, size);
            timelineTargets = Arrays.copyOf(timelineTargets, size);
            segmentHint = Arrays.copyOf(segmentHint, size);
            attachments = Arrays.copyOf(attachments, size);
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
                attachments[resource] = list.isEmpty() ? null : list;
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
        for (int p = 0; p < shared.length; p++) {
            for (int i = 0; i < sharedCount[p]; i++) {
                ledger.shared.addUnits(products.string(p), shared[p][i]);
            }
        }
        return decimal.finish();
    }

    /** The period's index once known (for the reader's period override). */
    YearMonth period() {
        return decimal.period();
    }
}
