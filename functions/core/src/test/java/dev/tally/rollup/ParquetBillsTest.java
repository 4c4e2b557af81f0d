package dev.tally.rollup;

import dev.tally.billing.Bill;
import dev.tally.billing.BillFileException;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import dev.tally.testkit.ParquetBills;
import dev.tally.testkit.ParquetOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parquet bills that are not generated months: broken files, missing and unused columns, nulls, several parts. */
class ParquetBillsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-02T00:00:00Z"), ZoneOffset.UTC);
    private static final String HEADER = "bill_invoice_id,bill_billing_period_start_date,line_item_line_item_type,"
            + "line_item_usage_start_date,line_item_usage_end_date,line_item_resource_id,line_item_unblended_cost,"
            + "product_product_name,resource_tags";
    private static final String ROWS = """
            123,2017-02-01T00:00:00.000Z,Usage,2017-02-01T00:00:00.000Z,2017-02-01T01:00:00.000Z,i-1,1.25,EC2,"{""user_product_area"":""web""}"
            123,2017-02-01T00:00:00.000Z,Usage,2017-02-01T00:00:00.000Z,2017-02-01T01:00:00.000Z,bucket,0.0000000001,S3,"{""user_product_area"":""api"",""user_name"":""x""}"
            123,2017-02-01T00:00:00.000Z,Tax,2017-02-01T00:00:00.000Z,2017-03-01T00:00:00.000Z,,3,Tax,{}
            """;

    @TempDir
    Path dir;

    private static Rollup run(RollupRunner.Engine engine, Path bill) {
        return new RollupRunner(CLOCK, engine).run(new RollupRunner.Request(bill, null, null, "product_area", null),
                bytes -> { });
    }

    private Path parquet(String name, String csv) throws IOException {
        Path source = Files.writeString(dir.resolve(name + ".csv"), csv);
        Path file = dir.resolve(name + ".snappy.parquet");
        ParquetBills.fromCsv(source, file, ParquetOptions.defaults(), false);
        return file;
    }

    @ParameterizedTest
    @EnumSource(RollupRunner.Engine.class)
    void shouldReadASmallBill_andAllocateItLikeItsCsv(RollupRunner.Engine engine) throws IOException {
        Path bill = parquet("small", HEADER + "\n" + ROWS);

        Rollup rollup = run(engine, bill);

        assertThat(rollup.summary().lineItems()).isEqualTo(3);
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("4.2500000001");
        assertThat(rollup.productAreaCosts()).extracting(Rollup.AreaCost::productArea).contains("web", "api");
        EngineEquivalenceTest.assertSame(rollup, run(engine == RollupRunner.Engine.FAST
                ? RollupRunner.Engine.REFERENCE : RollupRunner.Engine.FAST, bill));
        Path csv = Files.writeString(dir.resolve("same.csv"), HEADER + "\n" + ROWS);
        assertThat(rollup.productAreaCosts()).isEqualTo(run(engine, csv).productAreaCosts());
    }

    @ParameterizedTest
    @EnumSource(RollupRunner.Engine.class)
    void shouldFailNamingTheFile_whenTheParquetFileIsTruncated(RollupRunner.Engine engine) throws IOException {
        Path whole = parquet("whole", HEADER + "\n" + ROWS);
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.snappy.parquet"), Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = Files.writeString(dir.resolve("garbage.parquet"), "PAR1 but nothing of Parquet after it");

        assertThatThrownBy(() -> run(engine, truncated)).isInstanceOf(BillFileException.class)
                .hasMessageContaining(truncated.toString()).hasMessageContaining("Parquet");
        assertThatThrownBy(() -> run(engine, garbage)).isInstanceOf(BillFileException.class)
                .hasMessageContaining(garbage.toString()).hasMessageContaining("not a readable Parquet file");
    }

    @ParameterizedTest
    @EnumSource(RollupRunner.Engine.class)
    void shouldNameTheColumn_whenARequiredOneIsMissing(RollupRunner.Engine engine) throws IOException {
        String header = HEADER.replace("line_item_unblended_cost", "line_item_blended_cost");
        Path bill = parquet("no-cost", header + "\n" + ROWS);

        assertThatThrownBy(() -> run(engine, bill)).isInstanceOf(BillFileException.class)
                .hasMessageContaining(bill.toString()).hasMessageContaining("line_item_unblended_cost");
    }

    @ParameterizedTest
    @EnumSource(RollupRunner.Engine.class)
    void shouldCountANullCostAsMalformed_withItsLine(RollupRunner.Engine engine) throws IOException {
        Path bill = parquet("null-cost", HEADER + "\n" + ROWS
                + "123,2017-02-01T00:00:00.000Z,Usage,2017-02-01T00:00:00.000Z,2017-02-01T01:00:00.000Z,i-2,,EC2,{}\n");

        Rollup rollup = run(engine, bill);

        assertThat(rollup.summary().malformedRows()).isEqualTo(1);
        assertThat(rollup.billReport().malformed()).singleElement()
                .satisfies(m -> assertThat(m.lineNumber()).isEqualTo(5))
                .satisfies(m -> assertThat(m.reason()).contains("cost"));
        assertThat(rollup.summary().lineItems()).isEqualTo(3);
    }

    /** Columns of the file: the used ones, an unused one of a type the reader cannot decode, a tag map of ids. */
    private Path withColumn(String name, boolean listInsteadOfTags) throws IOException {
        var tags = Types.optionalGroup().as(LogicalTypeAnnotation.mapType())
                .addField(Types.repeatedGroup()
                        .addField(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                                .named("key"))
                        .addField(Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                                .named("value"))
                        .named("key_value"))
                .named("resource_tags");
        var list = Types.optionalGroup().as(LogicalTypeAnnotation.listType())
                .addField(Types.repeatedGroup().addField(Types.optional(PrimitiveTypeName.INT32).named("element"))
                        .named("list"))
                .named(listInsteadOfTags ? "resource_tags" : "line_item_extra");
        MessageType schema = new MessageType("bill",
                Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                        .named("product_product_name"),
                Types.optional(PrimitiveTypeName.DOUBLE).named("line_item_unblended_cost"),
                Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                        .named("line_item_usage_start_date"),
                listInsteadOfTags ? list : tags,
                listInsteadOfTags ? Types.optional(PrimitiveTypeName.INT32).named("line_item_other") : list);
        Path file = dir.resolve(name);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).build()) {
            for (int i = 0; i < 3; i++) {
                Group g = groups.newGroup();
                g.add(0, "EC2");
                g.add(1, 0.1 * (i + 1)); // 0.1, 0.2, 0.30000000000000004
                g.add(2, Instant.parse("2017-02-01T00:00:00Z").toEpochMilli() + i * 3_600_000L);
                if (listInsteadOfTags) {
                    g.addGroup(3).addGroup(0).add(0, i);
                } else {
                    Group entry = g.addGroup(3).addGroup(0);
                    entry.add(0, "user_product_area");
                    entry.add(1, "team-" + i);
                    g.addGroup(4).addGroup(0).add(0, i);
                }
                writer.write(g);
            }
        }
        return file;
    }

    @ParameterizedTest
    @EnumSource(RollupRunner.Engine.class)
    void shouldNeverDecodeAColumnTheAllocationDoesNotUse(RollupRunner.Engine engine) throws IOException {
        Path usedOnly = withColumn("extra-list.parquet", false);
        Path listTags = withColumn("list-tags.parquet", true);

        Rollup rollup = run(engine, usedOnly);

        // a LIST column the reader has no cell for: never decoded, so never a failure
        assertThat(rollup.summary().lineItems()).isEqualTo(3);
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("0.6000000000");
        assertThat(rollup.productAreaCosts()).extracting(Rollup.AreaCost::productArea)
                .containsExactly("team-0", "team-1", "team-2");
        assertThat(rollup.productAreaCosts()).extracting(Rollup.AreaCost::cost)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.1"), new BigDecimal("0.2"), new BigDecimal("0.3"));
        // the same type in a column the allocation reads is refused, naming the column
        assertThatThrownBy(() -> run(engine, listTags)).isInstanceOf(BillFileException.class)
                .hasMessageContaining(listTags.toString()).hasMessageContaining("column resource_tags");
    }

    @Test
    void shouldReadADataExportsManifestOfParquetParts_likeTheWholeMonthsCsv() throws IOException {
        Path monthDir = Files.createDirectories(dir.resolve("month"));
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(BillFormat.CUR2).seed(41).targetRows(6_000)
                .events(EventOptions.messy()).commitments(true).doubleAmounts(true).compression(Compression.NONE)
                .build(), monthDir);
        Path whole = monthDir.resolve(m.billFile());
        List<String> lines = Files.readAllLines(whole);
        Path data = Files.createDirectories(dir.resolve("bucket/exports/cur2/data/BILLING_PERIOD=2017-02"));
        List<String> uris = new ArrayList<>();
        int parts = 3;
        int per = (lines.size() - 1 + parts - 1) / parts;
        for (int p = 0; p < parts; p++) {
            List<String> part = new ArrayList<>(List.of(lines.get(0)));
            part.addAll(lines.subList(1 + p * per, Math.min(lines.size(), 1 + (p + 1) * per)));
            Path csv = Files.write(dir.resolve("part-" + p + ".csv"), part);
            String name = String.format("cur2-%05d.snappy.parquet", p + 1);
            ParquetBills.fromCsv(csv, data.resolve(name), ParquetOptions.defaults(), false);
            uris.add("\"s3://bucket/exports/cur2/data/BILLING_PERIOD=2017-02/" + name + "\"");
        }
        Path manifest = Files.writeString(Files.createDirectories(
                        dir.resolve("bucket/exports/cur2/metadata/BILLING_PERIOD=2017-02")).resolve("cur2-Manifest.json"),
                "{\"executionId\": \"e-1\", \"exportArn\": \"arn:aws:bcm-data-exports:us-east-1:1:export/cur2\","
                        + " \"columns\": [], \"dataFiles\": [" + String.join(",", uris) + "],"
                        + " \"additionalOutputFiles\": []}");
        RollupRunner.Request byManifest = new RollupRunner.Request(Bill.of(manifest), monthDir.resolve(m.eventsFile()),
                monthDir.resolve(m.areasFile()), m.tagKey(), null, false);
        RollupRunner.Request byCsv = new RollupRunner.Request(Bill.of(whole), monthDir.resolve(m.eventsFile()),
                monthDir.resolve(m.areasFile()), m.tagKey(), null, false);

        Rollup fast = new RollupRunner(CLOCK, RollupRunner.Engine.FAST).run(byManifest, bytes -> { });
        Rollup reference = new RollupRunner(CLOCK, RollupRunner.Engine.REFERENCE).run(byManifest, bytes -> { });
        Rollup csv = new RollupRunner(CLOCK, RollupRunner.Engine.FAST).run(byCsv, bytes -> { });

        assertThat(Bill.of(manifest).parts()).hasSize(parts);
        EngineEquivalenceTest.assertSame(fast, reference);
        assertThat(fast.productAreaCosts()).isEqualTo(csv.productAreaCosts());
        assertThat(fast.productAreaAwsProductCosts()).isEqualTo(csv.productAreaAwsProductCosts());
        assertThat(fast.serviceCosts()).isEqualTo(csv.serviceCosts());
        assertThat(fast.untaggedResources()).isEqualTo(csv.untaggedResources());
        assertThat(fast.summary().totalCost()).isEqualByComparingTo(m.totalCost());
        assertThat(fast.summary().lineItems()).isEqualTo(m.lineItems());
        assertThat(uris.stream().collect(Collectors.joining())).contains("cur2-00003.snappy.parquet");
    }
}
