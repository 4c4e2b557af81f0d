package dev.tally.testkit;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to generate: one billing month. Build with {@link #builder()}.
 *
 * <p>Entity counts of 0 mean "derive from {@code targetRows}": about a quarter of the rows are
 * EC2 instance-hours, a fifth EBS volume rows, 15% Fargate task rows and the rest other tagged and
 * untagged resources (RDS, S3, NAT gateways, load balancers...). Explicit counts win; the other
 * resources then fill the rest of {@code targetRows}, so the row count stays approximate.
 *
 * @param period         the billing period (calendar month, UTC)
 * @param format         bill format
 * @param compression    bill compression
 * @param seed           everything is a function of the seed (and the other fields)
 * @param targetRows     approximate number of cost line items
 * @param instances      EC2 instances running at the start of the month (about 70% are ECS hosts); 0 = auto
 * @param services       ECS services (long-running, group {@code service:NAME}); scheduled job families
 *                       ({@code family:NAME}) come on top; 0 = auto
 * @param clusters       ECS clusters; 0 = auto
 * @param volumes        EBS volumes existing at the start of the month; 0 = auto
 * @param fargateShare   fraction of services (and job families) that run on Fargate, in [0, 1]
 * @param estimated      invoice id {@code Estimated} (DBR) or empty (CUR, CUR 2.0, FOCUS) on every row;
 *                       otherwise all-digit invoice ids
 * @param tagKey         the cost allocation tag key ({@code product_area})
 * @param events         how dirty the events file is
 * @param malformedRows  exact number of malformed bill rows to inject (wrong field count, unparseable
 *                       cost, unparseable date, in rotation); they are not cost line items
 * @param noResourceIds  the bill has no resource column at all (a CUR exported without resource ids): the
 *                       column is left out of the header and of every row
 * @param focusNulls     FOCUS only: every data-row cell that would be empty (and a {@code Tags} cell that would
 *                       be {@code {}}) is written {@code NULL}, as FOCUS exports and the FinOps sample data do
 * @param extraDecimals  about 2% of the cost line items carry a cost with more than 10 decimal places (some in
 *                       exponent form); the manifest's money is what a reader gets after rounding them half-even
 *                       to 10 places ({@link Manifest#roundedAmounts()}, {@link Manifest#roundingDifference()})
 * @param strayPeriodRows extra cost rows of the billing periods just before and after the month (alternating),
 *                       spread through the file; not line items of the month ({@link Manifest#otherPeriods()})
 * @param commitments    reservations and savings plans as AWS bills them, with their amortization: reserved
 *                       instance-hours with their reservation's effective cost, RI fees with the unused part, a
 *                       reservation and a savings plan bought this month, savings-plan covered usage and its
 *                       negations (CUR, CUR 2.0; FOCUS: {@code EffectiveCost}); DBR: sign-up charges and an upfront
 *                       ledger file. The manifest gains the amortized total ({@link Manifest#amortized()}); see
 *                       {@link Commitments}
 * @param parquet        the layout of a Parquet bill ({@code compression} {@link Compression#PARQUET})
 * @param doubleAmounts  amounts as a Parquet bill holds them (binary doubles): {@code extra-decimals} amounts are
 *                       the shortest decimal of their double, so a CSV and a Parquet bill of the month hold the
 *                       same numbers; always so for a Parquet bill ({@link #amountsAsDoubles()})
 * @param splitCostAllocation CUR and CUR 2.0 only: the bill carries split cost allocation data (allocation contract
 *                       §9): per ECS task on an EC2 instance and hour, a vCPU and a memory split line item with the
 *                       {@code splitLineItem/} ({@code split_line_item_}) columns, AWS's split of the instance-hour's
 *                       cost (see {@link SplitCostAllocation}); without it the month has no such row or column
 * @param ecsTagShare    with {@code splitCostAllocation}: the share of the tasks whose split line items carry the
 *                       ECS-managed tags {@code aws:ecs:clusterName} and {@code aws:ecs:serviceName}, in [0, 1]
 * @param unrecordedTaskShare with {@code splitCostAllocation}: the share of the EC2 tasks whose events are not in the
 *                       events file (the history does not know them; only the bill's split line items do), in [0, 1]
 */
public record MonthSpec(YearMonth period, BillFormat format, Compression compression, long seed, int targetRows,
                        int instances, int services, int clusters, int volumes, double fargateShare,
                        boolean estimated, String tagKey, EventOptions events, int malformedRows,
                        boolean noResourceIds, boolean focusNulls, boolean extraDecimals, int strayPeriodRows,
                        boolean commitments, ParquetOptions parquet, boolean doubleAmounts,
                        boolean splitCostAllocation, double ecsTagShare, double unrecordedTaskShare) {

    public static final String DEFAULT_TAG_KEY = "product_area";

    public MonthSpec {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(tagKey, "tagKey");
        Objects.requireNonNull(parquet, "parquet");
        if (compression == Compression.PARQUET && format != BillFormat.CUR2 && format != BillFormat.FOCUS) {
            throw new IllegalArgumentException("compression parquet is for formats cur2 and focus (Data Exports), not "
                    + format.id());
        }
        if (compression == Compression.PARQUET && malformedRows > 0) {
            throw new IllegalArgumentException("option malformed-rows cannot be used with compression parquet: typed "
                    + "columns hold no unparseable cost or date, and every row has every column");
        }
        if (tagKey.isBlank() || tagKey.contains(",") || tagKey.contains("\"")) {
            throw new IllegalArgumentException("tagKey must be non-blank, without commas or quotes: '" + tagKey + "'");
        }
        if (targetRows < 0 || instances < 0 || services < 0 || clusters < 0 || volumes < 0 || malformedRows < 0
                || strayPeriodRows < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
        if (!(fargateShare >= 0 && fargateShare <= 1)) {
            throw new IllegalArgumentException("fargateShare must be in [0, 1]: " + fargateShare);
        }
        if (period.getYear() < 2000 || period.getYear() > 2999) {
            throw new IllegalArgumentException("period out of range: " + period);
        }
        if (splitCostAllocation && format != BillFormat.CUR && format != BillFormat.CUR2) {
            throw new IllegalArgumentException("option split-cost-allocation is only valid with format cur or cur2 "
                    + "(" + format.id() + " has no split line item columns)");
        }
        if (splitCostAllocation && noResourceIds) {
            throw new IllegalArgumentException("option split-cost-allocation needs resource ids: split line items "
                    + "are rows of task ARNs (cannot be used with no-resource-ids)");
        }
        if (!(ecsTagShare >= 0 && ecsTagShare <= 1)) {
            throw new IllegalArgumentException("option ecs-tag-share must be in [0, 1]: " + ecsTagShare);
        }
        if (!(unrecordedTaskShare >= 0 && unrecordedTaskShare <= 1)) {
            throw new IllegalArgumentException("option unrecorded-task-share must be in [0, 1]: " + unrecordedTaskShare);
        }
        if (focusNulls && format != BillFormat.FOCUS) {
            throw new IllegalArgumentException("option focus-nulls is only valid with format focus, not "
                    + format.id());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().period(period).format(format).compression(compression).seed(seed)
                .targetRows(targetRows).instances(instances).services(services).clusters(clusters)
                .volumes(volumes).fargateShare(fargateShare).estimated(estimated).tagKey(tagKey)
                .events(events).malformedRows(malformedRows).noResourceIds(noResourceIds).focusNulls(focusNulls)
                .extraDecimals(extraDecimals).strayPeriodRows(strayPeriodRows).commitments(commitments)
                .parquet(parquet).doubleAmounts(doubleAmounts).splitCostAllocation(splitCostAllocation)
                .ecsTagShare(ecsTagShare).unrecordedTaskShare(unrecordedTaskShare);
    }

    /** Whether amounts are written as the shortest decimals of their doubles (a Parquet bill, or asked for). */
    public boolean amountsAsDoubles() {
        return doubleAmounts || compression == Compression.PARQUET;
    }

    /** @return the bill file name, e.g. {@code bill-2017-02.csv.gz}, {@code bill-2017-02.snappy.parquet} */
    public String billFileName() {
        return compression.fileName(billEntryName());
    }

    /** @return the plain CSV name (the zip entry name), e.g. {@code bill-2017-02.csv} */
    public String billEntryName() {
        return "bill-" + period + ".csv";
    }

    /**
     * Option names accepted by {@link #fromOptions(Map)} (also the CLI's {@code --name=value} flags): those of
     * {@link GeneratorOptions#ALL}, where each is defined with its help text and default.
     */
    public static final Set<String> OPTION_NAMES = GeneratorOptions.names();

    /**
     * Builds a spec from string options (what a CLI collects): keys are {@link #OPTION_NAMES};
     * boolean options accept {@code true/false/yes/no/1/0} and an empty value means true.
     * {@code messy} starts from {@link EventOptions#messy()} before the individual event options apply.
     *
     * @throws IllegalArgumentException naming the option on an unknown key or a bad value
     */
    public static MonthSpec fromOptions(Map<String, String> options) {
        Map<String, String> o = new TreeMap<>();
        options.forEach((k, v) -> {
            String key = k.startsWith("--") ? k.substring(2) : k;
            if (!OPTION_NAMES.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + k + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(OPTION_NAMES)));
            }
            o.put(key, v == null ? "" : v.trim());
        });
        Builder b = builder();
        EventOptions ev = bool(o, "messy", false) ? EventOptions.messy() : EventOptions.clean();
        try {
            if (o.containsKey("period")) {
                b.period(YearMonth.parse(o.get("period")));
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("option period: expected YYYY-MM, got '" + o.get("period") + "'");
        }
        if (o.containsKey("format")) {
            b.format(BillFormat.parse(o.get("format")));
        }
        if (o.containsKey("compression")) {
            b.compression(Compression.parse(o.get("compression")));
        }
        if (o.containsKey("seed")) {
            b.seed(longOpt(o, "seed"));
        }
        if (o.containsKey("rows")) {
            b.targetRows(intOpt(o, "rows"));
        }
        if (o.containsKey("instances")) {
            b.instances(intOpt(o, "instances"));
        }
        if (o.containsKey("services")) {
            b.services(intOpt(o, "services"));
        }
        if (o.containsKey("clusters")) {
            b.clusters(intOpt(o, "clusters"));
        }
        if (o.containsKey("volumes")) {
            b.volumes(intOpt(o, "volumes"));
        }
        if (o.containsKey("fargate-share")) {
            b.fargateShare(doubleOpt(o, "fargate-share"));
        }
        b.estimated(bool(o, "estimated", false));
        if (o.containsKey("tag-key")) {
            b.tagKey(o.get("tag-key"));
        }
        if (o.containsKey("malformed-rows")) {
            b.malformedRows(intOpt(o, "malformed-rows"));
        }
        b.noResourceIds(bool(o, "no-resource-ids", false));
        b.focusNulls(bool(o, "focus-nulls", false));
        b.extraDecimals(bool(o, "extra-decimals", false));
        if (o.containsKey("stray-period-rows")) {
            b.strayPeriodRows(intOpt(o, "stray-period-rows"));
        }
        b.commitments(bool(o, "commitments", false));
        ParquetOptions pq = ParquetOptions.defaults();
        if (o.containsKey("parquet-times")) {
            pq = new ParquetOptions(ParquetOptions.times(o.get("parquet-times")), pq.tags(), pq.rowGroupBytes());
        }
        if (o.containsKey("parquet-tags")) {
            pq = new ParquetOptions(pq.times(), ParquetOptions.tags(o.get("parquet-tags")), pq.rowGroupBytes());
        }
        if (o.containsKey("parquet-row-group-bytes")) {
            pq = new ParquetOptions(pq.times(), pq.tags(), longOpt(o, "parquet-row-group-bytes"));
        }
        b.parquet(pq);
        b.doubleAmounts(bool(o, "double-amounts", false));
        boolean split = bool(o, "split-cost-allocation", false);
        b.splitCostAllocation(split);
        MonthSpec plain = builder().build();
        if (o.containsKey("ecs-tag-share")) {
            b.ecsTagShare(shareOpt(o, "ecs-tag-share", split, plain.ecsTagShare()));
        }
        if (o.containsKey("unrecorded-task-share")) {
            b.unrecordedTaskShare(shareOpt(o, "unrecorded-task-share", split, plain.unrecordedTaskShare()));
        }
        if (o.containsKey("duplicate-rate")) {
            ev = ev.withDuplicateRate(doubleOpt(o, "duplicate-rate"));
        }
        if (o.containsKey("shuffle")) {
            ev = ev.withShuffle(bool(o, "shuffle", true));
        }
        if (o.containsKey("shuffle-window")) {
            ev = ev.withShuffleWindow(intOpt(o, "shuffle-window"));
        }
        if (o.containsKey("malformed-events")) {
            ev = ev.withMalformedEvents(intOpt(o, "malformed-events"));
        }
        if (o.containsKey("noise-rate")) {
            ev = ev.withNoiseRate(doubleOpt(o, "noise-rate"));
        }
        if (o.containsKey("events-gzip")) {
            ev = ev.withGzip(bool(o, "events-gzip", true));
        }
        return b.events(ev).build();
    }

    private static boolean bool(Map<String, String> o, String key, boolean absent) {
        if (!o.containsKey(key)) {
            return absent;
        }
        switch (o.get(key).toLowerCase(Locale.ROOT)) {
            case "":
            case "true":
            case "yes":
            case "1":
                return true;
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException("option " + key + ": expected true or false, got '" + o.get(key) + "'");
        }
    }

    private static int intOpt(Map<String, String> o, String key) {
        try {
            return Integer.parseInt(o.get(key).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + ": expected an integer, got '" + o.get(key) + "'");
        }
    }

    private static long longOpt(Map<String, String> o, String key) {
        try {
            return Long.parseLong(o.get(key).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + ": expected an integer, got '" + o.get(key) + "'");
        }
    }

    /** A share of {@code split-cost-allocation}: other than its default, only with that option (it does nothing else). */
    private static double shareOpt(Map<String, String> o, String key, boolean split, double byDefault) {
        double v = doubleOpt(o, key);
        if (!split && v != byDefault) {
            throw new IllegalArgumentException("option " + key + " needs option split-cost-allocation");
        }
        return v;
    }

    private static double doubleOpt(Map<String, String> o, String key) {
        try {
            return Double.parseDouble(o.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + ": expected a number, got '" + o.get(key) + "'");
        }
    }

    /** Mutable builder; defaults: 2017-02, DBR, uncompressed, seed 1, 10 000 rows, automatic entity counts,
     *  20% Fargate, final, tag key {@code product_area}, clean events, no malformed rows, and a bill as regular
     *  as it gets (resource ids, no NULL cells, 10 decimal places at most, no rows of other periods), no
     *  amortization data, no split cost allocation data (with it: ECS tags on half the tasks, 5% of the EC2
     *  tasks without events). */
    public static final class Builder {
        private YearMonth period = YearMonth.of(2017, 2);
        private BillFormat format = BillFormat.DBR;
        private Compression compression = Compression.NONE;
        private long seed = 1;
        private int targetRows = 10_000;
        private int instances;
        private int services;
        private int clusters;
        private int volumes;
        private double fargateShare = 0.2;
        private boolean estimated;
        private String tagKey = DEFAULT_TAG_KEY;
        private EventOptions events = EventOptions.clean();
        private int malformedRows;
        private boolean noResourceIds;
        private boolean focusNulls;
        private boolean extraDecimals;
        private int strayPeriodRows;
        private boolean commitments;
        private ParquetOptions parquet = ParquetOptions.defaults();
        private boolean doubleAmounts;
        private boolean splitCostAllocation;
        private double ecsTagShare = 0.5;
        private double unrecordedTaskShare = 0.05;

        private Builder() {
        }

        public Builder period(YearMonth v) { this.period = v; return this; }
        public Builder format(BillFormat v) { this.format = v; return this; }
        public Builder compression(Compression v) { this.compression = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder targetRows(int v) { this.targetRows = v; return this; }
        public Builder instances(int v) { this.instances = v; return this; }
        public Builder services(int v) { this.services = v; return this; }
        public Builder clusters(int v) { this.clusters = v; return this; }
        public Builder volumes(int v) { this.volumes = v; return this; }
        public Builder fargateShare(double v) { this.fargateShare = v; return this; }
        public Builder estimated(boolean v) { this.estimated = v; return this; }
        public Builder tagKey(String v) { this.tagKey = v; return this; }
        public Builder events(EventOptions v) { this.events = v; return this; }
        public Builder malformedRows(int v) { this.malformedRows = v; return this; }
        public Builder noResourceIds(boolean v) { this.noResourceIds = v; return this; }
        public Builder focusNulls(boolean v) { this.focusNulls = v; return this; }
        public Builder extraDecimals(boolean v) { this.extraDecimals = v; return this; }
        public Builder strayPeriodRows(int v) { this.strayPeriodRows = v; return this; }
        public Builder commitments(boolean v) { this.commitments = v; return this; }
        public Builder parquet(ParquetOptions v) { this.parquet = v; return this; }
        public Builder doubleAmounts(boolean v) { this.doubleAmounts = v; return this; }
        public Builder splitCostAllocation(boolean v) { this.splitCostAllocation = v; return this; }
        public Builder ecsTagShare(double v) { this.ecsTagShare = v; return this; }
        public Builder unrecordedTaskShare(double v) { this.unrecordedTaskShare = v; return this; }

        public MonthSpec build() {
            return new MonthSpec(period, format, compression, seed, targetRows, instances, services, clusters,
                    volumes, fargateShare, estimated, tagKey, events, malformedRows, noResourceIds, focusNulls,
                    extraDecimals, strayPeriodRows, commitments, parquet, doubleAmounts, splitCostAllocation,
                    ecsTagShare, unrecordedTaskShare);
        }
    }
}
