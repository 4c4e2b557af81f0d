package dev.tally.rollup;

import dev.tally.BillParts;
import dev.tally.billing.Bill;
import dev.tally.billing.BillFileException;
import dev.tally.billing.BillReadReport;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bill in several parts (a legacy CUR or Data Export month is often several gzip files) is one bill:
 * read part by part, each by an allocator of its own, merged and finished once, it gives exactly what its
 * rows give read as one file — whether named by a manifest or a directory, by either engine.
 */
class MultiPartBillTest {
    @TempDir
    Path dir;

    /** The data rows of a generated bill, split at record boundaries into {@code n} gzip parts with the header each. */
    private List<Path> split(Path bill, int n, Path into, String name) throws IOException {
        Files.createDirectories(into);
        List<Path> parts = new ArrayList<>();
        List<byte[]> bytes = BillParts.split(Files.readAllBytes(bill), n);
        for (int p = 0; p < n; p++) {
            parts.add(Files.write(into.resolve(name + "-" + (p + 1) + ".csv.gz"), bytes.get(p)));
        }
        return parts;
    }

    private Manifest month(BillFormat format, int strayRows) throws IOException {
        return month(format, strayRows, 3);
    }

    private Manifest month(BillFormat format, int strayRows, int malformedRows) throws IOException {
        return MonthGenerator.generate(MonthSpec.builder().format(format).compression(Compression.GZIP).seed(5)
                .targetRows(9000).events(EventOptions.messy()).malformedRows(malformedRows).strayPeriodRows(strayRows)
                .build(),
                dir.resolve("month"));
    }

    private Rollup run(RollupRunner.Engine engine, Path billing, Manifest m) {
        Path month = dir.resolve("month");
        return EngineEquivalenceTest.run(engine, billing, month.resolve(m.eventsFile()), month.resolve(m.areasFile()),
                m.tagKey(), null);
    }

    /** Everything but where the malformed rows are (their part and line differ by construction). */
    private static void assertSameTables(Rollup parts, Rollup whole) {
        assertThat(parts.productAreaCosts()).isEqualTo(whole.productAreaCosts());
        assertThat(parts.productAreaAwsProductCosts()).isEqualTo(whole.productAreaAwsProductCosts());
        assertThat(parts.serviceCosts()).isEqualTo(whole.serviceCosts());
        assertThat(parts.untaggedResources()).isEqualTo(whole.untaggedResources());
        assertThat(parts.rowsByRule()).isEqualTo(whole.rowsByRule());
        assertThat(parts.accrual()).isEqualTo(whole.accrual());
        assertThat(parts.summary().totalCost()).isEqualTo(whole.summary().totalCost());
        assertThat(parts.summary().coverage()).isEqualTo(whole.summary().coverage());
        assertThat(parts.summary().lineItems()).isEqualTo(whole.summary().lineItems());
        assertThat(parts.summary().malformedRows()).isEqualTo(whole.summary().malformedRows());
        assertThat(parts.summary().skippedRows()).isEqualTo(whole.summary().skippedRows());
        assertThat(parts.summary().otherPeriodRows()).isEqualTo(whole.summary().otherPeriodRows());
        assertThat(parts.summary().invoiceIds()).isEqualTo(whole.summary().invoiceIds());
        assertThat(parts.summary().isFinal()).isEqualTo(whole.summary().isFinal());
        assertThat(parts.billReport().otherPeriods()).isEqualTo(whole.billReport().otherPeriods());
        assertThat(parts.billReport().statedInvoiceTotals()).isEqualTo(whole.billReport().statedInvoiceTotals());
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = {"CUR", "FOCUS"})
    void shouldRollUpALegacyManifestsPartsAsOneBill(BillFormat format) throws IOException {
        Manifest m = month(format, 4);
        Path whole = dir.resolve("month").resolve(m.billFile());
        // as `aws s3 sync s3://cur-bucket/ synced` leaves a legacy CUR: keys kept below the bucket's folder
        Path delivery = dir.resolve("synced/cur/hourly/20170201-20170301");
        split(whole, 3, delivery.resolve("abcd-1234"), "hourly");
        Path manifest = Files.writeString(delivery.resolve("hourly-Manifest.json"), """
                {"assemblyId": "abcd-1234", "account": "123456789012", "compression": "GZIP",
                 "billingPeriod": {"start": "20170201T000000.000Z", "end": "20170301T000000.000Z"},
                 "bucket": "cur-bucket", "additionalArtifactKeys": [],
                 "reportKeys": ["cur/hourly/20170201-20170301/abcd-1234/hourly-1.csv.gz",
                                "cur/hourly/20170201-20170301/abcd-1234/hourly-2.csv.gz",
                                "cur/hourly/20170201-20170301/abcd-1234/hourly-3.csv.gz"]}
                """);

        Rollup fast = run(RollupRunner.Engine.FAST, manifest, m);
        Rollup reference = run(RollupRunner.Engine.REFERENCE, manifest, m);

        EngineEquivalenceTest.assertSame(fast, reference);
        assertSameTables(fast, run(RollupRunner.Engine.FAST, whole, m));
        assertThat(fast.summary().totalCost()).isEqualByComparingTo(m.totalCost());
        assertThat(fast.billReport().malformed()).extracting(BillReadReport.MalformedRow::part)
                .allSatisfy(part -> assertThat(part).contains("hourly-"));
    }

    @Test
    void shouldReadADataExportsManifest_andADirectoryOfParts_likeTheWholeFile() throws IOException {
        Manifest m = month(BillFormat.CUR2, 0);
        Path whole = dir.resolve("month").resolve(m.billFile());
        Path data = dir.resolve("bucket/exports/cur2/data/BILLING_PERIOD=2017-02");
        List<Path> parts = split(whole, 4, data, "cur2");
        String uris = parts.stream().map(p -> "\"s3://bucket/exports/cur2/data/BILLING_PERIOD=2017-02/"
                + p.getFileName() + "\"").collect(Collectors.joining(","));
        Path manifest = Files.writeString(Files.createDirectories(
                        dir.resolve("bucket/exports/cur2/metadata/BILLING_PERIOD=2017-02")).resolve("cur2-Manifest.json"),
                "{\"executionId\": \"e-1\", \"exportArn\": \"arn:aws:bcm-data-exports:us-east-1:1:export/cur2\","
                        + " \"columns\": [], \"dataFiles\": [" + uris + "], \"additionalOutputFiles\": []}");

        Rollup byManifest = run(RollupRunner.Engine.FAST, manifest, m);
        Rollup byDirectory = run(RollupRunner.Engine.REFERENCE, data, m);

        Rollup single = run(RollupRunner.Engine.FAST, whole, m);
        assertSameTables(byManifest, single);
        assertSameTables(byDirectory, single);
        assertThat(Bill.of(data).parts()).extracting(p -> Path.of(p.name()).getFileName().toString())
                .containsExactly("cur2-1.csv.gz", "cur2-2.csv.gz", "cur2-3.csv.gz", "cur2-4.csv.gz");
    }

    @Test
    void shouldRereadOnlyThePartWhoseFirstRowNamedAnotherPeriod() throws IOException {
        Manifest m = month(BillFormat.CUR, 0, 0);
        Path whole = dir.resolve("month").resolve(m.billFile());
        List<Path> parts = split(whole, 2, dir.resolve("parts"), "cur");
        // a March row first in the second part: that part guesses March, the bill's majority is February
        List<String> second = new ArrayList<>(BillParts.records(BillParts.gunzip(Files.readAllBytes(parts.get(1)))));
        second.add(1, second.get(1).replace("2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z"));
        Files.write(parts.get(1), BillParts.gzip(second));

        Rollup fast = run(RollupRunner.Engine.FAST, dir.resolve("parts"), m);

        EngineEquivalenceTest.assertSame(fast, run(RollupRunner.Engine.REFERENCE, dir.resolve("parts"), m));
        assertThat(fast.summary().billingPeriod()).isEqualTo("2017-02");
        assertThat(fast.summary().totalCost()).isEqualByComparingTo(m.totalCost());
        assertThat(fast.summary().otherPeriodRows()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAManifestListingAMissingPart_orPartsOfTwoFormats() throws IOException {
        Path manifest = Files.writeString(dir.resolve("r-Manifest.json"),
                "{\"bucket\": \"b\", \"reportKeys\": [\"r/missing-1.csv.gz\"], \"assemblyId\": \"a\"}");
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.writeString(mixed.resolve("a-1.csv"), "lineItem/UnblendedCost,product/ProductName,"
                + "lineItem/UsageStartDate\n1,EC2,2017-02-01T00:00:00Z\n");
        Files.writeString(mixed.resolve("a-2.csv"), "BilledCost,ChargeCategory,ServiceName,ChargePeriodStart\n"
                + "1,Usage,EC2,2017-02-01T00:00:00Z\n");

        assertThatThrownBy(() -> Bill.of(manifest)).isInstanceOf(BillFileException.class)
                .hasMessageContaining("s3://b/r/missing-1.csv.gz").hasMessageContaining("aws s3 sync");
        assertThatThrownBy(() -> run(RollupRunner.Engine.FAST, mixed, month(BillFormat.CUR, 0)))
                .isInstanceOf(BillFileException.class).hasMessageContaining("a-2.csv")
                .hasMessageContaining("is a focus bill");
        assertThatThrownBy(() -> Bill.of(Files.createDirectories(dir.resolve("empty"))))
                .isInstanceOf(BillFileException.class).hasMessageContaining("holds no bill files");
    }
}
