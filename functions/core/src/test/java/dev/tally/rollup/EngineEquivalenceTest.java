package dev.tally.rollup;

import dev.tally.Fixtures;
import dev.tally.Fixtures.Row;
import dev.tally.RepoFiles;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static dev.tally.Fixtures.EC2;
import static dev.tally.Fixtures.S3;
import static dev.tally.Fixtures.millis;
import static org.assertj.core.api.Assertions.assertThat;

/** The fast engine must give exactly what the reference engine gives: every table, count and report line. */
class EngineEquivalenceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    static Rollup run(RollupRunner.Engine engine, Path bill, Path events, Path areas, String tagKey, YearMonth period) {
        return new RollupRunner(CLOCK, engine).run(new RollupRunner.Request(bill, events, areas, tagKey, period),
                bytes -> { });
    }

    static void assertSame(Rollup fast, Rollup reference) {
        assertThat(fast.productAreaCosts()).isEqualTo(reference.productAreaCosts());
        assertThat(fast.productAreaAwsProductCosts()).isEqualTo(reference.productAreaAwsProductCosts());
        assertThat(fast.serviceCosts()).isEqualTo(reference.serviceCosts());
        assertThat(fast.untaggedResources()).isEqualTo(reference.untaggedResources());
        assertThat(fast.billReport()).isEqualTo(reference.billReport());
        assertThat(fast.rowsByRule()).isEqualTo(reference.rowsByRule());
        assertThat(fast.accrual()).isEqualTo(reference.accrual());
        assertThat(fast.accrual().products().values().stream().map(dev.tally.allocation.Accrual.Product::total)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
                .isEqualByComparingTo(reference.summary().totalCost());
        Rollup.Summary f = fast.summary();
        Rollup.Summary r = reference.summary();
        assertThat(new Rollup.Summary(f.billingPeriod(), f.format(), f.isFinal(), f.invoiceIds(), f.lineItems(),
                f.skippedRows(), f.malformedRows(), f.otherPeriodRows(), f.totalCost(), f.allocatedCost(), f.unallocatedCost(),
                f.unmappedCost(), f.coverage(), r.runId(), f.costBasis(), f.ecsSplit())).isEqualTo(r);
        assertThat(fast.ecsSplit()).isEqualTo(reference.ecsSplit());
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @CsvSource({
        "DBR,   GZIP, 1, false, 8",
        "DBR,   NONE, 2, true,  0",
        "CUR,   ZIP,  3, false, 4",
        "CUR,   GZIP, 4, true,  0",
        "CUR2,  NONE, 5, false, 3",
        "CUR2,  GZIP, 6, true,  0",
        "FOCUS, ZIP,  7, false, 5",
        "FOCUS, NONE, 8, true,  0",
    })
    void shouldMatchTheReference_onGeneratedMonths(BillFormat format, Compression compression, long seed,
                                                   boolean estimated, int malformed) throws IOException {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(format).compression(compression).seed(seed)
                .targetRows(12_000).estimated(estimated).malformedRows(malformed).events(EventOptions.messy())
                .build(), dir);

        Path bill = dir.resolve(m.billFile());
        Path events = dir.resolve(m.eventsFile());
        Path areas = dir.resolve(m.areasFile());
        assertSame(run(RollupRunner.Engine.FAST, bill, events, areas, m.tagKey(), null),
                run(RollupRunner.Engine.REFERENCE, bill, events, areas, m.tagKey(), null));
    }

    /** §9: months with split line items, in both modes (AWS's split decides rule 1 at the end of the read). */
    @ParameterizedTest(name = "{0} {1} seed {2} {3}")
    @CsvSource({
        "CUR,   GZIP,    21, AWS,    false",
        "CUR,   NONE,    22, EVENTS, true",
        "CUR2,  NONE,    23, AWS,    true",
        "CUR2,  GZIP,    24, EVENTS, false",
        "CUR2,  PARQUET, 25, AWS,    false",
    })
    void shouldMatchTheReference_onMonthsWithSplitCostAllocationData(BillFormat format, Compression compression,
                                                                     long seed, dev.tally.billing.EcsSplit split,
                                                                     boolean commitments) throws IOException {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(format).compression(compression).seed(seed)
                .targetRows(4_000).events(EventOptions.messy()).malformedRows(compression == Compression.PARQUET ? 0 : 2)
                .commitments(commitments)
                .splitCostAllocation(true).ecsTagShare(0.5).unrecordedTaskShare(0.1).build(), dir);
        Path bill = dir.resolve(m.billFile());
        Path events = dir.resolve(m.eventsFile());
        Path areas = dir.resolve(m.areasFile());

        Rollup fast = runSplit(RollupRunner.Engine.FAST, bill, events, areas, m.tagKey(), split);
        Rollup reference = runSplit(RollupRunner.Engine.REFERENCE, bill, events, areas, m.tagKey(), split);

        assertSame(fast, reference);
        assertThat(fast.hasSplitLineItems()).isTrue();
        assertThat(fast.ecsSplitComparison()).isNotEmpty();
        assertThat(fast.summary().ecsSplit()).isEqualTo(split.id());
    }

    private static Rollup runSplit(RollupRunner.Engine engine, Path bill, Path events, Path areas, String tagKey,
                                   dev.tally.billing.EcsSplit split) {
        return new RollupRunner(CLOCK, engine).run(new RollupRunner.Request(dev.tally.billing.Bill.of(bill), events,
                areas, tagKey, null, false, dev.tally.billing.CostBasis.UNBLENDED, null, split), bytes -> { });
    }

    @Test
    void shouldMatchTheReference_onTheWorkedExampleAndTheDemoMonth() {
        Path example = RepoFiles.events("worked-example");
        assertSame(run(RollupRunner.Engine.FAST, example.resolve("bill-2017-02.csv"), example.resolve("events.jsonl"),
                        example.resolve("areas.json"), "product_area", null),
                run(RollupRunner.Engine.REFERENCE, example.resolve("bill-2017-02.csv"), example.resolve("events.jsonl"),
                        example.resolve("areas.json"), "product_area", null));
        Path demo = RepoFiles.events("demo");
        assertSame(run(RollupRunner.Engine.FAST, demo.resolve("bill-2017-02.csv.gz"), demo.resolve("events.jsonl.gz"),
                        demo.resolve("areas.json"), "product_area", null),
                run(RollupRunner.Engine.REFERENCE, demo.resolve("bill-2017-02.csv.gz"), demo.resolve("events.jsonl.gz"),
                        demo.resolve("areas.json"), "product_area", null));
    }

    @Test
    void shouldMatchTheReference_onRowsOutsideTheFastForms() {
        String bill = Fixtures.dbr(List.of(
                Row.of(EC2, "i-1", "web", "02-01T00:00", "02-01T01:00", "1.2E-3"),
                Row.of(EC2, "i-1", "", "2017-02-01T01:00:00+00:00", "2017-02-01T02:00:00+00:00", "0.5"),
                Row.of(S3, "bucket \"quoted\"", "a \"b\" c", "02-01T00:00", "02-02T00:00", "2.0"),
                Row.of(S3, "multi\nline", "", "02-01T00:00", "02-02T00:00", "3"),
                Row.of(S3, "huge", "big", "02-01T00:00", "02-02T00:00", "987654321098.7654321"),
                Row.of(S3, "", "", "02-01T00:00", "03-01T00:00", "123456789012.5"),
                Row.of(S3, "bad", "", "02-01T00:00", "02-02T00:00", "1..5"),
                Row.of(S3, "bad-date", "", "2017-02-30 00:00:00", "02-02T00:00", "1"),
                Row.of("  ", "blank-product", "", "02-01T00:00", "02-02T00:00", "1"),
                new Row(EC2, "  i-2 ", " web ", "02-01T00:00", "02-01T01:00", " 0.25 ", " 123 ")), "1")
                + "\uFEFF\n\n";
        Path file = Fixtures.write(dir, "odd.csv", bill);
        Path areas = Fixtures.areas(dir, java.util.Map.of());

        assertSame(run(RollupRunner.Engine.FAST, file, null, areas, "product_area", null),
                run(RollupRunner.Engine.REFERENCE, file, null, areas, "product_area", null));
    }

    @Test
    void shouldMatchTheReference_onVolumesThatMoveBetweenInstancesWithinARow() {
        String ciA = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/a";
        String ciB = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/b";
        String task = "arn:aws:ecs:us-east-1:111122223333:task/prod/";
        List<String> events = new java.util.ArrayList<>(List.of(
                Fixtures.containerInstance(ciA, "i-a", 1), Fixtures.containerInstance(ciB, "i-b", 1)));
        String[][] tasks = {
            {"t1", "service:x", ciA, "256", "02-01T00:00", "02-01T04:00"},
            {"t2", "service:y", ciA, "512", "02-01T00:30", "02-01T03:00"},
            {"t3", "service:z", ciB, "256", "02-01T00:00", "02-01T01:00"},
            {"t4", "service:x", ciB, "1024", "02-01T02:30", "02-01T03:00"},
        };
        for (String[] t : tasks) {
            events.add(Fixtures.task(task + t[0], "prod", t[1], t[2], t[3], t[4], null, "RUNNING", 1));
            events.add(Fixtures.task(task + t[0], "prod", t[1], t[2], t[3], t[4], t[5], "STOPPED", 2));
        }
        // vol-1 over 00:00-04:00: i-b 1.5 h in two windows, i-a 1 h, unattached 1.5 h (ties with i-b)
        String[][] calls = {
            {"AttachVolume", "vol-1", "i-b", "02-01T00:00"}, {"DetachVolume", "vol-1", "i-b", "02-01T01:00"},
            {"AttachVolume", "vol-1", "i-a", "02-01T01:00"}, {"DetachVolume", "vol-1", "i-a", "02-01T02:00"},
            {"AttachVolume", "vol-1", "i-b", "02-01T02:30"}, {"DetachVolume", "vol-1", "i-b", "02-01T03:00"},
            // vol-2 over 00:00-02:00: one hour on each instance, a tie between them
            {"AttachVolume", "vol-2", "i-b", "02-01T01:00"}, {"DetachVolume", "vol-2", "i-b", "02-01T02:00"},
            {"AttachVolume", "vol-2", "i-a", "02-01T00:00"}, {"DetachVolume", "vol-2", "i-a", "02-01T01:00"},
        };
        for (String[] c : calls) {
            events.add(Fixtures.volumeCall(c[0], c[1], c[2], c[3],
                    c[0].equals("AttachVolume") ? millis(c[3]) : null, null));
        }
        String bill = Fixtures.dbr(List.of(
                Row.of(EC2, "i-a", "web", "02-01T00:00", "02-01T04:00", "2.0000000003"),
                Row.of(EC2, "i-b", "api", "02-01T00:00", "02-01T04:00", "1.0000000007"),
                Row.of(EC2, "vol-1", "", "02-01T00:00", "02-01T04:00", "1.0000000001"),
                Row.of(EC2, "vol-1", "", "02-01T00:00", "02-01T04:00", "0.0000000005"),
                Row.of(EC2, "vol-1", "", "02-01T00:30", "02-01T02:45", "0.3333333333"),
                Row.of(EC2, "vol-2", "", "02-01T00:00", "02-01T02:00", "0.0000000003"),
                Row.of(EC2, "vol-2", "", "02-01T00:00", "02-01T02:00", "7.7777777777"),
                Row.of(EC2, "vol-2", "", "02-01T05:00", "02-01T06:00", "1")), "1");
        Path file = Fixtures.write(dir, "volumes.csv", bill);
        Path eventsFile = Fixtures.writeLines(dir, "events.jsonl", events);
        Path areas = Fixtures.areas(dir, java.util.Map.of("web", "Web", "api", "Api"));

        Rollup fast = run(RollupRunner.Engine.FAST, file, eventsFile, areas, "product_area", null);
        assertSame(fast, run(RollupRunner.Engine.REFERENCE, file, eventsFile, areas, "product_area", null));
        assertThat(fast.rowsByRule().get(dev.tally.allocation.Allocator.Rule.ATTACHED_VOLUME)).isEqualTo(5);
    }

    @Test
    void shouldMatchTheReference_onAnEmptyBillWithAPeriod() {
        Path file = Fixtures.write(dir, "empty.csv", Fixtures.dbr(List.of(), null).lines().findFirst().orElseThrow()
                + "\n");

        assertSame(run(RollupRunner.Engine.FAST, file, null, null, "product_area", YearMonth.of(2017, 2)),
                run(RollupRunner.Engine.REFERENCE, file, null, null, "product_area", YearMonth.of(2017, 2)));
    }
}
