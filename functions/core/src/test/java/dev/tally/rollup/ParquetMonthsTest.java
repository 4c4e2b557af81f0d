package dev.tally.rollup;

import dev.tally.billing.Bill;
import dev.tally.billing.BillSource;
import dev.tally.billing.CostBasis;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import dev.tally.testkit.ParquetOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same generated month as Parquet and as CSV (its amounts as the Parquet file's doubles hold them) gives the
 * same tables, byte for byte, in both engines and under both cost bases — whatever form the Parquet file's times
 * and tags take, over several row groups.
 */
class ParquetMonthsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-02T00:00:00Z"), ZoneOffset.UTC);
    private static final List<String> TABLES = List.of("product_area_costs.csv", "product_area_aws_product_costs.csv",
            "service_costs.csv", "untagged_resources.csv");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} times {1} tags {2} seed {3} {4}")
    @CsvSource({
        "CUR2,  TIMESTAMP, MAP,  31, UNBLENDED, false",
        "CUR2,  TIMESTAMP, MAP,  32, AMORTIZED, false",
        "CUR2,  INT96,     JSON, 33, AMORTIZED, false",
        "CUR2,  STRING,    MAP,  34, UNBLENDED, false",
        "FOCUS, TIMESTAMP, MAP,  35, AMORTIZED, true",
        "FOCUS, INT96,     JSON, 36, UNBLENDED, false",
        "FOCUS, STRING,    MAP,  37, UNBLENDED, true",
    })
    void shouldGiveTheTablesOfTheSameMonthsCsv_inBothEngines(BillFormat format, ParquetOptions.Times times,
                                                               ParquetOptions.Tags tags, long seed, CostBasis basis,
                                                               boolean focusNulls) throws IOException {
        MonthSpec.Builder month = MonthSpec.builder().format(format).seed(seed).targetRows(6_000)
                .events(EventOptions.messy()).commitments(true).extraDecimals(true).strayPeriodRows(4)
                .focusNulls(focusNulls);
        Path csvDir = Files.createDirectories(dir.resolve("csv"));
        Path parquetDir = Files.createDirectories(dir.resolve("parquet"));
        Manifest csv = MonthGenerator.generate(month.compression(Compression.NONE).doubleAmounts(true).build(), csvDir);
        Manifest parquet = MonthGenerator.generate(month.compression(Compression.PARQUET).doubleAmounts(false)
                .parquet(new ParquetOptions(times, tags, 64 << 10)).build(), parquetDir);
        assertThat(parquet.billFile()).endsWith(".snappy.parquet");
        assertThat(rowGroups(parquetDir.resolve(parquet.billFile()))).as("row groups").isGreaterThan(2);

        Rollup fromCsv = run(RollupRunner.Engine.FAST, csvDir, csv, basis);
        Rollup fast = run(RollupRunner.Engine.FAST, parquetDir, parquet, basis);
        Rollup reference = run(RollupRunner.Engine.REFERENCE, parquetDir, parquet, basis);

        EngineEquivalenceTest.assertSame(fast, reference);
        assertThat(fast.billReport().packaging()).isEqualTo(BillSource.Packaging.PARQUET);
        assertThat(fast.summary().lineItems()).isEqualTo(csv.lineItems()).isEqualTo(parquet.lineItems());
        assertThat(fast.summary().otherPeriodRows()).isEqualTo(fromCsv.summary().otherPeriodRows()).isPositive();
        if (basis == CostBasis.UNBLENDED) {
            assertThat(fast.summary().totalCost()).isEqualByComparingTo(parquet.totalCost());
        } else {
            assertThat(fast.summary().totalCost()).isEqualByComparingTo(parquet.amortized().totalCost());
        }
        assertThat(parquet.totalCost()).isEqualByComparingTo(csv.totalCost());
        Path csvOut = dir.resolve("out-csv");
        Path parquetOut = dir.resolve("out-parquet");
        RollupWriter.write(fromCsv, csvOut);
        RollupWriter.write(fast, parquetOut);
        for (String table : TABLES) {
            assertThat(Files.readString(parquetOut.resolve(table))).as(table)
                    .isEqualTo(Files.readString(csvOut.resolve(table)));
        }
        assertThat(Files.readString(parquetOut.resolve("product_area_costs.csv")).lines().count()).isGreaterThan(3);
        assertThat(fast.summary().totalCost()).isEqualByComparingTo(fromCsv.summary().totalCost());
        assertThat(fast.billReport().rounding()).isEqualTo(fromCsv.billReport().rounding());
        if (basis == CostBasis.UNBLENDED) {
            assertThat(fast.billReport().rounding().amounts()).as("extra-decimals amounts rounded").isPositive();
        }
    }

    private static Rollup run(RollupRunner.Engine engine, Path dir, Manifest m, CostBasis basis) {
        return new RollupRunner(CLOCK, engine).run(new RollupRunner.Request(Bill.of(dir.resolve(m.billFile())),
                dir.resolve(m.eventsFile()), dir.resolve(m.areasFile()), m.tagKey(), null, false, basis, null),
                bytes -> { });
    }

    static int rowGroups(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            return reader.getRowGroups().size();
        }
    }
}
