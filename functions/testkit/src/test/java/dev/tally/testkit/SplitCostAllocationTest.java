package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code split-cost-allocation}: the split line items of a generated CUR and CUR 2.0 month, read back with a CSV
 * library (and parquet-java for the Parquet export), checked against AWS's method and the allocation contract's §9.
 */
class SplitCostAllocationTest {
    @TempDir
    Path dir;

    /** The columns a test reads, by format. */
    private record Columns(String resource, String cost, String start, String end, String usageType, String product,
                           String type, String operation, String parent, String split, String unused,
                           String ratio, String reserved, String actual, String usage) {
        static Columns of(BillFormat f) {
            return f == BillFormat.CUR
                    ? new Columns("lineItem/ResourceId", "lineItem/UnblendedCost", "lineItem/UsageStartDate",
                    "lineItem/UsageEndDate", "lineItem/UsageType", "product/ProductName", "lineItem/LineItemType",
                    "lineItem/Operation", "splitLineItem/ParentResourceId", "splitLineItem/SplitCost",
                    "splitLineItem/UnusedCost", "splitLineItem/SplitUsageRatio", "splitLineItem/ReservedUsage",
                    "splitLineItem/ActualUsage", "splitLineItem/SplitUsage")
                    : new Columns("line_item_resource_id", "line_item_unblended_cost", "line_item_usage_start_date",
                    "line_item_usage_end_date", "line_item_usage_type", "product_product_name",
                    "line_item_line_item_type", "line_item_operation", "split_line_item_parent_resource_id",
                    "split_line_item_split_cost", "split_line_item_unused_cost", "split_line_item_split_usage_ratio",
                    "split_line_item_reserved_usage", "split_line_item_actual_usage", "split_line_item_split_usage");
        }
    }

    private static List<Map<String, String>> rows(Path bill) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(
                new InputStreamReader(TestFiles.open(bill), StandardCharsets.UTF_8))) {
            for (NamedCsvRecord r : csv) {
                rows.add(r.getFieldsAsMap());
            }
        }
        return rows;
    }

    private static List<String> header(Path bill) throws IOException {
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(
                new InputStreamReader(TestFiles.open(bill), StandardCharsets.UTF_8))) {
            return csv.iterator().next().getHeader();
        }
    }

    /** The ECS task ARNs of the events file. */
    private static Set<String> taskArnsWithEvents(Path events) throws IOException {
        Set<String> arns = new HashSet<>();
        for (String line : TestFiles.lines(events)) {
            JsonNode n = TestFiles.jsonOrNull(line);
            if (n != null && n.path("detail").hasNonNull("taskArn")) {
                arns.add(n.path("detail").path("taskArn").asText());
            }
        }
        return arns;
    }

    private static String hourOf(String instant) {
        return Instant.parse(instant).truncatedTo(ChronoUnit.HOURS).toString();
    }

    private static String key(String instance, String start) {
        return instance + " " + hourOf(start);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"CUR, NONE", "CUR, GZIP", "CUR2, NONE", "CUR2, GZIP"})
    void splitLineItemsShareOutEachInstanceHourExactly(BillFormat format, Compression compression) throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().format(format).compression(compression)
                .splitCostAllocation(true).build(), dir);
        Columns c = Columns.of(format);
        List<Map<String, String>> rows = rows(dir.resolve(m.billFile()));
        Set<String> recorded = taskArnsWithEvents(dir.resolve(m.eventsFile()));

        Map<String, BigDecimal> instanceCost = new HashMap<>();
        Map<String, Integer> instanceRow = new HashMap<>();
        Map<String, BigDecimal> splitSum = new LinkedHashMap<>();
        Map<String, int[]> splitRows = new HashMap<>();
        Map<String, Integer> firstSplitRow = new HashMap<>();
        Map<String, Integer> lastSplitRow = new HashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        long costRows = 0;
        long split = 0;
        long tagged = 0;
        long unrecorded = 0;
        long unrecordedUntagged = 0;
        for (int n = 0; n < rows.size(); n++) {
            Map<String, String> r = rows.get(n);
            if (r.get(c.product()).isEmpty()) {
                continue;
            }
            costRows++;
            total = total.add(new BigDecimal(r.get(c.cost())));
            String resource = r.get(c.resource());
            if (resource.startsWith("i-") && r.get(c.usageType()).startsWith("BoxUsage:")) {
                String k = key(resource, r.get(c.start()));
                assertThat(instanceCost.put(k, new BigDecimal(r.get(c.cost())))).as("one row per instance-hour: " + k)
                        .isNull();
                instanceRow.put(k, n);
            }
            String parent = r.get(c.parent());
            if (parent.isEmpty()) {
                assertThat(r.get(c.split())).isEmpty();
                continue;
            }
            split++;
            assertThat(resource).startsWith("arn:aws:ecs:us-east-1:").contains(":task/");
            assertThat(parent).startsWith("i-");
            assertThat(new BigDecimal(r.get(c.cost()))).isZero();
            assertThat(r.get(c.product())).isEqualTo("Amazon Elastic Container Service");
            assertThat(r.get(c.type())).isEqualTo("Usage");
            assertThat(r.get(c.operation())).isEqualTo("ECSTask-EC2");
            assertThat(r.get(c.usageType())).isIn("USE1-ECS-EC2-vCPU-Hours", "USE1-ECS-EC2-GB-Hours");
            // the window: within one hour, clipped to the task's run
            Instant start = Instant.parse(r.get(c.start()));
            Instant end = Instant.parse(r.get(c.end()));
            assertThat(end).isAfter(start).isBeforeOrEqualTo(start.truncatedTo(ChronoUnit.HOURS).plus(1,
                    ChronoUnit.HOURS));
            // allocated usage is the larger of reserved and used
            assertThat(new BigDecimal(r.get(c.usage()))).isEqualByComparingTo(
                    new BigDecimal(r.get(c.reserved())).max(new BigDecimal(r.get(c.actual()))));
            assertThat(new BigDecimal(r.get(c.ratio()))).isBetween(BigDecimal.ZERO, BigDecimal.ONE);
            for (String money : List.of(r.get(c.split()), r.get(c.unused()))) {
                assertThat(new BigDecimal(money).scale()).as("at most 10 decimal places").isLessThanOrEqualTo(10);
                assertThat(new BigDecimal(money).signum()).isNotNegative();
            }
            String k = key(parent, r.get(c.start()));
            splitSum.merge(k, new BigDecimal(r.get(c.split())).add(new BigDecimal(r.get(c.unused()))),
                    BigDecimal::add);
            splitRows.computeIfAbsent(k, x -> new int[2])[r.get(c.usageType()).contains("vCPU") ? 0 : 1]++;
            firstSplitRow.putIfAbsent(k, n);
            lastSplitRow.put(k, n);
            String[] tags = ecsTags(format, r);
            if (tags[0] != null) {
                tagged++;
                assertThat(resource).contains(":task/" + tags[0] + "/");
            } else {
                assertThat(tags[1]).as("a service tag only with the cluster tag").isNull();
            }
            if (!recorded.contains(resource)) {
                unrecorded++;
                if (tags[0] == null) {
                    unrecordedUntagged++;
                }
            }
        }
        assertThat(split).isPositive().isEqualTo(m.splitCostAllocation().lineItems());
        assertThat(tagged).isEqualTo(m.splitCostAllocation().withEcsTags());
        // split line items add nothing to the month: the manifest's total is Σ of the cost rows
        assertThat(costRows).isEqualTo(m.lineItems());
        assertThat(total).isEqualByComparingTo(m.totalCost());

        for (Map.Entry<String, BigDecimal> e : splitSum.entrySet()) {
            String k = e.getKey();
            assertThat(instanceCost).as("the parent's row of the hour: " + k).containsKey(k);
            assertThat(e.getValue()).as("Σ split + unused cost of " + k).isEqualByComparingTo(instanceCost.get(k));
            assertThat(splitRows.get(k)[0]).as("a vCPU and a memory row per task: " + k)
                    .isEqualTo(splitRows.get(k)[1]);
        }
        long before = splitSum.keySet().stream().filter(k -> firstSplitRow.get(k) < instanceRow.get(k)).count();
        long after = splitSum.keySet().stream().filter(k -> lastSplitRow.get(k) > instanceRow.get(k) + 1).count();
        assertThat(before).as("instance-hours whose split line items come before the instance's row").isPositive();
        assertThat(after).as("... and after it, with other rows between").isPositive();

        assertThat((double) tagged / split).as("ECS tag share").isCloseTo(0.5, within(0.12));
        assertThat(unrecorded).as("split line items of tasks without events").isPositive()
                .isLessThan(split / 5);
        assertThat(unrecordedUntagged).as("... some of them without ECS tags either").isPositive();
        assertThat(m.splitCostAllocation().unrecordedTasks()).isPositive();
    }

    /** The ECS-managed tags of a row: cluster, service (null when absent). */
    private static String[] ecsTags(BillFormat format, Map<String, String> r) throws IOException {
        if (format == BillFormat.CUR) {
            String cluster = r.get("resourceTags/aws:ecs:clusterName");
            String service = r.get("resourceTags/aws:ecs:serviceName");
            return new String[] {cluster.isEmpty() ? null : cluster, service.isEmpty() ? null : service};
        }
        JsonNode tags = TestFiles.JSON.readTree(r.get("resource_tags"));
        return new String[] {tags.hasNonNull("aws_ecs_cluster_name") ? tags.get("aws_ecs_cluster_name").asText() : null,
            tags.hasNonNull("aws_ecs_service_name") ? tags.get("aws_ecs_service_name").asText() : null};
    }

    @Test
    void withCommitmentsTheSplitIsOfTheAmortizedInstanceHour() throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR).commitments(true)
                .splitCostAllocation(true).build(), dir);
        Columns c = Columns.of(BillFormat.CUR);
        Map<String, BigDecimal> amortized = new HashMap<>();
        Map<String, BigDecimal> splitSum = new HashMap<>();
        Set<String> types = new HashSet<>();
        for (Map<String, String> r : rows(dir.resolve(m.billFile()))) {
            String parent = r.get(c.parent());
            if (!parent.isEmpty()) {
                splitSum.merge(key(parent, r.get(c.start())), new BigDecimal(r.get(c.split()))
                        .add(new BigDecimal(r.get(c.unused()))), BigDecimal::add);
            } else if (r.get(c.resource()).startsWith("i-") && r.get(c.usageType()).startsWith("BoxUsage:")) {
                String type = r.get(c.type());
                BigDecimal a = switch (type) {
                    case "DiscountedUsage" -> new BigDecimal(r.get("reservation/EffectiveCost"));
                    case "SavingsPlanCoveredUsage" -> new BigDecimal(r.get("savingsPlan/SavingsPlanEffectiveCost"));
                    case "SavingsPlanNegation" -> null;
                    default -> new BigDecimal(r.get(c.cost()));
                };
                if (a != null) {
                    amortized.put(key(r.get(c.resource()), r.get(c.start())), a);
                }
            }
        }
        splitSum.forEach((k, v) -> {
            assertThat(amortized).containsKey(k);
            assertThat(v).as(k).isEqualByComparingTo(amortized.get(k));
        });
        assertThat(splitSum).isNotEmpty();
    }

    @Test
    void withoutTheOptionTheBillHasNoSplitColumnNorRow() throws IOException {
        for (BillFormat f : List.of(BillFormat.CUR, BillFormat.CUR2)) {
            Path d = dir.resolve(f.id());
            Manifest m = MonthGenerator.generate(TestFiles.small().format(f).build(), d);
            assertThat(header(d.resolve(m.billFile()))).noneMatch(h -> h.startsWith("splitLineItem/")
                    || h.startsWith("split_line_item_") || h.contains("aws:ecs:"));
            assertThat(Files.readString(d.resolve(m.billFile()))).doesNotContain("ECSTask-EC2", "aws_ecs_");
            assertThat(m.splitCostAllocation()).isNull();
            assertThat(Files.readString(d.resolve(Manifest.FILE_NAME))).doesNotContain("split_cost_allocation");
        }
        Path d = dir.resolve("parquet");
        Manifest m = MonthGenerator.generate(TestFiles.small().targetRows(3_000).format(BillFormat.CUR2)
                .compression(Compression.PARQUET).build(), d);
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(d.resolve(m.billFile())), options)) {
            assertThat(reader.getFooter().getFileMetaData().getSchema().getFields())
                    .noneMatch(f -> f.getName().startsWith("split_line_item_"));
        }
    }

    @Test
    void theOptionAddsOnlySplitLineItemsToTheMonth() throws IOException {
        Manifest off = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR2).build(), dir.resolve("off"));
        Manifest on = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR2).splitCostAllocation(true)
                .build(), dir.resolve("on"));
        assertThat(on.totalCost()).isEqualByComparingTo(off.totalCost());
        assertThat(on.lineItems()).isEqualTo(off.lineItems() + on.splitCostAllocation().lineItems());
        assertThat(on.invoiceTotals()).isEqualTo(off.invoiceTotals());
        assertThat(on.entities().instances()).isEqualTo(off.entities().instances());
        assertThat(on.entities().tasks()).as("tasks with events")
                .isEqualTo(off.entities().tasks() - on.splitCostAllocation().unrecordedTasks());
    }

    @Test
    void parquetExportCarriesTheSplitColumns() throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().targetRows(6_000).format(BillFormat.CUR2)
                .compression(Compression.PARQUET).splitCostAllocation(true).build(), dir);
        Path file = dir.resolve(m.billFile());
        Map<String, BigDecimal> instanceCost = new HashMap<>();
        Map<String, BigDecimal> splitSum = new HashMap<>();
        long split = 0;
        long tagged = 0;
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            for (String name : List.of("split_line_item_split_cost", "split_line_item_unused_cost",
                    "split_line_item_split_usage_ratio", "split_line_item_reserved_usage",
                    "split_line_item_actual_usage", "split_line_item_split_usage",
                    "split_line_item_public_on_demand_split_cost", "split_line_item_public_on_demand_unused_cost")) {
                Type t = schema.getType(name);
                assertThat(t.asPrimitiveType().getPrimitiveTypeName()).as(name).isEqualTo(PrimitiveTypeName.DOUBLE);
            }
            assertThat(schema.getType("split_line_item_parent_resource_id").asPrimitiveType().getPrimitiveTypeName())
                    .isEqualTo(PrimitiveTypeName.BINARY);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long n = 0; n < pages.getRowCount(); n++) {
                    Group g = records.read();
                    if (g.getFieldRepetitionCount("product_product_name") == 0) {
                        continue;
                    }
                    String resource = g.getFieldRepetitionCount("line_item_resource_id") == 0 ? ""
                            : g.getString("line_item_resource_id", 0);
                    long startMicros = g.getLong("line_item_usage_start_date", 0);
                    String hour = Instant.ofEpochMilli(startMicros / 1000).truncatedTo(ChronoUnit.HOURS).toString();
                    if (g.getFieldRepetitionCount("split_line_item_parent_resource_id") == 0) {
                        assertThat(g.getFieldRepetitionCount("split_line_item_split_cost")).isZero();
                        if (resource.startsWith("i-") && g.getString("line_item_usage_type", 0).startsWith("BoxUsage:")) {
                            instanceCost.put(resource + " " + hour, amount(g, "line_item_unblended_cost"));
                        }
                        continue;
                    }
                    split++;
                    String parent = g.getString("split_line_item_parent_resource_id", 0);
                    splitSum.merge(parent + " " + hour, amount(g, "split_line_item_split_cost")
                            .add(amount(g, "split_line_item_unused_cost")), BigDecimal::add);
                    if (g.getFieldRepetitionCount("resource_tags") > 0) {
                        Group tags = g.getGroup("resource_tags", 0);
                        for (int e = 0; e < tags.getFieldRepetitionCount(0); e++) {
                            if (tags.getGroup(0, e).getString("key", 0).equals("aws_ecs_cluster_name")) {
                                tagged++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(split).isEqualTo(m.splitCostAllocation().lineItems()).isPositive();
        assertThat(tagged).isEqualTo(m.splitCostAllocation().withEcsTags()).isPositive();
        splitSum.forEach((k, v) -> assertThat(v).as(k).isEqualByComparingTo(instanceCost.get(k)));
    }

    /** A Parquet DOUBLE amount as the decimal it stands for (at most 10 places). */
    private static BigDecimal amount(Group g, String column) {
        return Amounts.shortestDecimal(g.getDouble(column, 0)).setScale(Amounts.SCALE,
                java.math.RoundingMode.UNNECESSARY);
    }

    @Test
    void splitsAsAwsPublishesIt() {
        // 4 vCPU, 16 GB, $1 for the hour; two tasks of 1 vCPU for the full hour, 4 GB and 2 GB:
        // a unit is 1/(9×4 + 16) = 1/52; a vCPU-hour costs 9 units, a GB-hour 1
        SplitCostAllocation.Parts p = SplitCostAllocation.split(Amounts.ONE, BigDecimal.valueOf(4),
                BigDecimal.valueOf(16), new BigDecimal[] {BigDecimal.ONE, BigDecimal.ONE},
                new BigDecimal[] {BigDecimal.valueOf(4), BigDecimal.valueOf(2)});
        assertThat(p.cpuSplit()).containsExactly(units("0.1730769231"), units("0.1730769231")); // 9/52
        assertThat(p.memSplit()).containsExactly(units("0.0769230769"), units("0.0384615385")); // 4/52, 2/52
        // unused: 2 vCPU-hours (18/52) spread 1:1, 10 GB-hours (10/52) spread 4:2
        assertThat(p.cpuUnused()).containsExactly(units("0.1730769231"), units("0.1730769230"));
        assertThat(p.memUnused()).containsExactly(units("0.1282051282"), units("0.0641025641"));
        assertThat(p.cpuRatio()).containsExactly(new BigDecimal("0.2500000000"), new BigDecimal("0.2500000000"));
        assertThat(p.memRatio()).containsExactly(new BigDecimal("0.2500000000"), new BigDecimal("0.1250000000"));
        long sum = 0;
        for (long[] a : List.of(p.cpuSplit(), p.cpuUnused(), p.memSplit(), p.memUnused())) {
            for (long v : a) {
                sum += v;
            }
        }
        assertThat(sum).isEqualTo(Amounts.ONE);
    }

    @Test
    void tasksAllocatingMoreThanTheInstanceHasLeaveNoUnusedCost() {
        SplitCostAllocation.Parts p = SplitCostAllocation.split(units("0.3840000000"), BigDecimal.valueOf(2),
                BigDecimal.valueOf(8), new BigDecimal[] {new BigDecimal("1.5"), new BigDecimal("1.25")},
                new BigDecimal[] {new BigDecimal("3"), new BigDecimal("2")});
        assertThat(p.cpuUnused()).containsOnly(0L);
        assertThat(p.cpuSplit()[0] + p.cpuSplit()[1] + p.memSplit()[0] + p.memSplit()[1] + p.memUnused()[0]
                + p.memUnused()[1]).isEqualTo(units("0.3840000000"));
        assertThat(p.cpuRatio()[0].add(p.cpuRatio()[1])).isEqualByComparingTo(BigDecimal.ONE);
    }

    private static long units(String amount) {
        return Amounts.units(new BigDecimal(amount));
    }

    @Test
    void isAUsageErrorWithFormatsWithoutSplitColumns() {
        for (String format : List.of("dbr", "focus")) {
            assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("format", format, "split-cost-allocation", "")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("split-cost-allocation")
                    .hasMessageContaining(format);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = GenerateCommand.run(List.of("--out", dir.toString(), "--format", format,
                    "--split-cost-allocation"), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("split-cost-allocation");
        }
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("format", "cur", "ecs-tag-share", "0.3")))
                .hasMessageContaining("ecs-tag-share").hasMessageContaining("split-cost-allocation");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("format", "cur", "split-cost-allocation", "",
                "unrecorded-task-share", "1.5"))).hasMessageContaining("unrecorded-task-share");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("format", "cur", "split-cost-allocation", "",
                "no-resource-ids", ""))).hasMessageContaining("resource ids");
        assertThat(MonthSpec.fromOptions(Map.of("format", "cur2", "split-cost-allocation", "", "ecs-tag-share", "0.3",
                "unrecorded-task-share", "0")).ecsTagShare()).isEqualTo(0.3);
    }

    @Test
    void theTagShareIsTheConfiguredOne() throws IOException {
        Manifest none = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR).splitCostAllocation(true)
                .ecsTagShare(0).unrecordedTaskShare(0).build(), dir.resolve("none"));
        assertThat(none.splitCostAllocation().withEcsTags()).isZero();
        assertThat(none.splitCostAllocation().unrecordedTasks()).isZero();
        Manifest all = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR).splitCostAllocation(true)
                .ecsTagShare(1).build(), dir.resolve("all"));
        assertThat(all.splitCostAllocation().withEcsTags()).isEqualTo(all.splitCostAllocation().lineItems());
        Manifest some = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR).splitCostAllocation(true)
                .ecsTagShare(0.2).build(), dir.resolve("some"));
        assertThat((double) some.splitCostAllocation().withEcsTags() / some.splitCostAllocation().lineItems())
                .isCloseTo(0.2, within(0.1));
    }
}
