package dev.tally.allocation;

import dev.tally.billing.BillListener;
import dev.tally.billing.CostLine;
import dev.tally.billing.EcsSplit;
import dev.tally.billing.SplitLine;
import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.money.ExactSplit;
import dev.tally.money.ScaledMoney;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Allocates a bill's cost line items as they stream by (allocation contract §3), then spreads the
 * shared charges (§4). Memory holds aggregates only: sums per (product, target), the last tag of
 * each instance, and shared charges grouped by (product, amount), never the rows.
 *
 * <p>Rule 4's fallback to an instance's tag needs "the last non-empty tag on that instance's rows in
 * the file", which may come after the volume's row; such parts are kept per (instance, product)
 * and placed once the whole file has been read.
 */
public final class Allocator implements BillListener {
    /** The allocation rule that placed a line item. */
    public enum Rule { ECS_HOST, FARGATE_TASK, OWN_TAG, ATTACHED_VOLUME, SHARED, UNALLOCATED }

    private static final String UNATTACHED = "";

    private final HistoryByPeriod history;
    private final ProductAreaMap areas;

    private YearMonth period;
    private PeriodIndex index;
    private final AllocationLedger ledger = new AllocationLedger();
    private final Map<ServiceKey, Target> serviceTargets = new HashMap<>();

    public Allocator(History history, ProductAreaMap areas) {
        this(new HistoryByPeriod(period -> history), areas);
    }

    /**
     * @param history the history of each period, asked for once the bill's period is known (shared by the
     *                allocators of a bill's parts)
     */
    public Allocator(HistoryByPeriod history, ProductAreaMap areas) {
        this(history, areas, EcsSplit.EVENTS);
    }

    /** @param ecsSplit how rule 1 splits an ECS host instance (§9) */
    public Allocator(HistoryByPeriod history, ProductAreaMap areas, EcsSplit ecsSplit) {
        this.history = history;
        this.areas = areas;
        ledger.awsSplit.mode = ecsSplit;
    }

    /** The period allocated, as the reader settled it (given, or the bill's own). */
    @Override
    public void onBillingPeriod(YearMonth period) {
        this.period = period;
        index = history.index(period);
    }

    @Override
    public void onSplitColumns() {
        ledger.awsSplit.columns = true;
    }

    @Override
    public void onSplitLine(SplitLine line) {
        AwsSplit split = ledger.awsSplit;
        ServiceKey service = AwsSplit.serviceOf(index.task(line.task()), line.task(), line.clusterTag(),
                line.serviceTag());
        long units = ScaledMoney.fromBigDecimal(line.weight());
        split.addSplitLine(split.name(line.parent()), line.usageStart(), line.usageEnd(), split.service(service),
                units, units == ScaledMoney.NOT_FAST ? line.weight() : null);
    }

    @Override
    public void onCostLine(CostLine line) {
        if (index == null) {
            throw new IllegalStateException("billing period not set before the first cost line");
        }
        ledger.countLine(line.invoiceId(), line.cost());
        ledger.accrual.add(line.product(), line.usageStart(), line.usageEnd(), line.cost());
        String resource = line.resourceId();
        String tag = line.tag();
        if (!tag.isEmpty() && isInstance(resource)) {
            ledger.instanceTags.put(resource, tag);
        }
        Rule rule = allocate(line.product(), resource, tag, line.usage(), line.usageStart(), line.usageEnd(),
                line.cost());
        if (rule != null) {
            ledger.countRule(rule);
        }
    }

    /** The period's resolved history (after {@link #onBillingPeriod}). */
    PeriodIndex index() {
        return index;
    }

    AllocationLedger ledger() {
        return ledger;
    }

    YearMonth period() {
        return period;
    }

    /**
     * Applies the first matching rule to one line item, adding to the ledger; counting the line and
     * tracking instance tags are the caller's.
     *
     * @return the rule, or null for an instance's row left to AWS's split at the end (§9; counted then)
     */
    Rule allocate(String product, String resource, String tag, boolean usage, long from, long to, BigDecimal amount) {
        if (isInstance(resource) && ledger.awsSplit.keepsHostRows()) {
            AwsSplit split = ledger.awsSplit;
            long units = ScaledMoney.fromBigDecimal(amount);
            split.hostRow(split.name(product), split.name(resource), tag.isEmpty() ? AwsSplit.NONE : split.name(tag),
                    from, to, units, units == ScaledMoney.NOT_FAST ? amount : null);
            if (split.decidesRuleOne()) {
                return null;
            }
        }
        if (isInstance(resource) && splitByCpu(product, resource, new long[] {from}, new long[] {to}, amount)) {
            return Rule.ECS_HOST;
        }
        EcsTask task = resource.isEmpty() ? null : index.task(resource);
        if (task != null) {
            add(product, serviceTarget(task.cluster(), task.service()), amount);
            return Rule.FARGATE_TASK;
        }
        if (!tag.isEmpty()) {
            add(product, Target.area(tag), amount);
            return Rule.OWN_TAG;
        }
        if (resource.startsWith("vol-") && splitAttachedVolume(product, resource, from, to, amount)) {
            return Rule.ATTACHED_VOLUME;
        }
        if (resource.isEmpty() && !usage) {
            ledger.shared.add(product, amount);
            return Rule.SHARED;
        }
        add(product, Target.UNALLOCATED_TARGET, amount);
        ledger.untagged.merge(new ProductResource(product, resource), amount, BigDecimal::add);
        return Rule.UNALLOCATED;
    }

    /**
     * Rule 1 over one or more windows: splits {@code amount} among the services that ran on the
     * instance by CPU-milliseconds.
     *
     * @return false (and allocates nothing) if no task ran on the instance in the windows
     */
    private boolean splitByCpu(String product, String instance, long[] from, long[] to, BigDecimal amount) {
        CpuTimeline timeline = index.timeline(instance);
        if (timeline == null) {
            return false;
        }
        long[] cpuMillis = new long[timeline.serviceCount()];
        boolean any = false;
        for (int w = 0; w < from.length; w++) {
            any |= timeline.accumulate(from[w], to[w], cpuMillis);
        }
        if (!any) {
            return false;
        }
        SortedMap<ServiceKey, BigDecimal> weights = new TreeMap<>();
        for (int s = 0; s < cpuMillis.length; s++) {
            if (cpuMillis[s] > 0) {
                weights.put(timeline.service(s), BigDecimal.valueOf(cpuMillis[s]));
            }
        }
        if (weights.isEmpty()) {
            return false;
        }
        ExactSplit.split(amount, weights).forEach((service, part) ->
                add(product, serviceTarget(service.cluster(), service.service()), part));
        return true;
    }

    /**
     * Rule 4: splits a volume's amount by attached duration among its instances; the unattached part
     * of the window stays with the volume as unallocated.
     */
    private boolean splitAttachedVolume(String product, String volume, long from, long to, BigDecimal amount) {
        if (to <= from) {
            return false;
        }
        Map<String, List<long[]>> overlaps = new TreeMap<>();
        long attached = 0;
        for (VolumeAttachment a : index.attachments(volume)) {
            long start = Math.max(from, a.start());
            long end = Math.min(to, a.end());
            if (end > start) {
                overlaps.computeIfAbsent(a.instanceId(), i -> new ArrayList<>()).add(new long[] {start, end});
                attached += end - start;
            }
        }
        if (overlaps.isEmpty()) {
            return false;
        }
        SortedMap<String, BigDecimal> weights = new TreeMap<>();
        long unattached = (to - from) - attached;
        if (unattached > 0) {
            weights.put(UNATTACHED, BigDecimal.valueOf(unattached));
        }
        overlaps.forEach((instance, windows) -> weights.put(instance,
                BigDecimal.valueOf(windows.stream().mapToLong(w -> w[1] - w[0]).sum())));
        ExactSplit.split(amount, weights).forEach((key, part) -> {
            if (key.equals(UNATTACHED)) {
                add(product, Target.UNALLOCATED_TARGET, part);
                return;
            }
            List<long[]> windows = overlaps.get(key);
            long[] starts = windows.stream().mapToLong(w -> w[0]).toArray();
            long[] ends = windows.stream().mapToLong(w -> w[1]).toArray();
            AwsSplit split = ledger.awsSplit;
            if (split.decidesRuleOne()) {
                long units = ScaledMoney.fromBigDecimal(part);
                split.volumePart(split.name(product), split.name(key), starts, ends, 0, starts.length, units,
                        units == ScaledMoney.NOT_FAST ? part : null);
            } else if (!splitByCpu(product, key, starts, ends, part)) {
                ledger.awaitingInstanceTag.merge(new ProductResource(product, key), part, BigDecimal::add);
            }
        });
        return true;
    }

    Target serviceTarget(String cluster, String service) {
        return serviceTargets.computeIfAbsent(new ServiceKey(cluster, service),
                key -> new Target(areas.areaOf(cluster, service), cluster, service));
    }

    private void add(String product, Target target, BigDecimal amount) {
        ledger.add(product, target, amount);
    }

    static boolean isInstance(String resource) {
        return resource.startsWith("i-");
    }

    /**
     * Places the parts waiting for an instance's tag, spreads the shared charges, and returns the
     * period's allocation. Call once, after the whole bill has been read.
     */
    public Allocation finish() {
        return part().finish();
    }

    /** What this allocator accumulated, to be merged with the bill's other parts; call once, at the end. */
    public PartialAllocation part() {
        return new PartialAllocation(period, ledger, index, areas);
    }

    /** Money for a target, from a product. */
    public record ProductTarget(String product, Target target) {
    }

    /** A resource of a product. */
    public record ProductResource(String product, String resource) {
    }
}
