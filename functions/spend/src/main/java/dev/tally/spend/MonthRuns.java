package dev.tally.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.tally.allocation.Accrual;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RollupOutputs;
import dev.tally.delivery.RunRecord;
import dev.tally.money.Money;
import dev.tally.rollup.RollupTables;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The months the billing function has written to an output bucket (or a local directory holding the same layout,
 * through {@link dev.tally.delivery.DirectoryObjectStore}): for each billing period and cost basis, the finalized run
 * if a final bill has replaced the month, else its latest run (run ids sort by time). Runs are found by listing
 * {@code runs/}: a {@code run.json} under {@code billing_period=YYYY-MM/} (and {@code cost_basis=…/} where the layout
 * has that partition) names its tables; its {@code summary.json} and {@code report.json} lie beside it.
 */
public final class MonthRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_FILE = "run.json";
    /** The basis of runs written before the layout had a {@code cost_basis=} partition or summary field. */
    public static final String DEFAULT_BASIS = "unblended";

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;

    /** @param prefix the outputs' key prefix ({@code ""}, or e.g. {@code tally/}), as the billing function has it */
    public MonthRuns(ObjectStore store, String bucket, String prefix) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = RollupOutputs.keyPrefix(prefix);
    }

    /** Where one run's files are, from the partitions of its {@code run.json} key. */
    record RunKey(YearMonth period, String basis, String runId, String directory) {
    }

    /** The run.json keys found under {@code runs/}, by (basis, period), newest run last. */
    private SortedMap<String, SortedMap<YearMonth, List<RunKey>>> runKeys() throws IOException {
        SortedMap<String, SortedMap<YearMonth, List<RunKey>>> runs = new TreeMap<>();
        for (String key : store.list(bucket, prefix + "runs/")) {
            parse(key).ifPresent(run -> runs.computeIfAbsent(run.basis(), b -> new TreeMap<>())
                    .computeIfAbsent(run.period(), p -> new ArrayList<>()).add(run));
        }
        runs.values().forEach(periods -> periods.values().forEach(list -> list.sort(
                java.util.Comparator.comparing(RunKey::runId))));
        return runs;
    }

    static Optional<RunKey> parse(String key) {
        if (!key.endsWith("/" + RUN_FILE)) {
            return Optional.empty();
        }
        YearMonth period = null;
        String basis = DEFAULT_BASIS;
        String runId = null;
        for (String segment : key.substring(0, key.length() - RUN_FILE.length() - 1).split("/")) {
            try {
                if (segment.startsWith("billing_period=")) {
                    period = YearMonth.parse(segment.substring("billing_period=".length()));
                }
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
            if (segment.startsWith("cost_basis=")) {
                basis = segment.substring("cost_basis=".length());
            } else if (segment.startsWith("run_id=")) {
                runId = segment.substring("run_id=".length());
            }
        }
        if (period == null || runId == null || runId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RunKey(period, basis, runId, key.substring(0, key.length() - RUN_FILE.length())));
    }

    /** The cost bases the bucket has runs of. */
    public SortedSet<String> bases() throws IOException {
        return new TreeSet<>(runKeys().keySet());
    }

    /**
     * The months of one cost basis, oldest first: each the run whose tables are finalized, else the latest run.
     *
     * @param problems told of a run that cannot be read (it is left out, and the month's previous run used)
     */
    public List<MonthRollup> read(String costBasis, Consumer<String> problems) throws IOException {
        List<MonthRollup> months = new ArrayList<>();
        SortedMap<YearMonth, List<RunKey>> periods = runKeys().getOrDefault(costBasis, Collections.emptySortedMap());
        for (Map.Entry<YearMonth, List<RunKey>> period : periods.entrySet()) {
            choose(period.getValue(), problems).ifPresent(months::add);
        }
        return months;
    }

    /**
     * The newest finalized run of a period if there is one (a final bill's run is rewritten with
     * {@code finalized: true}; a corrected final bill finalizes a newer run), else the newest run that reads. Runs are
     * looked at newest first, so a closed month usually costs one read.
     */
    private Optional<MonthRollup> choose(List<RunKey> runs, Consumer<String> problems) {
        List<RunKey> newerKeys = new ArrayList<>();
        List<RunRecord> newer = new ArrayList<>();
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunKey key = runs.get(i);
            try (InputStream in = store.get(bucket, key.directory() + RUN_FILE, "", "")) {
                RunRecord record = RollupOutputs.parseRecord(in);
                if (record.finalized()) {
                    Optional<MonthRollup> month = read(key, record, problems);
                    if (month.isPresent()) {
                        return month;
                    }
                } else {
                    newerKeys.add(key);
                    newer.add(record);
                }
            } catch (IOException | RuntimeException e) {
                problems.accept("s3://" + bucket + "/" + key.directory() + RUN_FILE + " cannot be read: "
                        + e.getMessage());
            }
        }
        for (int i = 0; i < newer.size(); i++) {
            Optional<MonthRollup> month = read(newerKeys.get(i), newer.get(i), problems);
            if (month.isPresent()) {
                return month;
            }
        }
        return Optional.empty();
    }

    private Optional<MonthRollup> read(RunKey key, RunRecord record, Consumer<String> problems) {
        try {
            JsonNode summary = json(key.directory() + "summary.json");
            Optional<MonthRollup.MonthAccrual> accrual = Optional.empty();
            try {
                accrual = accrual(json(key.directory() + "report.json").path("accrual"));
            } catch (ObjectStore.NotFound e) {
                problems.accept("s3://" + bucket + "/" + key.directory() + "report.json is missing: no forecast");
            }
            SortedMap<Subject, BigDecimal> areas = new TreeMap<>();
            SortedMap<Subject, BigDecimal> services = new TreeMap<>();
            SortedMap<Subject, String> serviceAreas = new TreeMap<>();
            SortedMap<Subject, BigDecimal> products = new TreeMap<>();
            List<MonthRollup.Untagged> untagged = new ArrayList<>();
            table(record, RollupTables.PRODUCT_AREA_COSTS, r -> areas.merge(Subject.area(r.getField("product_area")),
                    cost(r), BigDecimal::add));
            table(record, RollupTables.SERVICE_COSTS, r -> {
                Subject service = Subject.service(r.getField("cluster"), r.getField("service"));
                services.merge(service, cost(r), BigDecimal::add);
                serviceAreas.put(service, r.getField("product_area"));
            });
            table(record, RollupTables.PRODUCT_AREA_AWS_PRODUCT_COSTS, r -> products.merge(
                    Subject.productInArea(r.getField("aws_product"), r.getField("product_area")), cost(r),
                    BigDecimal::add));
            table(record, RollupTables.UNTAGGED_RESOURCES, r -> untagged.add(new MonthRollup.Untagged(
                    r.getField("aws_product"), r.getField("resource_id"), cost(r))));
            MonthRollup.Totals totals = new MonthRollup.Totals(money(summary, "total_cost"),
                    money(summary, "allocated_cost"), money(summary, "unallocated_cost"),
                    money(summary, "unmapped_cost"), new BigDecimal(summary.path("coverage").asText("0")));
            return Optional.of(new MonthRollup(key.period(), record.runId(), key.basis(), record.isFinal(),
                    record.finishedAt(), totals, Collections.unmodifiableSortedMap(areas),
                    Collections.unmodifiableSortedMap(services), Collections.unmodifiableSortedMap(serviceAreas),
                    Collections.unmodifiableSortedMap(products), List.copyOf(untagged), accrual));
        } catch (IOException | RuntimeException e) {
            problems.accept("run " + record.runId() + " of " + key.period() + " cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private JsonNode json(String key) throws IOException {
        try (InputStream in = store.get(bucket, key, "", "")) {
            return JSON.readTree(in);
        }
    }

    private void table(RunRecord record, RollupTables table, Consumer<NamedCsvRecord> row) throws IOException {
        String key = record.tables().get(table);
        if (key == null || key.isEmpty()) {
            throw new IOException("its run.json names no " + table.id() + " table");
        }
        try (InputStream in = store.get(bucket, key, "", "");
             CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(
                     new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Iterator<NamedCsvRecord> rows = csv.iterator();
            while (rows.hasNext()) {
                row.accept(rows.next());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static BigDecimal cost(NamedCsvRecord row) {
        return Money.parse(row.getField("cost"));
    }

    private static BigDecimal money(JsonNode node, String field) throws IOException {
        if (!node.path(field).isTextual()) {
            throw new IOException("summary.json has no " + field);
        }
        return Money.parse(node.path(field).asText());
    }

    static Optional<MonthRollup.MonthAccrual> accrual(JsonNode node) {
        if (node.isMissingNode() || !node.path("products").isObject()) {
            return Optional.empty();
        }
        Optional<Instant> through = node.path("usage_through").isTextual()
                ? Optional.of(Instant.parse(node.path("usage_through").asText())) : Optional.empty();
        SortedMap<String, Accrual.Product> products = new TreeMap<>();
        node.path("products").fields().forEachRemaining(p -> {
            SortedMap<LocalDate, BigDecimal> days = new TreeMap<>();
            p.getValue().path("usage_by_day").fields().forEachRemaining(d ->
                    days.put(LocalDate.parse(d.getKey()), Money.parse(d.getValue().asText())));
            products.put(p.getKey(), new Accrual.Product(Money.parse(p.getValue().path("fixed").asText("0")),
                    Collections.unmodifiableSortedMap(days)));
        });
        return Optional.of(new MonthRollup.MonthAccrual(through, Collections.unmodifiableSortedMap(products)));
    }
}
