package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What was generated ({@code manifest.json}): the facts a test checks a rollup against. Money is
 * exact ({@link BigDecimal}, written as plain strings); key names follow the spec's summary where
 * they mean the same thing ({@code billing_period}, {@code format}, {@code final}, {@code invoice_ids},
 * {@code line_items}, {@code skipped_rows}, {@code malformed_rows}, {@code total_cost}).
 *
 * @param format        the bill format
 * @param period        the billing period
 * @param seed          the seed
 * @param tagKey        the tag key used in the bill
 * @param billFile      bill file name (in the output directory)
 * @param eventsFile    events file name
 * @param areasFile     service → product area map file name
 * @param estimated     whether the invoice ids are Estimated/empty ({@code final} = !estimated)
 * @param invoiceIds    sorted distinct non-empty invoice ids of the cost line items ({@code ["Estimated"]} for an
 *                      estimated DBR, empty for an estimated CUR/CUR 2.0/FOCUS)
 * @param totalCost     exact sum of the cost column over the cost line items (each amount first rounded half-even
 *                      to 10 decimal places, as a reader must; only {@code extra-decimals} amounts need it)
 * @param lineItems     number of cost line items
 * @param skippedRows   rows that are not cost line items (DBR totals and rounding, blank product names)
 * @param malformedRows malformed rows deliberately injected (not counted in lineItems or totalCost)
 * @param rowsWritten   data rows in the file (header excluded) = lineItems + skippedRows + malformedRows
 *                      + otherPeriodRows
 * @param invoiceTotals per invoice id (the empty string for an estimated CUR/CUR 2.0/FOCUS), the line
 *                      items' sum rounded half-up to cents (what DBR's InvoiceTotal rows carry)
 * @param costByKind    exact cost per generator row kind (instance, volume, fargate, tagged, untagged,
 *                      shared...), summing to totalCost
 * @param events        what the events file holds
 * @param entities      how many of each thing the month has
 * @param roundedAmounts     cost line items whose amount has more than 10 decimal places in the file
 *                           ({@code rounded_amounts}, written when non-zero)
 * @param roundingDifference exact Σ (amount rounded half-even to 10 places − amount as written) over those line
 *                           items ({@code rounding_difference}, full precision, written with rounded_amounts)
 * @param otherPeriodRows    cost rows of other billing periods (the months before and after), not counted in
 *                           lineItems, totalCost, costByKind or invoiceTotals ({@code other_period_rows}, written
 *                           when non-zero)
 * @param otherPeriods       per other billing period ({@code YYYY-MM}): its rows and their exact cost
 *                           ({@code other_periods})
 * @param upfrontFile        the upfront ledger file name ({@code files.upfront}: DBR with {@code commitments}), or
 *                           null
 * @param amortized          what the month comes to under the amortized cost basis ({@code amortized}: with
 *                           {@code commitments}), or null
 * @param splitCostAllocation the split line items of the bill ({@code split_cost_allocation}: with
 *                           {@code split-cost-allocation}), or null
 */
public record Manifest(BillFormat format, YearMonth period, long seed, String tagKey, String billFile,
                       String eventsFile, String areasFile, boolean estimated, List<String> invoiceIds,
                       BigDecimal totalCost, long lineItems, long skippedRows, long malformedRows, long rowsWritten,
                       SortedMap<String, BigDecimal> invoiceTotals, SortedMap<String, BigDecimal> costByKind,
                       EventCounts events, Entities entities, long roundedAmounts, BigDecimal roundingDifference,
                       long otherPeriodRows, SortedMap<String, OtherPeriod> otherPeriods, String upfrontFile,
                       Amortization amortized, SplitLineItems splitCostAllocation) {

    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        invoiceIds = List.copyOf(invoiceIds);
        invoiceTotals = Collections.unmodifiableSortedMap(new TreeMap<>(invoiceTotals));
        costByKind = Collections.unmodifiableSortedMap(new TreeMap<>(costByKind));
        Objects.requireNonNull(roundingDifference, "roundingDifference");
        otherPeriods = Collections.unmodifiableSortedMap(new TreeMap<>(otherPeriods));
    }

    /** @return {@code !estimated}, the spec's {@code final} */
    public boolean isFinal() {
        return !estimated;
    }

    /**
     * Cost rows of one other billing period.
     *
     * @param rows how many
     * @param cost their exact sum
     */
    public record OtherPeriod(long rows, BigDecimal cost) {
    }

    /**
     * The bill's split cost allocation data: its split line items are cost line items of cost 0 (counted in
     * {@code line_items}, adding nothing to the totals).
     *
     * @param lineItems         split line items written ({@code line_items})
     * @param withEcsTags       of which with the ECS-managed tags ({@code with_ecs_tags})
     * @param tasks             ECS tasks on EC2 instances placed in the month or before ({@code tasks}), incl. those
     * @param unrecordedTasks   without events ({@code unrecorded_tasks}: not in the events file, not counted in
     *                          {@code entities.tasks})
     */
    public record SplitLineItems(long lineItems, long withEcsTags, long tasks, long unrecordedTasks) {
    }

    /**
     * @param written     lines in the events file
     * @param duplicates  lines that repeat an earlier line (same event delivered twice)
     * @param malformed   lines that are not valid JSON
     * @param noise       valid events the history must ignore
     * @param byType      valid, non-duplicate events per kind (task, container_instance, attach_volume,
     *                    detach_volume, failed_api_call, instance_terminated, noise)
     */
    public record EventCounts(long written, long duplicates, long malformed, long noise, SortedMap<String, Long> byType) {
        public EventCounts {
            byType = Collections.unmodifiableSortedMap(new TreeMap<>(byType));
        }
    }

    /**
     * @param clusters            ECS clusters
     * @param services            ECS services (groups {@code service:NAME})
     * @param jobFamilies         scheduled job families (groups {@code family:NAME})
     * @param unmappedGroups      services/families with no entry in areas.json
     * @param instances           distinct EC2 instance ids with rows (incl. launched mid-month)
     * @param ecsHosts            of which ECS container instances
     * @param instancesTerminated instances terminated during the month
     * @param volumes             distinct EBS volume ids with rows
     * @param otherResources      other resources with rows (S3, RDS, NAT...)
     * @param tasks               ECS tasks with events (incl. started before the month, incl. failed)
     * @param fargateTasks        of which on Fargate
     * @param tasksFailedToStart  of which never started (no startedAt)
     * @param tasksRunningAtEnd   of which still running at the end of the month (no STOPPED event)
     */
    public record Entities(int clusters, int services, int jobFamilies, int unmappedGroups, int instances,
                           int ecsHosts, int instancesTerminated, int volumes, int otherResources, long tasks,
                           long fargateTasks, long tasksFailedToStart, long tasksRunningAtEnd) {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** @return the manifest as JSON (keys in a fixed order, money as strings) */
    public String toJson() {
        ObjectMapper m = mapper();
        ObjectNode root = m.createObjectNode();
        root.put("billing_period", period.toString());
        root.put("format", format.id());
        root.put("seed", seed);
        root.put("tag_key", tagKey);
        ObjectNode files = root.putObject("files");
        files.put("bill", billFile);
        files.put("events", eventsFile);
        files.put("areas", areasFile);
        if (upfrontFile != null) {
            files.put("upfront", upfrontFile);
        }
        root.put("final", !estimated);
        ArrayNode ids = root.putArray("invoice_ids");
        invoiceIds.forEach(ids::add);
        root.put("total_cost", totalCost.toPlainString());
        root.put("line_items", lineItems);
        root.put("skipped_rows", skippedRows);
        root.put("malformed_rows", malformedRows);
        root.put("rows_written", rowsWritten);
        if (roundedAmounts != 0 || roundingDifference.signum() != 0) {
            root.put("rounded_amounts", roundedAmounts);
            root.put("rounding_difference", roundingDifference.toPlainString());
        }
        if (otherPeriodRows != 0 || !otherPeriods.isEmpty()) {
            root.put("other_period_rows", otherPeriodRows);
            ObjectNode op = root.putObject("other_periods");
            otherPeriods.forEach((k, v) -> {
                ObjectNode p = op.putObject(k);
                p.put("rows", v.rows());
                p.put("cost", v.cost().toPlainString());
            });
        }
        ObjectNode it = root.putObject("invoice_totals");
        invoiceTotals.forEach((k, v) -> it.put(k, v.toPlainString()));
        ObjectNode ck = root.putObject("cost_by_kind");
        costByKind.forEach((k, v) -> ck.put(k, v.toPlainString()));
        if (amortized != null) {
            amortized.writeTo(root.putObject("amortized"));
        }
        if (splitCostAllocation != null) {
            ObjectNode sp = root.putObject("split_cost_allocation");
            sp.put("line_items", splitCostAllocation.lineItems());
            sp.put("with_ecs_tags", splitCostAllocation.withEcsTags());
            sp.put("tasks", splitCostAllocation.tasks());
            sp.put("unrecorded_tasks", splitCostAllocation.unrecordedTasks());
        }
        ObjectNode ev = root.putObject("events");
        ev.put("written", events.written());
        ev.put("duplicates", events.duplicates());
        ev.put("malformed", events.malformed());
        ev.put("noise", events.noise());
        ObjectNode bt = ev.putObject("by_type");
        events.byType().forEach(bt::put);
        ObjectNode en = root.putObject("entities");
        en.put("clusters", entities.clusters());
        en.put("services", entities.services());
        en.put("job_families", entities.jobFamilies());
        en.put("unmapped_groups", entities.unmappedGroups());
        en.put("instances", entities.instances());
        en.put("ecs_hosts", entities.ecsHosts());
        en.put("instances_terminated", entities.instancesTerminated());
        en.put("volumes", entities.volumes());
        en.put("other_resources", entities.otherResources());
        en.put("tasks", entities.tasks());
        en.put("fargate_tasks", entities.fargateTasks());
        en.put("tasks_failed_to_start", entities.tasksFailedToStart());
        en.put("tasks_running_at_end", entities.tasksRunningAtEnd());
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code manifest.json} from a generated directory (or the file itself). */
    public static Manifest read(Path dirOrFile) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE_NAME) : dirOrFile;
        return fromJson(Files.readString(file));
    }

    public static Manifest fromJson(String json) throws IOException {
        JsonNode r = mapper().readTree(json);
        List<String> ids = new ArrayList<>();
        r.get("invoice_ids").forEach(n -> ids.add(n.asText()));
        JsonNode ev = r.get("events");
        SortedMap<String, Long> byType = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : ev.get("by_type").properties()) {
            byType.put(e.getKey(), e.getValue().asLong());
        }
        JsonNode en = r.get("entities");
        SortedMap<String, OtherPeriod> otherPeriods = new TreeMap<>();
        JsonNode op = r.get("other_periods");
        if (op != null) {
            for (Map.Entry<String, JsonNode> e : op.properties()) {
                otherPeriods.put(e.getKey(), new OtherPeriod(e.getValue().get("rows").asLong(),
                        new BigDecimal(e.getValue().get("cost").asText())));
            }
        }
        return new Manifest(BillFormat.parse(r.get("format").asText()), YearMonth.parse(r.get("billing_period").asText()),
                r.get("seed").asLong(), r.get("tag_key").asText(), r.get("files").get("bill").asText(),
                r.get("files").get("events").asText(), r.get("files").get("areas").asText(),
                !r.get("final").asBoolean(), ids, new BigDecimal(r.get("total_cost").asText()),
                r.get("line_items").asLong(), r.get("skipped_rows").asLong(), r.get("malformed_rows").asLong(),
                r.get("rows_written").asLong(), decimals(r.get("invoice_totals")), decimals(r.get("cost_by_kind")),
                new EventCounts(ev.get("written").asLong(), ev.get("duplicates").asLong(), ev.get("malformed").asLong(),
                        ev.get("noise").asLong(), byType),
                new Entities(en.get("clusters").asInt(), en.get("services").asInt(), en.get("job_families").asInt(),
                        en.get("unmapped_groups").asInt(), en.get("instances").asInt(), en.get("ecs_hosts").asInt(),
                        en.get("instances_terminated").asInt(), en.get("volumes").asInt(),
                        en.get("other_resources").asInt(), en.get("tasks").asLong(), en.get("fargate_tasks").asLong(),
                        en.get("tasks_failed_to_start").asLong(), en.get("tasks_running_at_end").asLong()),
                r.path("rounded_amounts").asLong(0), r.has("rounding_difference")
                        ? new BigDecimal(r.get("rounding_difference").asText()) : BigDecimal.ZERO,
                r.path("other_period_rows").asLong(0), otherPeriods,
                r.get("files").hasNonNull("upfront") ? r.get("files").get("upfront").asText() : null,
                r.hasNonNull("amortized") ? Amortization.readFrom(r.get("amortized")) : null,
                r.hasNonNull("split_cost_allocation") ? new SplitLineItems(
                        r.get("split_cost_allocation").get("line_items").asLong(),
                        r.get("split_cost_allocation").get("with_ecs_tags").asLong(),
                        r.get("split_cost_allocation").get("tasks").asLong(),
                        r.get("split_cost_allocation").get("unrecorded_tasks").asLong()) : null);
    }

    private static SortedMap<String, BigDecimal> decimals(JsonNode obj) {
        SortedMap<String, BigDecimal> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            out.put(e.getKey(), new BigDecimal(e.getValue().asText()));
        }
        return out;
    }
}
