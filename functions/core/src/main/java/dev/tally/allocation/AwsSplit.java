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

    // the split line items' weights: per instance the window being read (adjacent equal keys summed), the rest
    // in a log of (instance << 32 | service, start, end, units, 0); weights too large for a long by log index
    private Pending[] pending = new Pending[64];
    private final SpillLog weightLog = new SpillLog();
    private final Map<Long, BigDecimal> bigWeights = new HashMap<>();

    // the waiting rows: a log of (kind << 32 | product, instance << 32 | tag, from, to, amount); amounts that do not
    // fit a long ({@link ScaledMoney#NOT_FAST} in the log) by row
    private final SpillLog hostRows = new SpillLog();
    private final Map<Long, BigDecimal> bigAmounts = new HashMap<>();

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
        if (bigUnits != null) {
            bigWeights.put(weightLog.size(), bigUnits);
            weightLog.append(key(parent, service), start, end, 0, 0);
            return;
        }
        if (parent >= pending.length) {
            pending = Arrays.copyOf(pending, Math.max(parent + 1, pending.length * 2));
        }
        Pending p = pending[parent];
        if (p == null) {
            p = pending[parent] = new Pending();
        }
        if (p.count > 0 && (p.start != start || p.end != end)) {
            flush(parent, p);
        }
        p.start = start;
        p.end = end;
        p.add(service, units);
        if (p.count == Pending.SIZE) {
            flush(parent, p);
        }
    }

    private void flush(int parent, Pending p) {
        for (int i = 0; i < p.count; i++) {
            weightLog.append(key(parent, p.service[i]), p.start, p.end, p.units[i], 0);
        }
        p.count = 0;
    }

    private void flushPending() {
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] != null && pending[i].count > 0) {
                flush(i, pending[i]);
            }
        }
    }

    private static long key(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    /** One instance's weights of the window being read, by service (a handful: the services on the instance). */
    private static final class Pending {
        static final int SIZE = 16;
        final int[] service = new int[SIZE];
        final long[] units = new long[SIZE];
        int count;
        long start;
        long end;

        void add(int svc, long u) {
            for (int i = 0; i < count; i++) {
                if (service[i] == svc) {
                    long sum = units[i] + u;
                    if (((units[i] ^ sum) & (u ^ sum)) >= 0) {
                        units[i] = sum;
                        return;
                    }
                }
            }
            service[count] = svc;
            units[count] = u;
            count++;
        }
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
        if (bigUnits != null) {
            bigAmounts.put(hostRows.size(), bigUnits);
            units = ScaledMoney.NOT_FAST;
        }
        hostRows.append(key(rowKind, productId), key(instanceId, tagId), start, end, units);
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
        later.flushPending();
        later.weightLog.forEach((index, w) -> addWeight(nameMap[high(w[0])], w[1], w[2], serviceMap[low(w[0])], w[3],
                later.bigWeights.get(index)));
        later.hostRows.forEach((index, r) -> {
            int tagId = low(r[1]);
            append((byte) high(r[0]), nameMap[low(r[0])], nameMap[high(r[1])], tagId == NONE ? NONE : nameMap[tagId],
                    r[2], r[3], r[4], later.bigAmounts.get(index));
        });
        later.release();
    }

    private static int high(long key) {
        return (int) (key >>> 32);
    }

    private static int low(long key) {
        return (int) key;
    }

    /** Deletes the logs' files (a split that has been resolved, absorbed or written is not read again). */
    void release() {
        weightLog.close();
        hostRows.close();
    }

    /** Whether rows wait to be placed by rule 1, which needs the period's history. */
    boolean waitsForHistory() {
        return hostRows.size() > 0;
    }

    // ---- the encoding of a part (PartialAllocationCodec) ----------------------------------------------

    void write(JsonGenerator out) throws IOException {
        flushPending();
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
        records(out, "weights", weightLog, 4);
        bigs(out, "bigWeights", bigWeights);
        records(out, "rows", hostRows, 5);
        bigs(out, "bigAmounts", bigAmounts);
        out.writeEndObject();
    }

    /** A log's records, each an array of its first {@code width} longs. */
    private static void records(JsonGenerator out, String field, SpillLog log, int width) throws IOException {
        out.writeArrayFieldStart(field);
        IOException[] failure = new IOException[1];
        log.forEach((index, record) -> {
            if (failure[0] == null) {
                try {
                    out.writeArray(record, 0, width);
                } catch (IOException e) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.writeEndArray();
    }

    private static void bigs(JsonGenerator out, String field, Map<Long, BigDecimal> bigs) throws IOException {
        out.writeArrayFieldStart(field);
        for (Map.Entry<Long, BigDecimal> e : new TreeMap<>(bigs).entrySet()) {
            out.writeStartArray();
            out.writeString(e.getKey().toString());
            out.writeString(e.getValue().toString());
            out.writeEndArray();
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
        long[] record = new long[5];
        PartialAllocationCodec.field(in, "weights");
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.START_ARRAY, in);
        while (record(in, record, 4)) {
            weightLog.append(record[0], record[1], record[2], record[3], 0);
        }
        readBigs(in, "bigWeights", bigWeights);
        PartialAllocationCodec.field(in, "rows");
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.START_ARRAY, in);
        while (record(in, record, 5)) {
            hostRows.append(record[0], record[1], record[2], record[3], record[4]);
        }
        readBigs(in, "bigAmounts", bigAmounts);
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.END_OBJECT, in);
    }

    /** The next record of an array of records, or false at the array's end. */
    private static boolean record(JsonParser in, long[] record, int width) throws IOException {
        JsonToken token = in.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        PartialAllocationCodec.expect(token, JsonToken.START_ARRAY, in);
        for (int i = 0; i < width; i++) {
            PartialAllocationCodec.expect(in.nextToken(), JsonToken.VALUE_NUMBER_INT, in);
            record[i] = in.getLongValue();
        }
        PartialAllocationCodec.expect(in.nextToken(), JsonToken.END_ARRAY, in);
        return true;
    }

    private static void readBigs(JsonParser in, String field, Map<Long, BigDecimal> into) throws IOException {
        for (List<String> e : PartialAllocationCodec.entries(in, field, 2)) {
            into.put(Long.parseLong(e.get(0)), new BigDecimal(e.get(1)));
        }
    }

    // ---- the end --------------------------------------------------------------------------------------

    /**
     * Places the waiting rows (under {@code aws}) in the ledger and returns the comparison of both forms of rule 1,
     * or null when the bill has no split line items. Call once, after every part has been absorbed, before the
     * ledger places the parts waiting for an instance's tag.
     */
    EcsSplitComparison resolve(AllocationLedger ledger, PeriodIndex index, ProductAreaMap areas) {
        boolean compares = splitLineItems > 0 || mode == EcsSplit.AWS;
        if (hostRows.size() == 0) {
            release();
            return compares ? EcsSplitComparison.of(mode, splitLineItems, List.of()) : null;
        }
        if (index == null) {
            throw new IllegalStateException("host rows wait for the history, but none was given to finish with");
        }
        flushPending();
        Weights[] weights = new Weights[names.size()];
        weightLog.forEach((i, w) -> {
            int instanceId = high(w[0]);
            if (weights[instanceId] == null) {
                weights[instanceId] = new Weights();
            }
            weights[instanceId].add(w[1], w[2], low(w[0]), w[3], bigWeights.get(i));
        });
        weightLog.close();
        for (Weights w : weights) {
            if (w != null) {
                w.settle();
            }
        }
        Resolution resolution = new Resolution(ledger, index, areas, weights);
        resolution.run();
        release();
        return compares ? resolution.comparison() : null;
    }

    /** One resolution: scratch space, caches and the sums it hands to the ledger. */
    private final class Resolution {
        private final AllocationLedger ledger;
        private final PeriodIndex index;
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

        private final Weights[] weights;
        // the row being placed
        private byte curKind = -1;
        private int curProduct;
        private int curInstance;
        private int curTag;
        private long curAmount;
        private BigDecimal curBig;

        Resolution(AllocationLedger ledger, PeriodIndex index, ProductAreaMap areas, Weights[] weights) {
            this.ledger = ledger;
            this.index = index;
            this.weights = weights;
            // the services of the CPU timelines join the list first, so the arrays below hold every service
            boolean[] seen = new boolean[names.size()];
            hostRows.forEach((i, r) -> {
                int instanceId = high(r[1]);
                if (!seen[instanceId]) {
                    seen[instanceId] = true;
                    CpuTimeline timeline = index.timeline(names.get(instanceId));
                    if (timeline != null) {
                        timelineServices.computeIfAbsent(timeline, this::ids);
                    }
                }
            });
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
            hostRows.forEach((i, r) -> {
                byte rowKind = (byte) high(r[0]);
                if (rowKind == WINDOW) {
                    window(r[2], r[3]);
                    return;
                }
                placeCurrent();
                curKind = rowKind;
                curProduct = low(r[0]);
                curInstance = high(r[1]);
                curTag = low(r[1]);
                curAmount = r[4];
                curBig = curAmount == ScaledMoney.NOT_FAST ? bigAmounts.get(i) : null;
                windows = 0;
                window(r[2], r[3]);
            });
            placeCurrent();
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

        /** Places the row read last, with all its windows. */
        private void placeCurrent() {
            if (curKind < 0) {
                return;
            }
            findWeights(curInstance);
            if (curKind == HOST) {
                host();
            } else {
                volumePart();
            }
            curKind = -1;
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
        private void host() {
            boolean byAws = awsCount > 0;
            boolean byCpu = cpuCount > 0;
            String productName = names.get(curProduct);
            if (byCpu) {
                split(cpuTouched, cpuCount, cpuWeight, false, eventsUnits, eventsExtra);
            }
            if (byAws) {
                split(awsTouched, awsCount, awsWeight, awsBig, awsUnits, awsExtra);
            }
            if (!allocates) {
                return;
            }
            if (byAws || byCpu) {
                rules[Allocator.Rule.ECS_HOST.ordinal()]++;
                if (byAws) {
                    place(awsTouched, awsCount, awsWeight, awsBig);
                } else {
                    place(cpuTouched, cpuCount, cpuWeight, false);
                }
            } else if (curTag != NONE) {
                rules[Allocator.Rule.OWN_TAG.ordinal()]++;
                add(Target.area(names.get(curTag)));
            } else {
                rules[Allocator.Rule.UNALLOCATED.ordinal()]++;
                add(Target.UNALLOCATED_TARGET);
                ledger.untagged.merge(new Allocator.ProductResource(productName, names.get(curInstance)),
                        amountOf(), BigDecimal::add);
            }
        }

        /** A volume's part for an instance (rule 4): rule 1 by the mode's form, else the instance's tag at the end. */
        private void volumePart() {
            if (awsCount > 0) {
                place(awsTouched, awsCount, awsWeight, awsBig);
            } else if (cpuCount > 0) {
                place(cpuTouched, cpuCount, cpuWeight, false);
            } else {
                ledger.awaitingInstanceTag.merge(new Allocator.ProductResource(names.get(curProduct),
                        names.get(curInstance)), amountOf(), BigDecimal::add);
            }
        }

        private BigDecimal amountOf() {
            return curAmount == ScaledMoney.NOT_FAST ? curBig : ScaledMoney.toBigDecimal(curAmount);
        }

        private int target(Target t) {
            return targetIds.computeIfAbsent(t, k -> {
                targets.add(k);
                return targets.size() - 1;
            });
        }

        private void add(Target t) {
            if (curAmount == ScaledMoney.NOT_FAST) {
                placed.merge(new Allocator.ProductTarget(names.get(curProduct), t), curBig, BigDecimal::add);
            } else {
                placedUnits.add(LongSums.key(curProduct, target(t)), curAmount);
            }
        }

        /** Splits row r over the touched services and adds the parts to a comparison column. */
        private void split(int[] touched, int count, long[] weight, boolean big, long[] units,
                           BigDecimal[] extra) {
            forEachPart(touched, count, weight, big, (service, part, bigPart) -> {
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
        private void place(int[] touched, int count, long[] weight, boolean big) {
            forEachPart(touched, count, weight, big, (service, part, bigPart) -> {
                if (bigPart != null) {
                    placed.merge(new Allocator.ProductTarget(names.get(curProduct), serviceTargets[service]), bigPart,
                            BigDecimal::add);
                } else {
                    placedUnits.add(LongSums.key(curProduct, target(serviceTargets[service])), part);
                }
            });
        }

        private void forEachPart(int[] touched, int count, long[] weight, boolean big, Part action) {
            if (curAmount != ScaledMoney.NOT_FAST && !big) {
                for (int i = 0; i < count; i++) {
                    ordered[i] = weight[touched[i]];
                }
                ExactSplit.split(curAmount, ordered, count, parts);
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
            Map<Integer, BigDecimal> split = ExactSplit.split(amountOf(), byRank);
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
