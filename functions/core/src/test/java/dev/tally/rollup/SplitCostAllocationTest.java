package dev.tally.rollup;

import dev.tally.RepoFiles;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.billing.Bill;
import dev.tally.billing.BillPart;
import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.billing.ReadSettings;
import dev.tally.history.EventFiles;
import dev.tally.history.InMemoryHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * §9 on a bill worked out by hand ({@code events/split-cost-allocation}): the worked example's tasks and volume, with
 * split line items for instance {@code i-1}'s two hours (one before its row, one after), and for {@code i-2}, which
 * no recorded task ran on. Under {@code aws}: {@code i-1}'s first hour is split 0.35 : 0.65 by AWS's weights (A and B
 * from the history, B's stale tag ignored); its second hour goes to {@code prod/C} by the split row's tags (not to the
 * row's own tag {@code web}); {@code i-2} to {@code other/(unknown)}, the cluster from the task ARN; the volume's
 * part over 00:15–01:00 has no split line item lying within it and falls back to CPU-seconds (A 0.12, B 0.18).
 */
class SplitCostAllocationTest {
    private static final Path DIR = RepoFiles.events("split-cost-allocation");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-01T02:00:00Z"), ZoneOffset.UTC);

    private static Rollup run(String bill, EcsSplit split, RollupRunner.Engine engine) {
        return new RollupRunner(CLOCK, engine).run(new RollupRunner.Request(Bill.of(DIR.resolve(bill)),
                DIR.resolve("events.jsonl"), DIR.resolve("areas.json"), "product_area", null, false,
                CostBasis.UNBLENDED, null, split), bytes -> { });
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"cur-2017-02.csv, FAST", "cur-2017-02.csv, REFERENCE", "cur2-2017-02.csv, FAST",
        "cur2-2017-02.csv, REFERENCE"})
    void shouldSplitHostInstancesByAwssplitWhereTheBillHasIt(String bill, RollupRunner.Engine engine) {
        Rollup rollup = run(bill, EcsSplit.AWS, engine);

        assertThat(rollup.productAreaCosts()).extracting(Rollup.AreaCost::productArea, r -> r.cost().toPlainString())
                .containsExactly(tuple("(unallocated)", "0.1000000000"), tuple("(unmapped)", "2.3300000000"),
                        tuple("alpha", "0.4700000000"));
        assertThat(rollup.serviceCosts()).extracting(Rollup.ServiceCost::cluster, Rollup.ServiceCost::service,
                        Rollup.ServiceCost::productArea, r -> r.cost().toPlainString())
                .containsExactly(tuple("other", "(unknown)", "(unmapped)", "0.5000000000"),
                        tuple("prod", "A", "alpha", "0.4700000000"),
                        tuple("prod", "B", "(unmapped)", "0.8300000000"),
                        tuple("prod", "C", "(unmapped)", "1.0000000000"));
        assertThat(rollup.summary().ecsSplit()).isEqualTo("aws");
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("2.90");
        assertComparison(rollup);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"cur-2017-02.csv, FAST", "cur-2017-02.csv, REFERENCE", "cur2-2017-02.csv, FAST",
        "cur2-2017-02.csv, REFERENCE"})
    void shouldAllocateByCpuSecondsAndStillCompareUnderEvents(String bill, RollupRunner.Engine engine) {
        Rollup rollup = run(bill, EcsSplit.EVENTS, engine);

        assertThat(rollup.productAreaCosts()).extracting(Rollup.AreaCost::productArea, r -> r.cost().toPlainString())
                .containsExactly(tuple("(unallocated)", "0.6000000000"), tuple("(unmapped)", "0.6800000000"),
                        tuple("alpha", "0.6200000000"), tuple("web", "1.0000000000"));
        assertThat(rollup.untaggedResources()).extracting(Rollup.UntaggedResource::resourceId)
                .contains("i-2").doesNotContain("i-1");
        assertThat(rollup.summary().ecsSplit()).isEqualTo("events");
        assertComparison(rollup);
    }

    /** The same comparison in either mode: CPU-seconds against AWS's split, over the instances' own rows. */
    private static void assertComparison(Rollup rollup) {
        assertThat(rollup.hasSplitLineItems()).isTrue();
        assertThat(rollup.ecsSplit().splitLineItems()).isEqualTo(4);
        assertThat(rollup.ecsSplitComparison()).extracting(Rollup.EcsSplitRow::cluster, Rollup.EcsSplitRow::service,
                        Rollup.EcsSplitRow::productArea, r -> r.eventsCost().toPlainString(),
                        r -> r.awsCost().toPlainString(), r -> r.difference().toPlainString())
                .containsExactly(
                        tuple("other", "(unknown)", "(unmapped)", "0.0000000000", "0.5000000000", "0.5000000000"),
                        tuple("prod", "A", "alpha", "0.5000000000", "0.3500000000", "-0.1500000000"),
                        tuple("prod", "B", "(unmapped)", "0.5000000000", "0.6500000000", "0.1500000000"),
                        tuple("prod", "C", "(unmapped)", "0.0000000000", "1.0000000000", "1.0000000000"));
    }

    @Test
    void shouldWriteTheComparisonTableAndTheModeInTheSummary(@TempDir Path out) throws IOException {
        RollupWriter.write(run("cur-2017-02.csv", EcsSplit.AWS, RollupRunner.Engine.FAST), out);

        assertThat(Files.readAllLines(out.resolve("ecs_split_comparison.csv"))).containsExactly(
                "billing_period,cluster,service,product_area,events_cost,aws_cost,difference",
                "2017-02,other,(unknown),(unmapped),0.0000000000,0.5000000000,0.5000000000",
                "2017-02,prod,A,alpha,0.5000000000,0.3500000000,-0.1500000000",
                "2017-02,prod,B,(unmapped),0.5000000000,0.6500000000,0.1500000000",
                "2017-02,prod,C,(unmapped),0.0000000000,1.0000000000,1.0000000000");
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"ecs_split\" : \"aws\"");
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"split_line_items\" : 4");
    }

    @Test
    void shouldWriteNoComparisonNorModeForABillWithoutSplitLineItems(@TempDir Path out) throws IOException {
        Path events = RepoFiles.events("worked-example");
        Rollup rollup = new RollupRunner(CLOCK).run(new RollupRunner.Request(events.resolve("bill-2017-02.csv"),
                events.resolve("events.jsonl"), events.resolve("areas.json"), "product_area", null), bytes -> { });
        Files.writeString(out.resolve("ecs_split_comparison.csv"), "left by an earlier run");

        RollupWriter.write(rollup, out);

        assertThat(rollup.ecsSplit()).isNull();
        assertThat(out.resolve("ecs_split_comparison.csv")).doesNotExist();
        assertThat(Files.readString(out.resolve("summary.json"))).doesNotContain("ecs_split");
    }

    /**
     * The split line items of a host's hour in a later part than its row, read the way a distributed run reads a
     * bill: each part apart, through the codec, merged and finished once with the history from the store.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"AWS", "EVENTS"})
    void shouldWaitAcrossPartsForTheSplitLineItems(EcsSplit split, @TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve("cur-2017-02.csv"));
        Path parts = Files.createDirectories(dir.resolve("parts"));
        // part 1: the header and the host rows; part 2: the header and the split line items
        List<String> first = new ArrayList<>(List.of(lines.get(0)));
        List<String> second = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            (line.contains(":task/") ? second : first).add(line);
        }
        Files.write(parts.resolve("bill-1.csv"), first);
        Files.write(parts.resolve("bill-2.csv"), second);
        InMemoryHistoryStore history = new InMemoryHistoryStore();
        EventFiles.read(DIR.resolve("events.jsonl"), history::record);
        ProductAreaMap areas = ProductAreaFile.read(DIR.resolve("areas.json"));
        ReadSettings settings = new ReadSettings("product_area", CostBasis.UNBLENDED, split);
        RollupByParts byParts = new RollupByParts(RollupRunner.Engine.FAST, settings);
        Bill bill = Bill.of(parts);
        List<BillPartRead> reads = new ArrayList<>();
        for (BillPart part : bill.parts()) {
            reads.add(BillPartCodec.decode(new ByteArrayInputStream(BillPartCodec.encode(
                    byParts.read(part, areas, history)))));
        }

        Rollup merged = byParts.merge(bill, reads, areas, history, "run-1");
        Rollup whole = run("cur-2017-02.csv", split, RollupRunner.Engine.REFERENCE);

        assertThat(merged.productAreaCosts()).isEqualTo(whole.productAreaCosts());
        assertThat(merged.serviceCosts()).isEqualTo(whole.serviceCosts());
        assertThat(merged.untaggedResources()).isEqualTo(whole.untaggedResources());
        assertThat(merged.rowsByRule()).isEqualTo(whole.rowsByRule());
        assertThat(merged.ecsSplit()).isEqualTo(whole.ecsSplit());
        assertComparison(merged);
    }

    /**
     * A generated month, checked against a plain reading of its own CSV: under {@code aws}, AWS's split gives the
     * services exactly the cost of the instance rows that have split line items within their window (and nothing
     * of the others), and CPU-seconds give them exactly what rule 1 placed under {@code events}.
     */
    @Test
    void shouldGiveTheServicesTheCostOfEveryHostRowWithSplitLineItems(@TempDir Path dir) throws IOException {
        dev.tally.testkit.Manifest m = dev.tally.testkit.MonthGenerator.generate(dev.tally.testkit.MonthSpec.builder()
                .format(dev.tally.testkit.BillFormat.CUR).compression(dev.tally.testkit.Compression.NONE).seed(31)
                .targetRows(3_000).splitCostAllocation(true).ecsTagShare(0.5).unrecordedTaskShare(0.2).build(), dir);
        Path bill = dir.resolve(m.billFile());
        java.util.Map<String, List<long[]>> splitWindows = new java.util.HashMap<>();
        List<String[]> hosts = new ArrayList<>();
        try (var csv = de.siegmar.fastcsv.reader.CsvReader.builder().ofNamedCsvRecord(bill)) {
            for (var row : csv) {
                String parent = row.getField("splitLineItem/ParentResourceId");
                long start = Instant.parse(row.getField("lineItem/UsageStartDate")).toEpochMilli();
                long end = Instant.parse(row.getField("lineItem/UsageEndDate")).toEpochMilli();
                if (!parent.isEmpty()) {
                    splitWindows.computeIfAbsent(parent, p -> new ArrayList<>()).add(new long[] {start, end});
                } else if (row.getField("lineItem/ResourceId").startsWith("i-")) {
                    hosts.add(new String[] {row.getField("lineItem/ResourceId"), Long.toString(start),
                        Long.toString(end), row.getField("lineItem/UnblendedCost")});
                }
            }
        }
        java.math.BigDecimal withSplit = java.math.BigDecimal.ZERO;
        for (String[] host : hosts) {
            long start = Long.parseLong(host[1]);
            long end = Long.parseLong(host[2]);
            if (splitWindows.getOrDefault(host[0], List.of()).stream().anyMatch(w -> w[0] >= start && w[1] <= end)) {
                withSplit = withSplit.add(new java.math.BigDecimal(host[3]));
            }
        }
        Path events = dir.resolve(m.eventsFile());
        Path areas = dir.resolve(m.areasFile());
        Rollup aws = runFile(bill, events, areas, m.tagKey(), EcsSplit.AWS);
        Rollup byEvents = runFile(bill, events, areas, m.tagKey(), EcsSplit.EVENTS);
        // the same month with the waiting rows and weights written to disk after a few records
        System.setProperty("tally.split-log.records", "8");
        Rollup spilled;
        try {
            spilled = runFile(bill, events, areas, m.tagKey(), EcsSplit.AWS);
        } finally {
            System.clearProperty("tally.split-log.records");
        }
        assertThat(spilled.productAreaCosts()).isEqualTo(aws.productAreaCosts());
        assertThat(spilled.serviceCosts()).isEqualTo(aws.serviceCosts());
        assertThat(spilled.ecsSplitComparison()).isEqualTo(aws.ecsSplitComparison());

        assertThat(withSplit.signum()).isPositive();
        assertThat(sum(aws.ecsSplitComparison(), Rollup.EcsSplitRow::awsCost)).isEqualByComparingTo(withSplit);
        assertThat(byEvents.ecsSplitComparison()).isEqualTo(aws.ecsSplitComparison());
        assertThat(aws.ecsSplitComparison()).anyMatch(r -> r.service().equals("(unknown)"))
                .anyMatch(r -> r.difference().signum() != 0);
        assertThat(aws.summary().totalCost()).isEqualByComparingTo(byEvents.summary().totalCost());
        assertThat(aws.productAreaCosts()).isNotEqualTo(byEvents.productAreaCosts());
    }

    private static Rollup runFile(Path bill, Path events, Path areas, String tagKey, EcsSplit split) {
        return new RollupRunner(CLOCK).run(new RollupRunner.Request(Bill.of(bill), events, areas, tagKey, null, false,
                CostBasis.UNBLENDED, null, split), bytes -> { });
    }

    private static java.math.BigDecimal sum(List<Rollup.EcsSplitRow> rows,
                                            java.util.function.Function<Rollup.EcsSplitRow, java.math.BigDecimal> f) {
        return rows.stream().map(f).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    }
}
