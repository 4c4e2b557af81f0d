package dev.tally.allocation;

import dev.tally.billing.BillListener;
import dev.tally.billing.CostLine;
import dev.tally.history.EcsTask;
import dev.tally.history.History;
import dev.tally.money.ExactSplit;
import dev.tally.money.Money;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

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

    private final Function<YearMonth, History> history;
    private final ProductAreaMap areas;
    private final YearMonth periodOverride;

    private YearMonth period;
    private PeriodIndex index;
    private BigDecimal total = Money.ZERO;
    private long lineItems;
    private final TreeSet<String> invoiceIds = new TreeSet<>();
    private boolean allInvoicesFinal = true;
    private final Map<Rule, Long> rowsByRule = new EnumMap<>(Rule.class);

    private final Map<ProductTarget, BigDecimal> direct = new HashMap<>();
    private final Map<ProductResource, BigDecimal> untagged = new HashMap<>();
    private final Map<String, String> instanceTags = new HashMap<>();
    private final Map<ProductResource, BigDecimal> awaitingInstanceTag = new HashMap<>();
    private final SharedCharges shared = new SharedCharges();
    private final Map<ServiceKey, Target> serviceTargets = new HashMap<>();

    /**
     * @param periodOverride billing period to use instead of the one the bill states, or null
     */
    public Allocator(History history, ProductAreaMap areas, YearMonth periodOverride) {
        this(period -> history, areas, periodOverride);
    }

    /**
     * @param history        the history of a period, asked for once the bill's period is known
     *                       (e.g. {@code store::load})
     * @param periodOverride billing period to use instead of the one the bill states, or null
     */
    public Allocator(Function<YearMonth, History> history, ProductAreaMap areas, YearMonth periodOverride) {
        this.history = history;
        this.areas = areas;
        this.periodOverride = periodOverride;
    }

    @Override
    public void onBillingPeriod(YearMonth stated) {
        period = periodOverride != null ? periodOverride : stated;
        index = new PeriodIndex(history.apply(period), period);
    }

    @Override
    public void onCostLine(CostLine line) {
        if (index == null) {
            throw new IllegalStateException("billing period not set before the first cost line");
        }
        BigDecimal amount = line.cost();
        total = total.add(amount);
        lineItems++;
        String invoice = line.invoiceId();
        if (!invoice.isEmpty()) {
            invoiceIds.add(invoice);
        }
        if (allInvoicesFinal && !isFinalInvoiceId(invoice)) {
            allInvoicesFinal = false;
        }
        String resource = line.resourceId();
        String tag = line.tag();
        if (!tag.isEmpty() && isInstance(resource)) {
            instanceTags.put(resource, tag);
        }
        rowsByRule.merge(allocate(line.product(), resource, tag, line.usageStart(), line.usageEnd(), amount),
                1L, Long::sum);
    }

    private Rule allocate(String product, String resource, String tag, long from, long to, BigDecimal amount) {
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
        if (resource.isEmpty()) {
            shared.add(product, amount);
            return Rule.SHARED;
        }
        add(product, Target.UNALLOCATED_TARGET, amount);
        untagged.merge(new ProductResource(product, resource), amount, BigDecimal::add);
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
            if (!splitByCpu(product, key, starts, ends, part)) {
                awaitingInstanceTag.merge(new ProductResource(product, key), part, BigDecimal::add);
            }
        });
        return true;
    }

    private Target serviceTarget(String cluster, String service) {
        return serviceTargets.computeIfAbsent(new ServiceKey(cluster, service),
                key -> new Target(areas.areaOf(cluster, service), cluster, service));
    }

    private void add(String product, Target target, BigDecimal amount) {
        direct.merge(new ProductTarget(product, target), amount, BigDecimal::add);
    }

    private static boolean isInstance(String resource) {
        return resource.startsWith("i-");
    }

    /** An invoice id of a final bill is all digits; {@code Estimated} or empty means estimated. */
    static boolean isFinalInvoiceId(String invoiceId) {
        if (invoiceId.isEmpty()) {
            return false;
        }
        for (int i = 0; i < invoiceId.length(); i++) {
            if (!Character.isDigit(invoiceId.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Places the parts waiting for an instance's tag, spreads the shared charges, and returns the
     * period's allocation. Call once, after the whole bill has been read.
     */
    public Allocation finish() {
        awaitingInstanceTag.forEach((key, amount) -> {
            String tag = instanceTags.get(key.resource());
            add(key.product(), tag == null ? Target.UNALLOCATED_TARGET : Target.area(tag), amount);
        });
        awaitingInstanceTag.clear();

        Map<ProductTarget, BigDecimal> amounts = new HashMap<>(direct);
        spreadSharedCharges(amounts);

        BigDecimal sum = amounts.values().stream().reduce(Money.ZERO, BigDecimal::add);
        if (sum.compareTo(total) != 0) {
            throw new IllegalStateException("allocation lost money: allocated " + sum + " of " + total);
        }
        return new Allocation(period, lineItems, total, new ArrayList<>(invoiceIds),
                lineItems > 0 && allInvoicesFinal, amounts, untagged, new EnumMap<>(rowsByRule));
    }

    /**
     * §4: each shared charge of product P goes to the targets with a positive allocated cost of P;
     * when P has none (no cost, or only credits), to the targets with a positive allocated cost in
     * the period; when there are none either, to (unallocated). The base is the direct allocation
     * only: a shared charge never becomes the base of another. Charges of equal product and amount
     * split identically, so each such group is split once and multiplied by its count.
     */
    private void spreadSharedCharges(Map<ProductTarget, BigDecimal> amounts) {
        if (shared.isEmpty()) {
            return;
        }
        Map<String, SortedMap<Target, BigDecimal>> byProduct = new HashMap<>();
        SortedMap<Target, BigDecimal> all = new TreeMap<>();
        direct.forEach((key, amount) -> {
            byProduct.computeIfAbsent(key.product(), p -> new TreeMap<>()).merge(key.target(), amount, BigDecimal::add);
            all.merge(key.target(), amount, BigDecimal::add);
        });
        SortedMap<Target, BigDecimal> allPositive = positive(all);
        for (String product : shared.products()) {
            SortedMap<Target, BigDecimal> base = byProduct.get(product);
            SortedMap<Target, BigDecimal> productPositive = base == null ? new TreeMap<>() : positive(base);
            SortedMap<Target, BigDecimal> weights = productPositive.isEmpty() ? allPositive : productPositive;
            shared.forEachGroup(product, (amount, count) -> {
                BigDecimal times = BigDecimal.valueOf(count);
                if (weights.isEmpty()) {
                    amounts.merge(new ProductTarget(product, Target.UNALLOCATED_TARGET), amount.multiply(times),
                            BigDecimal::add);
                    return;
                }
                ExactSplit.split(amount, weights).forEach((target, part) ->
                        amounts.merge(new ProductTarget(product, target), part.multiply(times), BigDecimal::add));
            });
        }
    }

    private static SortedMap<Target, BigDecimal> positive(SortedMap<Target, BigDecimal> base) {
        SortedMap<Target, BigDecimal> positive = new TreeMap<>();
        base.forEach((target, amount) -> {
            if (amount.signum() > 0) {
                positive.put(target, amount);
            }
        });
        return positive;
    }

    /** Money for a target, from a product. */
    public record ProductTarget(String product, Target target) {
    }

    /** A resource of a product. */
    public record ProductResource(String product, String resource) {
    }
}
