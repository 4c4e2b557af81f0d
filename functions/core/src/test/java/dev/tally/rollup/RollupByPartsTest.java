package dev.tally.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.BillParts;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.billing.Bill;
import dev.tally.billing.BillPart;
import dev.tally.billing.BillReadReport;
import dev.tally.billing.CostBasis;
import dev.tally.billing.ReadSettings;
import dev.tally.history.EventFiles;
import dev.tally.history.InMemoryHistoryStore;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bill in many parts read the way a distributed run reads it — each part on its own, its read encoded and decoded
 * as it travels through S3, then merged and finished once — rolls up to the tables, byte for byte, and the report of
 * the same bill read in one process from the same history store.
 */
class RollupByPartsTest {
    @TempDir
    Path dir;

    private Manifest month;
    private CostBasis basis = CostBasis.UNBLENDED;
    private InMemoryHistoryStore history;
    private ProductAreaMap areas;

    private List<Path> parts(BillFormat format, int strayRows, int n) throws IOException {
        month = MonthGenerator.generate(MonthSpec.builder().format(format).compression(Compression.GZIP).seed(11)
                .targetRows(9000).events(EventOptions.messy()).malformedRows(3).strayPeriodRows(strayRows).build(),
                dir.resolve("month"));
        history = new InMemoryHistoryStore();
        EventFiles.read(dir.resolve("month").resolve(month.eventsFile()), history::record);
        areas = ProductAreaFile.read(dir.resolve("month").resolve(month.areasFile()));
        List<byte[]> bytes = BillParts.split(Files.readAllBytes(dir.resolve("month").resolve(month.billFile())), n);
        Path into = Files.createDirectories(dir.resolve("parts"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < bytes.size(); i++) {
            files.add(Files.write(into.resolve("bill-" + (i + 1) + ".csv.gz"), bytes.get(i)));
        }
        return files;
    }

    /** The bill read in one process, from the same store, as the billing function reads it. */
    private Rollup whole() {
        return new RollupRunner(RollupRunner.Engine.FAST).run(new RollupRunner.Request(Bill.of(dir.resolve("parts")),
                null, null, month.tagKey(), null, false, basis, null), areas, history, bytes -> { });
    }

    private RollupByParts byParts() {
        return new RollupByParts(RollupRunner.Engine.FAST, new ReadSettings(month.tagKey(), basis));
    }

    /** Each part read apart, its read through the codec, then the merge. */
    private Rollup byParts(String runId) throws IOException {
        Bill bill = Bill.of(dir.resolve("parts"));
        List<BillPartRead> reads = new ArrayList<>();
        for (BillPart part : bill.parts()) {
            byte[] encoded = BillPartCodec.encode(byParts().read(part, areas, history));
            reads.add(BillPartCodec.decode(new ByteArrayInputStream(encoded)));
        }
        return byParts().merge(bill, reads, areas, history, runId);
    }

    private static void assertIdentical(Rollup parts, Rollup whole) {
        for (RollupTables table : RollupTables.values()) {
            assertThat(new String(table.bytes(parts, true))).as(table.id())
                    .isEqualTo(new String(table.bytes(whole, true)));
        }
        JsonNode summary = RollupWriter.summaryJson(parts.summary()).without("run_id");
        JsonNode report = RollupWriter.reportJson(parts).without(List.of("run_id", "timings_ms"));
        assertThat(summary).isEqualTo(RollupWriter.summaryJson(whole.summary()).without("run_id"));
        assertThat(report).isEqualTo(RollupWriter.reportJson(whole).without(List.of("run_id", "timings_ms")));
        assertThat(parts.billReport()).isEqualTo(whole.billReport());
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = {"CUR", "CUR2", "FOCUS"})
    void shouldRollUpTheMergedReadsOfItsParts_byteForByteAsTheBillReadInOneProcess(BillFormat format)
            throws IOException {
        parts(format, 4, 4);

        Rollup merged = byParts("20170302T000000Z-0a1b2c3d");

        assertIdentical(merged, whole());
        assertThat(merged.summary().runId()).isEqualTo("20170302T000000Z-0a1b2c3d");
        assertThat(merged.summary().totalCost()).isEqualByComparingTo(month.totalCost());
        assertThat(merged.billReport().malformed()).extracting(BillReadReport.MalformedRow::part)
                .isNotEmpty().allSatisfy(part -> assertThat(part).matches(".*/parts/bill-[1-4]\\.csv\\.gz"));
    }

    @Test
    void shouldCarryTheCostBasisAndTheInvoicedCost_ofAnAmortizedRollup() throws IOException {
        basis = CostBasis.AMORTIZED;
        parts(BillFormat.CUR2, 0, 3);

        Rollup merged = byParts("20170302T000000Z-0a1b2c3d");

        assertIdentical(merged, whole());
        assertThat(merged.summary().costBasis()).isEqualTo("amortized");
        assertThat(merged.billReport().invoicedCost()).isEqualByComparingTo(whole().billReport().invoicedCost());
    }

    @Test
    void shouldReadAPartAgainInTheMerge_whenItAllocatedAnotherPeriodThanTheWholeBill() throws IOException {
        List<Path> files = parts(BillFormat.CUR, 0, 3);
        // every row of the last part in March: alone it is a March bill; in the bill, February is the majority
        List<String> records = BillParts.records(BillParts.gunzip(Files.readAllBytes(files.get(2))));
        List<String> march = new ArrayList<>(List.of(records.get(0)));
        records.subList(1, records.size()).forEach(r -> march.add(r.replace("2017-02-", "2017-03-")));
        Files.write(files.get(2), BillParts.gzip(march));
        BillPartRead alone = byParts().read(BillPart.of(files.get(2)), areas, history);

        Rollup merged = byParts("20170302T000000Z-0a1b2c3d");

        assertThat(alone.report().billingPeriod()).hasToString("2017-03");
        assertThat(merged.summary().billingPeriod()).isEqualTo("2017-02");
        assertThat(merged.billReport().otherPeriods().get(java.time.YearMonth.of(2017, 3)).rows())
                .isEqualTo(alone.report().lineItems()).isPositive();
        assertIdentical(merged, whole());
    }

    @Test
    void shouldRefuseReadsThatAreNotOfTheBillsPartsInOrder() throws IOException {
        parts(BillFormat.CUR2, 0, 2);
        Bill bill = Bill.of(dir.resolve("parts"));
        BillPartRead first = byParts().read(bill.parts().get(0), areas, history);
        BillPartRead second = byParts().read(bill.parts().get(1), areas, history);

        assertThatThrownBy(() -> byParts().merge(bill, List.of(second, first), areas, history, "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in their order");
    }

    @Test
    void shouldCarryEveryComponentOfTheReport_soAComponentAddedLaterIsNotLeftBehind() {
        assertThat(Arrays.stream(BillReadReport.class.getRecordComponents()).map(RecordComponent::getName))
                .as("BillReadReport's components: BillPartCodec must write and read each one")
                .containsExactlyElementsOf(BillPartCodec.REPORT_FIELDS);
    }

    @Test
    void shouldRefuseBytesThatAreNoPartsRead() {
        assertThatThrownBy(() -> BillPartCodec.decode(new ByteArrayInputStream(BillParts.gzip(List.of("{\"a\":1}")))))
                .isInstanceOf(IOException.class).hasMessageContaining("not a bill part's read");
    }
}
