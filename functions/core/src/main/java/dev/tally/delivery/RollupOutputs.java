package dev.tally.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.billing.CostBasis;
import dev.tally.money.Money;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupTables;
import dev.tally.rollup.RollupWriter;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where a run's outputs go in the output bucket, laid out for Athena and Glue (Hive partitions), and
 * the writing of them:
 * <pre>
 * rollups/&lt;table&gt;/billing_period=YYYY-MM/cost_basis=&lt;basis&gt;/run_id=&lt;id&gt;/part-0.csv  every run
 * runs/billing_period=YYYY-MM/cost_basis=&lt;basis&gt;/run_id=&lt;id&gt;/summary.json, report.json, run.json
 * finalized/&lt;table&gt;/billing_period=YYYY-MM/cost_basis=&lt;basis&gt;/part-0.csv    final bills only, replaced
 * finalized/_runs/billing_period=YYYY-MM/cost_basis=&lt;basis&gt;/run.json            which run they are
 * work/&lt;execution&gt;/parts.json, part-NNNNN.json.gz      a distributed run's parts and their reads
 * </pre>
 * (under a configurable prefix). {@code <basis>} is the run's cost basis ({@link CostBasis#id()}: {@code unblended}
 * or {@code amortized}), on every run, so the bases of one delivery lie side by side and a reader picks one by its
 * partition. Table files have a header and neither a {@code billing_period} nor a {@code cost_basis} column: the
 * partitions are. A finalized table is one object, so replacing it is atomic (S3 replaces an object whole); the run
 * marker is written last. A final bill replaces the finalized tables of its own basis only. {@code run.json} is the
 * {@link RunRecord}: a failed warehouse load is retried from it, without rolling up again.
 */
public final class RollupOutputs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String JSON_TYPE = "application/json";

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;

    /** @param prefix a key prefix for everything ({@code ""}, or e.g. {@code tally/}) */
    public RollupOutputs(ObjectStore store, String bucket, String prefix) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = keyPrefix(prefix);
    }

    /** A key prefix as every writer and reader of the layout uses it: empty, or ending in {@code /}. */
    public static String keyPrefix(String prefix) {
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    public String bucket() {
        return bucket;
    }

    public String tableKey(RollupTables table, String period, CostBasis basis, String runId) {
        return prefix + "rollups/" + table.id() + "/" + partition(period, basis) + "/run_id=" + runId + "/part-0.csv";
    }

    public String finalizedKey(RollupTables table, String period, CostBasis basis) {
        return prefix + "finalized/" + table.id() + "/" + partition(period, basis) + "/part-0.csv";
    }

    public String runKey(String period, CostBasis basis, String runId, String file) {
        return prefix + "runs/" + partition(period, basis) + "/run_id=" + runId + "/" + file;
    }

    public String finalizedRunKey(String period, CostBasis basis) {
        return prefix + "finalized/_runs/" + partition(period, basis) + "/run.json";
    }

    /** {@code billing_period=YYYY-MM/cost_basis=<basis>}: the two partitions every output is under. */
    private static String partition(String period, CostBasis basis) {
        return "billing_period=" + period + "/cost_basis=" + basis.id();
    }

    /** Where a distributed run keeps its work ({@link DistributedRun}), by its execution's name. */
    public String workKey(String execution, String file) {
        return prefix + "work/" + execution + "/" + file;
    }

    /**
     * Writes a run's tables, summary and report, and its record.
     *
     * @param source the object that started the run
     */
    public RunRecord writeRun(Rollup rollup, String source, Instant startedAt, Instant finishedAt)
            throws IOException {
        Rollup.Summary s = rollup.summary();
        CostBasis basis = CostBasis.parse(s.costBasis());
        Map<RollupTables, String> tables = new EnumMap<>(RollupTables.class);
        for (RollupTables table : RollupTables.values()) {
            String key = tableKey(table, s.billingPeriod(), basis, s.runId());
            store.put(bucket, key, table.bytes(rollup, false), CSV);
            tables.put(table, key);
        }
        store.put(bucket, runKey(s.billingPeriod(), basis, s.runId(), "summary.json"),
                JSON.writeValueAsBytes(RollupWriter.summaryJson(s)), JSON_TYPE);
        store.put(bucket, runKey(s.billingPeriod(), basis, s.runId(), "report.json"),
                JSON.writeValueAsBytes(RollupWriter.reportJson(rollup)), JSON_TYPE);
        RunRecord run = new RunRecord(s.runId(), s.billingPeriod(), basis, source, s.format(), s.isFinal(), false,
                s.lineItems(), s.skippedRows(), s.malformedRows(), s.otherPeriodRows(), s.totalCost(),
                s.allocatedCost(), s.unallocatedCost(), s.unmappedCost(), s.coverage(), startedAt, finishedAt, bucket,
                tables);
        writeRecord(run);
        return run;
    }

    /**
     * Replaces the period's finalized tables of the run's basis with the run's (a final bill), marker last; the
     * other basis's finalized tables are not touched.
     *
     * @return the run, marked as having replaced the finalized tables
     */
    public RunRecord finalize(Rollup rollup, RunRecord run) throws IOException {
        for (RollupTables table : RollupTables.values()) {
            store.put(bucket, finalizedKey(table, run.billingPeriod(), run.costBasis()), table.bytes(rollup, false),
                    CSV);
        }
        RunRecord finalized = run.asFinalized();
        writeRecord(finalized);
        store.put(bucket, finalizedRunKey(run.billingPeriod(), run.costBasis()),
                JSON.writeValueAsBytes(toJson(finalized)), JSON_TYPE);
        return finalized;
    }

    private void writeRecord(RunRecord run) throws IOException {
        store.put(bucket, runKey(run.billingPeriod(), run.costBasis(), run.runId(), "run.json"),
                JSON.writeValueAsBytes(toJson(run)), JSON_TYPE);
    }

    /** A run's record, as written by {@link #writeRun} (and {@link #finalize}). */
    public RunRecord readRun(String period, CostBasis basis, String runId) throws IOException {
        try (InputStream in = store.get(bucket, runKey(period, basis, runId, "run.json"), "", "")) {
            return fromJson(JSON.readTree(in));
        }
    }

    /** A {@code run.json} as {@link #writeRun} writes it, wherever it was found (a listing of {@code runs/}, say). */
    public static RunRecord parseRecord(InputStream json) throws IOException {
        return fromJson(JSON.readTree(json));
    }

    static ObjectNode toJson(RunRecord run) {
        ObjectNode node = JSON.createObjectNode();
        node.put("run_id", run.runId());
        node.put("billing_period", run.billingPeriod());
        node.put("cost_basis", run.costBasis().id());
        node.put("source", run.source());
        node.put("format", run.format());
        node.put("final", run.isFinal());
        node.put("finalized", run.finalized());
        node.put("line_items", run.lineItems());
        node.put("skipped_rows", run.skippedRows());
        node.put("malformed_rows", run.malformedRows());
        node.put("other_period_rows", run.otherPeriodRows());
        node.put("total_cost", Money.format(run.totalCost()));
        node.put("allocated_cost", Money.format(run.allocatedCost()));
        node.put("unallocated_cost", Money.format(run.unallocatedCost()));
        node.put("unmapped_cost", Money.format(run.unmappedCost()));
        node.put("coverage", run.coverage().toPlainString());
        node.put("started_at", run.startedAt().toString());
        node.put("finished_at", run.finishedAt().toString());
        node.put("bucket", run.bucket());
        ObjectNode tables = node.putObject("tables");
        run.tables().forEach((table, key) -> tables.put(table.id(), key));
        return node;
    }

    static RunRecord fromJson(JsonNode n) {
        Map<RollupTables, String> tables = new EnumMap<>(RollupTables.class);
        for (RollupTables table : RollupTables.values()) {
            tables.put(table, n.path("tables").path(table.id()).asText());
        }
        return new RunRecord(n.path("run_id").asText(), n.path("billing_period").asText(),
                CostBasis.parse(n.path("cost_basis").asText()), n.path("source").asText(),
                n.path("format").asText(), n.path("final").asBoolean(), n.path("finalized").asBoolean(),
                n.path("line_items").asLong(), n.path("skipped_rows").asLong(), n.path("malformed_rows").asLong(),
                n.path("other_period_rows").asLong(), money(n, "total_cost"), money(n, "allocated_cost"),
                money(n, "unallocated_cost"), money(n, "unmapped_cost"), new BigDecimal(n.path("coverage").asText()),
                Instant.parse(n.path("started_at").asText()), Instant.parse(n.path("finished_at").asText()),
                n.path("bucket").asText(), tables);
    }

    private static BigDecimal money(JsonNode n, String field) {
        return Money.parse(n.path(field).asText());
    }
}
