package dev.tally.allocation;

import dev.tally.billing.EcsSplit;
import dev.tally.history.EcsTask;
import dev.tally.money.ExactSplit;
import dev.tally.money.ScaledMoney;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Rule 1 by AWS's own split (allocation contract §9), and the comparison of both forms of rule 1, for both engines.
 *
 * <p>A host instance's row can be read before the split line items of its window (a bill is in no order), so the
 * rows whose allocation depends on them wait here: under {@code --ecs-split aws} every cost row of an EC2 instance
 * and every part of a volume attached to one; under {@code events}, when the bill has split columns, the instances'
 * rows again, only for the comparison. The split line items are kept as weights per (instance, window, service),
 * adjacent equal keys summed as they come. Everything is ids and {@code long} units, so a month of host rows costs
 * a few dozen bytes each; the split is the one §5 rule ({@link ExactSplit}). {@link #resolve} places the waiting
 * rows once the whole bill (every part) has been read.
 */
final class AwsSplit {
    /** The service of a split line item whose task the history does not know and whose row names none. */
    static final String UNKNOWN_SERVICE = "(unknown)";
    static final int NONE = -1;

    private static final byte HOST = 0;
    private static final byte VOLUME_PART = 1;
    /** Another window of the volume part before it (a volume attached to the instance more than once). */
    private static final byte WINDOW = 2;

    EcsSplit mode = EcsSplit.EVENTS;
    /** Whether the bill's header has the split columns. */
    boolean columns;
    long splitLineItems;

    // names (products, instances, tags) and services, by id
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new HashMap<>();
    private final List<ServiceKey> services = new ArrayList<>();
    private final Map<ServiceKey, Integer> serviceIds = new HashMap<>();

    // the split line items' weights, per instance (by name id)
    private Weights[] weights = new Weights[64];

    // the waiting rows
    private int rows;
    private int[] product = new int[1024];
    private int[] instance = new int[1024];
    private int[] tag = new int[1024];
    private long[] from = new long[1024];
    private long[] to = new long[1024];
    private long[] amount = new long[1024];
    private byte[] kind = new byte[1024];
    /** Amounts that do not fit a long, by row ({@link ScaledMoney#NOT_FAST} in {@link #amount}). */
    private final Map<Integer, BigDecimal> bigAmounts = new HashMap<>();

    /** Whether an instance's rows wait here (see the class comment). */
    boolean keepsHostRows() {
        return mode == EcsSplit.AWS || columns;
    }

    /** Whether rule 1 and rule 4's instance parts are placed here, at the end, rather than as rows come. */
    boolean decidesRuleOne() {
        return mode == EcsSplit.AWS;
    }

    int name(String text) {
        Integer id = nameIds.get(text);
        if (id == null) {
            id = names.size();
            names.add(text);
            nameIds.put(text, id);
        }
        return id;
    }

    int service(ServiceKey key) {
        Integer id = serviceIds.get(key);
        if (id == null) {
            id = services.size();
            services.add(key);
            serviceIds.put(key, id);
        }
        return id;
    }

    /**
     * A split line item's service: its task's from the history when the history knows the task ARN; else the row's
     * {@code aws:ecs:clusterName} and {@code aws:ecs:serviceName} tags (a missing cluster tag taken from the ARN);
     * else the cluster in the ARN and {@value #UNKNOWN_SERVICE}.
     */
    static ServiceKey serviceOf(EcsTask known, String taskArn, String clusterTag, String serviceTag) {
        if (known != null) {
            return new ServiceKey(known.cluster(), known.service());
        }
        String cluster = clusterTag.isEmpty() ? clusterOfArn(taskArn) : clusterTag;
        return new ServiceKey(cluster, serviceTag.isEmpty() ? UNKNOWN_SERVICE : serviceTag);
    }

    /**
     * The cluster in a task ARN ({@code arn:aws:ecs:region:account:task/CLUSTER/ID}); {@value #UNKNOWN_SERVICE} for
     * the old form without one.
     */
    static String clusterOfArn(String taskArn) {
        int task = taskArn.indexOf(":task/");
        if (task < 0) {
            return UNKNOWN_SERVICE;
        }
        int slash = taskArn.indexOf('/', task + 6);
        return slash < 0 ? UNKNOWN_SERVICE : taskArn.substring(task + 6, slash);
    }

    /** A split line item's weight for a service over [start, end) on an instance (name id). */
    void addSplitLine(int parent, long start, long end, int service, long units, BigDecimal bigUnits) {
        splitLineItems++;
        addWeight(parent, start, end, service, units, bigUnits);
    }

    private void addWeight(int parent, long start, long end, int service, long units, BigDecimal bigUnits) {
        if (parent >= weights.length) {
            weights = Arrays.copyOf(weights, Math.max(parent + 1, weights.length * 2));
        }
        Weights w = weights[parent];
        if (w == null) {
            w = weights[parent] = new Weights();
        }
        w.add(start, end, service, units, bigUnits);
    }

    /** An instance's own cost row (ids from {@link #name}; {@code tagId} {@link #NONE} when it has none). */
    void hostRow(int productId, int instanceId, int tagId, long start, long end, long units, BigDecimal bigUnits) {
        append(HOST, productId, instanceId, tagId, start, end, units, bigUnits);
    }

    /** A volume's part for an instance over one or more windows (rule 4), placed by rule 1 at the end. */
    void volumePart(int productId, int instanceId, long[] starts, long[] ends, int first, int count, long units,
                    BigDecimal bigUnits) {
        append(VOLUME_PART, productId, instanceId, NONE, starts[first], ends[first], units, bigUnits);
        for (int w = first + 1; w < first + count; w++) {
            append(WINDOW, productId, instanceId, NONE, starts[w], ends[w], 0, null);
        }
    }

    private void append(byte rowKind, int productId, int instanceId, int tagId, long start, long end, long units,
                        BigDecimal bigUnits) {
        if (rows == kind.length) {
            int size = rows * 2;
            product = Arrays.copyOf(product, size);
            instance = Arrays.copyOf(instance, size);
            tag = Arrays.copyOf(tag, size);
            from = Arrays.copyOf(from, size);
            to = Arrays.copyOf(to, size);
            amount = Arrays.copyOf(amount, size);
            kind = Arrays.copyOf(kind, size);
        }
        product[rows] = productId;
        instance[rows] = instanceId;
        tag[rows] = tagId;
        from[rows] = start;
        to[rows] = end;
        kind[rows] = rowKind;
        if (bigUnits != null) {
            amount[rows] = ScaledMoney.NOT_FAST;
            bigAmounts.put(rows, bigUnits);
        } else {
            amount[rows] = units;
        }
        rows++;
    }

    /** Adds what a later part of the same bill kept (its ids mapped to this one's). */
    void absorb(AwsSplit later) {
        if (later.mode == EcsSplit.AWS) {
            mode = EcsSplit.AWS;
        }
        columns |= later.columns;
        splitLineItems += later.splitLineItems;
        int[] nameMap = new int[later.names.size()];
        for (int i = 0; i < nameMap.length; i++) {
            nameMap[i] = name(later.names.get(i));
        }
        int[] serviceMap = new int[later.services.size()];
        for (int i = 0; i < serviceMap.length; i++) {
            serviceMap[i] = service(later.services.get(i));
        }
        for (int i = 0; i < later.weights.length; i++) {
            Weights w = later.weights[i];
            for (int e = 0; w != null && e < w.count; e++) {
                addWeight(nameMap[i], w.start[e], w.end[e], serviceMap[w.service[e]], w.units[e], w.big(e));
            }
        }
        for (int r = 0; r < later.rows; r++) {
            append(later.kind[r], nameMap[later.product[r]], nameMap[later.instance[r]],
                    later.tag[r] == NONE ? NONE : nameMap[later.tag[r]], later.from[r], later.to[r], later.amount[r],
                    later.bigAmounts.get(r));
        }
    }

    /** Whether rows wait to be placed by rule 1, which needs the period's history. */
    boolean waitsForHistory() {
        return rows > 0;
    }

    // ---- the encoding of a part (PartialAllocationCodec) ----------------------------------------------

    void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("mode", mode.id());
        out.writeBooleanField("columns", columns);
        out.writeNumberField("splitLineItems", splitLineItems);
        out.writeArrayFieldStart("names");
        for (String name : names) {
            out.writeString(name);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("services");
        for (ServiceKey key : services) {
            out.writeStartArray();
            out.writeString(key.cluster());
            out.writeString(key.service());
            out.writeEndArray();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("weights");
        for (int i = 0; i < weights.length; i++) {
            Weights w = weights[i];
            if (w == null) {
                continue;
            }
            out.writeStartObject();
            out.writeNumberField("instance", i);
            longs(out, "start", w.start, w.count);
            longs(out, "end", w.end, w.count);
            out.writeFieldName("service");
            out.writeArray(w.service, 0, w.count);
            longs(out, "units", w.units, w.count);
            bigs(out, w.bigs);
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeFieldName("kind");
        int[] kinds = new int[rows];
        for (int r = 0; r < rows; r++) {
            kinds[r] = kind[r];
        }
        out.writeArray(kinds, 0, rows);
        out.writeFieldName("product");
        out.writeArray(product, 0, rows);
        out.writeFieldName("instance");
        out.writeArray(instance, 0, rows);
        out.writeFieldName("tag");
        out.writeArray(tag, 0, rows);
        longs(out, "from", from, rows);
        longs(out, "to", to, rows);
        longs(out, "amount", amount, rows);
        bigs(out, bigAmounts);
        out.writeEndObject();
    }

    private static void longs(JsonGenerator out, String field, long[] values, int count) throws IOException {
        out.writeFieldName(field);
        out.writeArray(values, 0, count);
    }

    private static void bigs(JsonGenerator out, Map<Integer, BigDecimal> bigs) throws IOException {
        out.writeArrayFieldStart("big");
        if (bigs != null) {
            for (Map.Entry<Integer, BigDecimal> e : new TreeMap<>(bigs).entrySet()) {
                out.writeStartArray();
                out.writeString(e.getKey().toString());
                out.writeString(e.getValue().toString());
                out.writeEndArray();
            }
        }
        out.writeEndArray();
    }

    /** Reads what {@link #write} wrote into this (empty) split; the parser is just before the object. */
    void read(JsonParser in) throws IOException {
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.START_OBJECT, in);
        mode = EcsSplit.parse(PartialAllocationCodec.text(in, "mode"));
        PartialAllocationCodec.field(in, "columns");
        columns = in.nextToken() == JsonToken.VALUE_TRUE;
        PartialAllocationCodec.field(in, "splitLineItems");
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.VALUE_NUMBER_INT, in);
        splitLineItems = in.getLongValue();
        for (List<String> name : PartialAllocationCodec.entries(in, "names", 0)) {
            name(name.get(0));
        }
        for (List<String> key : PartialAllocationCodec.entries(in, "services", 2)) {
            service(new ServiceKey(key.get(0), key.get(1)));
        }
        PartialAllocationCodec.field(in, "weights");
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.START_ARRAY, in);
        while (in.nextToken() == JsonToken.START_OBJECT) {
            PartialAllocationCodec.field(in, "instance");
            PartialAllocationCodec.expect(in.nextToken(), JsonToken.VALUE_NUMBER_INT, in);
            int id = in.getIntValue();
            long[] start = longs(in, "start");
            long[] end = longs(in, "end");
            long[] service = longs(in, "service");
            long[] units = longs(in, "units");
            Map<Integer, BigDecimal> big = readBigs(in);
            for (int e = 0; e < start.length; e++) {
                addWeight(id, start[e], end[e], (int) service[e], units[e], big.get(e));
            }
            PartialAllocationCodec.expect(in.nextToken(), JsonToken.END_OBJECT, in);
        }
        long[] kinds = longs(in, "kind");
        long[] products = longs(in, "product");
        long[] instances = longs(in, "instance");
        long[] tags = longs(in, "tag");
        long[] starts = longs(in, "from");
        long[] ends = longs(in, "to");
        long[] amounts = longs(in, "amount");
        Map<Integer, BigDecimal> big = readBigs(in);
        for (int r = 0; r < kinds.length; r++) {
            append((byte) kinds[r], (int) products[r], (int) instances[r], (int) tags[r], starts[r], ends[r],
                    amounts[r], big.get(r));
        }
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.END_OBJECT, in);
    }

    private static long[] longs(JsonParser in, String field) throws IOException {
        PartialAllocationCodec.field(in, field);
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.START_ARRAY, in);
        long[] values = new long[64];
        int n = 0;
        while (in.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = in.getLongValue();
        }
        PartialAllocationCodec.expect(in.currentToken(), JsonToken.END_ARRAY, in);
        return Arrays.copyOf(values, n);
    }

    private static Map<Integer, BigDecimal> readBigs(JsonParser in) throws IOException {
        Map<Integer, BigDecimal> big = new HashMap<>();
        for (List<String> e : PartialAllocationCodec.entries(in, "big", 2)) {
            big.put(Integer.parseInt(e.get(0)), new BigDecimal(e.get(1)));
        }
        return big;
    }

    // ---- the end --------------------------------------------------------------------------------------

    /**
     * Places the waiting rows (under {@code aws}) in the ledger and returns the comparison of both forms of rule 1,
     * or null when the bill has no split line items. Call once, after every part has been absorbed, before the
     * ledger places the parts waiting for an instance's tag.
     */
    EcsSplitComparison resolve(AllocationLedger ledger, PeriodIndex index, ProductAreaMap areas) {
        if (rows == 0) {
            return splitLineItems > 0 || mode == EcsSplit.AWS ? EcsSplitComparison.of(mode, splitLineItems, List.of())
                    : null;
        }
        if (index == null) {
            throw new IllegalStateException("host rows wait for the history, but none was given to finish with");
        }
        for (Weights w : weights) {
            if (w != null) {
                w.settle();
            }
        }
        Resolution resolution = new Resolution(ledger, index, areas);
        resolution.run();
        rows = 0;
        return splitLineItems > 0 || mode == EcsSplit.AWS ? resolution.comparison() : null;
    }

    /** One resolution: scratch space, caches and the sums it hands to the ledger. */
    private final class Resolution {
        private final AllocationLedger ledger;
        private final PeriodIndex index;
        private final ProductAreaMap areas;
        private final boolean allocates = decidesRuleOne();
        /** Each service's rank in key order (the order §5 breaks ties in). */
        private final int[] rank;
        private final Target[] serviceTargets;
        private final Map<CpuTimeline, int[]> timelineServices = new HashMap<>();
        // per service: the weights of the current row's windows (AWS, CPU), which services they touch, in key order
        private final long[] awsWeight;
        private final long[] cpuWeight;
        private final int[] awsTouched;
        private final int[] cpuTouched;
        private int awsCount;
        private int cpuCount;
        private boolean awsBig;
        private long[] ordered;
        private long[] parts;
        // the windows of the current row, and those the weights were last found for
        private long[] starts = new long[4];
        private long[] ends = new long[4];
        private int windows;
        private int cachedInstance = -1;
        private long cachedFrom;
        private long cachedTo;
        private boolean cacheable;
        // sums
        private final Map<Allocator.ProductTarget, BigDecimal> placed = new HashMap<>();
        private final LongSums placedUnits = new LongSums();
        private final List<Target> targets = new ArrayList<>();
        private final Map<Target, Integer> targetIds = new HashMap<>();
        private final long[] eventsUnits;
        private final long[] awsUnits;
        private final BigDecimal[] eventsExtra;
        private final BigDecimal[] awsExtra;
        private final boolean[] compared;
        private final long[] rules = new long[Allocator.Rule.values().length];

        Resolution(AllocationLedger ledger, PeriodIndex index, ProductAreaMap areas) {
            this.ledger = ledger;
            this.index = index;
            this.areas = areas;
            // the services of the CPU timelines join the list first, so the arrays below hold every service
            for (int r = 0; r < rows; r++) {
                if (kind[r] != WINDOW) {
                    CpuTimeline timeline = index.timeline(names.get(instance[r]));
                    if (timeline != null) {
                        timelineServices.computeIfAbsent(timeline, this::ids);
                    }
                }
            }
            int n = services.size();
            Integer[] byKey = new Integer[n];
            for (int s = 0; s < n; s++) {
                byKey[s] = s;
            }
            Arrays.sort(byKey, (a, b) -> services.get(a).compareTo(services.get(b)));
            rank = new int[n];
            for (int i = 0; i < n; i++) {
                rank[byKey[i]] = i;
            }
            serviceTargets = new Target[n];
            for (int s = 0; s < n; s++) {
                ServiceKey key = services.get(s);
                serviceTargets[s] = new Target(areas.areaOf(key.cluster(), key.service()), key.cluster(),
                        key.service());
            }
            awsWeight = new long[n];
            cpuWeight = new long[n];
            awsTouched = new int[n];
            cpuTouched = new int[n];
            ordered = new long[n];
            parts = new long[n];
            eventsUnits = new long[n];
            awsUnits = new long[n];
            eventsExtra = new BigDecimal[n];
            awsExtra = new BigDecimal[n];
            compared = new boolean[n];
        }

        private int[] ids(CpuTimeline timeline) {
            int[] ids = new int[timeline.serviceCount()];
            for (int s = 0; s < ids.length; s++) {
                ids[s] = service(timeline.service(s));
            }
            return ids;
        }

        void run() {
            for (int r = 0; r < rows; r++) {
                if (kind[r] == WINDOW) {
                    continue;
                }
                windows = 0;
                window(from[r], to[r]);
                for (int w = r + 1; w < rows && kind[w] == WINDOW; w++) {
                    window(from[w], to[w]);
                }
                findWeights(instance[r]);
                if (kind[r] == HOST) {
                    host(r);
                } else {
                    volumePart(r);
                }
            }
            placedUnits.forEach((key, sum) -> placed.merge(new Allocator.ProductTarget(names.get(LongSums.high(key)),
                    targets.get(LongSums.low(key))), sum, BigDecimal::add));
            placed.forEach((key, sum) -> ledger.add(key.product(), key.target(), sum));
            Allocator.Rule[] all = Allocator.Rule.values();
            for (int i = 0; i < rules.length; i++) {
                if (rules[i] > 0) {
                    ledger.rowsByRule.merge(all[i], rules[i], Long::sum);
                }
            }
        }

        private void window(long start, long end) {
            if (windows == starts.length) {
                starts = Arrays.copyOf(starts, windows * 2);
                ends = Arrays.copyOf(ends, windows * 2);
            }
            starts[windows] = start;
            ends[windows] = end;
            windows++;
        }

        /** An instance's own row: rule 1 by the mode's form (then the rest of §3), and both forms compared. */
        private void host(int r) {
            boolean byAws = awsCount > 0;
            boolean byCpu = cpuCount > 0;
            String productName = names.get(product[r]);
            if (byCpu) {
                split(r, cpuTouched, cpuCount, cpuWeight, false, eventsUnits, eventsExtra);
            }
            if (byAws) {
                split(r, awsTouched, awsCount, awsWeight, awsBig, awsUnits, awsExtra);
            }
            if (!allocates) {
                return;
            }
            if (byAws || byCpu) {
                rules[Allocator.Rule.ECS_HOST.ordinal()]++;
                if (byAws) {
                    place(r, awsTouched, awsCount, awsWeight, awsBig);
                } else {
                    place(r, cpuTouched, cpuCount, cpuWeight, false);
                }
            } else if (tag[r] != NONE) {
                rules[Allocator.Rule.OWN_TAG.ordinal()]++;
                add(r, Target.area(names.get(tag[r])));
            } else {
                rules[Allocator.Rule.UNALLOCATED.ordinal()]++;
                add(r, Target.UNALLOCATED_TARGET);
                ledger.untagged.merge(new Allocator.ProductResource(productName, names.get(instance[r])),
                        amountOf(r), BigDecimal::add);
            }
        }

        /** A volume's part for an instance (rule 4): rule 1 by the mode's form, else the instance's tag at the end. */
        private void volumePart(int r) {
            if (awsCount > 0) {
                place(r, awsTouched, awsCount, awsWeight, awsBig);
            } else if (cpuCount > 0) {
                place(r, cpuTouched, cpuCount, cpuWeight, false);
            } else {
                ledger.awaitingInstanceTag.merge(new Allocator.ProductResource(names.get(product[r]),
                        names.get(instance[r])), amountOf(r), BigDecimal::add);
            }
        }

        private BigDecimal amountOf(int r) {
            return amount[r] == ScaledMoney.NOT_FAST ? bigAmounts.get(r) : ScaledMoney.toBigDecimal(amount[r]);
        }

        private int target(Target t) {
            return targetIds.computeIfAbsent(t, k -> {
                targets.add(k);
                return targets.size() - 1;
            });
        }

        private void add(int r, Target t) {
            if (amount[r] == ScaledMoney.NOT_FAST) {
                placed.merge(new Allocator.ProductTarget(names.get(product[r]), t), bigAmounts.get(r), BigDecimal::add);
            } else {
                placedUnits.add(LongSums.key(product[r], target(t)), amount[r]);
            }
        }

        /** Splits row r over the touched services and adds the parts to a comparison column. */
        private void split(int r, int[] touched, int count, long[] weight, boolean big, long[] units,
                           BigDecimal[] extra) {
            forEachPart(r, touched, count, weight, big, (service, part, bigPart) -> {
                compared[service] = true;
                if (bigPart != null) {
                    extra[service] = extra[service] == null ? bigPart : extra[service].add(bigPart);
                    return;
                }
                long sum = units[service] + part;
                if (((units[service] ^ sum) & (part ^ sum)) < 0) {
                    BigDecimal spill = ScaledMoney.toBigDecimal(units[service]).add(ScaledMoney.toBigDecimal(part));
                    extra[service] = extra[service] == null ? spill : extra[service].add(spill);
                    units[service] = 0;
                } else {
                    units[service] = sum;
                }
            });
        }

        /** Splits row r over the touched services and places the parts on their targets. */
        private void place(int r, int[] touched, int count, long[] weight, boolean big) {
            forEachPart(r, touched, count, weight, big, (service, part, bigPart) -> {
                if (bigPart != null) {
                    placed.merge(new Allocator.ProductTarget(names.get(product[r]), serviceTargets[service]), bigPart,
                            BigDecimal::add);
                } else {
                    placedUnits.add(LongSums.key(product[r], target(serviceTargets[service])), part);
                }
            });
        }

        private void forEachPart(int r, int[] touched, int count, long[] weight, boolean big, Part action) {
            if (amount[r] != ScaledMoney.NOT_FAST && !big) {
                for (int i = 0; i < count; i++) {
                    ordered[i] = weight[touched[i]];
                }
                ExactSplit.split(amount[r], ordered, count, parts);
                for (int i = 0; i < count; i++) {
                    action.accept(touched[i], parts[i], null);
                }
                return;
            }
            SortedMap<Integer, BigDecimal> byRank = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                int s = touched[i];
                BigDecimal w = big && weight == awsWeight ? awsDecimal(s) : BigDecimal.valueOf(weight[s]);
                byRank.put(rank[s], w);
            }
            Map<Integer, BigDecimal> split = ExactSplit.split(amountOf(r), byRank);
            for (int i = 0; i < count; i++) {
                action.accept(touched[i], 0, split.get(rank[touched[i]]));
            }
        }

        // ---- the weights of a row's windows ---------------------------------------------------------

        private final Map<Integer, BigDecimal> awsDecimals = new HashMap<>();

        private BigDecimal awsDecimal(int service) {
            return awsDecimals.getOrDefault(service, BigDecimal.ZERO);
        }

        /** Both forms' weights for the current windows on an instance; the last row's when they are the same. */
        private void findWeights(int instanceId) {
            boolean single = windows == 1;
            if (single && cacheable && instanceId == cachedInstance && starts[0] == cachedFrom
                    && ends[0] == cachedTo) {
                return;
            }
            cachedInstance = instanceId;
            cachedFrom = starts[0];
            cachedTo = ends[0];
            cacheable = single;
            findAws(instanceId);
            findCpu(instanceId);
        }

        /** Σ (SplitCost + UnusedCost) by service of the split line items on the instance lying within a window. */
        private void findAws(int instanceId) {
            for (int i = 0; i < awsCount; i++) {
                awsWeight[awsTouched[i]] = 0;
            }
            awsCount = 0;
            awsBig = false;
            awsDecimals.clear();
            Weights w = instanceId < weights.length ? weights[instanceId] : null;
            if (w == null) {
                return;
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int k = 0; k < windows; k++) {
                first = Math.min(first, starts[k]);
                last = Math.max(last, ends[k]);
            }
            Map<Integer, BigDecimal> sums = null;
            for (int e = w.firstAtOrAfter(first); e < w.count && w.start[e] < last; e++) {
                if (!within(w.start[e], w.end[e])) {
                    continue;
                }
                int s = w.service[e];
                BigDecimal big = w.big(e);
                if (big != null || sums != null) {
                    if (sums == null) {
                        sums = new HashMap<>();
                    }
                    sums.merge(s, big != null ? big : ScaledMoney.toBigDecimal(w.units[e]), BigDecimal::add);
                    continue;
                }
                long sum = awsWeight[s] + w.units[e];
                if (((awsWeight[s] ^ sum) & (w.units[e] ^ sum)) < 0) {
                    sums = new HashMap<>();
                    sums.put(s, ScaledMoney.toBigDecimal(w.units[e]));
                    continue;
                }
                awsWeight[s] = sum;
                markAws(s);
            }
            if (sums != null) {
                // a weight too large for a long: the whole row is weighed in decimals
                for (int i = 0; i < awsCount; i++) {
                    sums.merge(awsTouched[i], ScaledMoney.toBigDecimal(awsWeight[awsTouched[i]]), BigDecimal::add);
                    awsWeight[awsTouched[i]] = 0;
                }
                awsCount = 0;
                awsBig = true;
                sums.forEach((s, sum) -> {
                    if (sum.signum() > 0) {
                        awsDecimals.put(s, sum);
                        awsWeight[s] = 1; // touched; the weight itself is in awsDecimals
                        awsTouched[awsCount++] = s;
                    }
                });
                inRankOrder(awsTouched, awsCount);
                return;
            }
            // only positive weights take a part; none positive: the split does not apply
            int kept = 0;
            for (int i = 0; i < awsCount; i++) {
                int s = awsTouched[i];
                if (awsWeight[s] > 0) {
                    awsTouched[kept++] = s;
                } else {
                    awsWeight[s] = 0;
                }
            }
            awsCount = kept;
            inRankOrder(awsTouched, awsCount);
        }

        private void markAws(int s) {
            for (int i = 0; i < awsCount; i++) {
                if (awsTouched[i] == s) {
                    return;
                }
            }
            awsTouched[awsCount++] = s;
        }

        private boolean within(long start, long end) {
            for (int k = 0; k < windows; k++) {
                if (start >= starts[k] && end <= ends[k]) {
                    return true;
                }
            }
            return false;
        }

        /** CPU-milliseconds by service in the windows (rule 1 as written). */
        private void findCpu(int instanceId) {
            for (int i = 0; i < cpuCount; i++) {
                cpuWeight[cpuTouched[i]] = 0;
            }
            cpuCount = 0;
            CpuTimeline timeline = index.timeline(names.get(instanceId));
            if (timeline == null) {
                return;
            }
            long[] millis = new long[timeline.serviceCount()];
            boolean any = false;
            for (int k = 0; k < windows; k++) {
                any |= timeline.accumulate(starts[k], ends[k], millis);
            }
            if (!any) {
                return;
            }
            int[] ids = timelineServices.get(timeline);
            for (int t = 0; t < millis.length; t++) {
                if (millis[t] > 0) {
                    cpuWeight[ids[t]] = millis[t];
                    cpuTouched[cpuCount++] = ids[t];
                }
            }
            inRankOrder(cpuTouched, cpuCount);
        }

        private void inRankOrder(int[] touched, int count) {
            for (int i = 1; i < count; i++) {
                int s = touched[i];
                int k = i - 1;
                while (k >= 0 && rank[touched[k]] > rank[s]) {
                    touched[k + 1] = touched[k];
                    k--;
                }
                touched[k + 1] = s;
            }
        }

        EcsSplitComparison comparison() {
            List<EcsSplitComparison.Row> out = new ArrayList<>();
            for (int s = 0; s < compared.length; s++) {
                if (!compared[s]) {
                    continue;
                }
                Target t = serviceTargets[s];
                out.add(new EcsSplitComparison.Row(t.cluster(), t.service(), t.area(),
                        total(eventsUnits[s], eventsExtra[s]), total(awsUnits[s], awsExtra[s])));
            }
            return EcsSplitComparison.of(mode, splitLineItems, out);
        }

        private BigDecimal total(long units, BigDecimal extra) {
            BigDecimal sum = ScaledMoney.toBigDecimal(units);
            return extra == null ? sum : sum.add(extra);
        }
    }

    /** Receives one part of a split: in units, or as a decimal when the split ran in decimals. */
    private interface Part {
        void accept(int service, long units, BigDecimal big);
    }

    /** The split line items of one instance: (start, end, service) with their summed weight. */
    private static final class Weights {
        long[] start = new long[8];
        long[] end = new long[8];
        int[] service = new int[8];
        long[] units = new long[8];
        /** Weights too large for a long, by entry (null until one is). */
        Map<Integer, BigDecimal> bigs;
        int count;

        /** How far back {@link #add} looks for an entry of the same window and service to add to. */
        private static final int NEAR = 16;

        void add(long s, long e, int svc, long u, BigDecimal big) {
            // an instance's split line items of one window mostly come together: add to that window's entry of
            // the service among the last few, so a month keeps about one entry per instance-hour and service
            for (int k = count - 1; big == null && k >= 0 && k >= count - NEAR && start[k] == s && end[k] == e; k--) {
                if (service[k] == svc && (bigs == null || !bigs.containsKey(k))) {
                    long sum = units[k] + u;
                    if (((units[k] ^ sum) & (u ^ sum)) >= 0) {
                        units[k] = sum;
                        return;
                    }
                    break;
                }
            }
            if (count == start.length) {
                int size = count * 2;
                start = Arrays.copyOf(start, size);
                end = Arrays.copyOf(end, size);
                service = Arrays.copyOf(service, size);
                units = Arrays.copyOf(units, size);
            }
            start[count] = s;
            end[count] = e;
            service[count] = svc;
            units[count] = big == null ? u : 0;
            if (big != null) {
                if (bigs == null) {
                    bigs = new HashMap<>();
                }
                bigs.put(count, big);
            }
            count++;
        }

        BigDecimal big(int e) {
            return bigs == null ? null : bigs.get(e);
        }

        /** Orders the entries by start (then end, then service) for {@link #firstAtOrAfter}. */
        void settle() {
            Integer[] order = new Integer[count];
            boolean sorted = true;
            for (int i = 0; i < count; i++) {
                order[i] = i;
                if (i > 0 && compare(i - 1, i) > 0) {
                    sorted = false;
                }
            }
            if (sorted) {
                return;
            }
            Arrays.sort(order, this::compare);
            long[] s = new long[count];
            long[] e = new long[count];
            int[] v = new int[count];
            long[] u = new long[count];
            Map<Integer, BigDecimal> b = bigs == null ? null : new HashMap<>();
            for (int i = 0; i < count; i++) {
                int k = order[i];
                s[i] = start[k];
                e[i] = end[k];
                v[i] = service[k];
                u[i] = units[k];
                if (bigs != null && bigs.containsKey(k)) {
                    b.put(i, bigs.get(k));
                }
            }
            start = s;
            end = e;
            service = v;
            units = u;
            bigs = b;
        }

        private int compare(int a, int b) {
            int c = Long.compare(start[a], start[b]);
            if (c == 0) {
                c = Long.compare(end[a], end[b]);
            }
            return c != 0 ? c : Integer.compare(service[a], service[b]);
        }

        int firstAtOrAfter(long time) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (start[mid] < time) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
