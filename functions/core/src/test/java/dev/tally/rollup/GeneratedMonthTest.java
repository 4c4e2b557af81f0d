package dev.tally.rollup;

import dev.tally.billing.BillListener;
import dev.tally.billing.BillReader;
import dev.tally.billing.CostLine;
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
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated months (the test kit writes bills independently of the readers, and knows each bill's
 * exact total): every table sums exactly to the bill, in every format and packaging, and the
 * history does not depend on how the events were delivered.
 */
class GeneratedMonthTest {
    @TempDir
    Path dir;

    private Manifest generate(Path out, MonthSpec spec) throws IOException {
        return MonthGenerator.generate(spec, out);
    }

    private static Rollup rollup(Path month, Manifest m) {
        return new RollupRunner().run(new RollupRunner.Request(month.resolve(m.billFile()),
                month.resolve(m.eventsFile()), month.resolve(m.areasFile()), m.tagKey(), null), bytes -> { });
    }

    private static <T> BigDecimal sum(Iterable<T> rows, Function<T, BigDecimal> cost) {
        BigDecimal sum = BigDecimal.ZERO;
        for (T row : rows) {
            sum = sum.add(cost.apply(row));
        }
        return sum;
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @CsvSource({
        "DBR,   NONE, 1, false",
        "DBR,   GZIP, 2, true",
        "CUR,   ZIP,  3, false",
        "CUR,   GZIP, 4, true",
        "CUR2,  NONE, 5, false",
        "CUR2,  ZIP,  6, true",
        "FOCUS, GZIP, 7, false",
        "FOCUS, NONE, 8, true",
    })
    void shouldSumEveryTableToTheBillExactly(BillFormat format, Compression compression, long seed,
                                             boolean estimated) throws IOException {
        Path month = dir.resolve("m");
        Manifest m = generate(month, MonthSpec.builder().period(YearMonth.of(2017, 2)).format(format)
                .compression(compression).seed(seed).targetRows(6000).estimated(estimated)
                .events(EventOptions.messy()).malformedRows(3).build());

        Rollup rollup = rollup(month, m);

        Rollup.Summary s = rollup.summary();
        assertThat(s.totalCost()).isEqualByComparingTo(m.totalCost());
        assertThat(s.lineItems()).isEqualTo(m.lineItems());
        assertThat(s.skippedRows()).isEqualTo(m.skippedRows());
        assertThat(s.malformedRows()).isEqualTo(m.malformedRows());
        assertThat(s.isFinal()).isEqualTo(m.isFinal());
        assertThat(s.invoiceIds()).isEqualTo(m.invoiceIds());
        assertThat(sum(rollup.productAreaCosts(), Rollup.AreaCost::cost)).isEqualByComparingTo(m.totalCost());
        assertThat(sum(rollup.productAreaAwsProductCosts(), Rollup.ProductAreaCost::cost))
                .isEqualByComparingTo(m.totalCost());
        assertThat(s.allocatedCost().add(s.unallocatedCost()).add(s.unmappedCost()))
                .isEqualByComparingTo(m.totalCost());
        assertThat(rollup.serviceCosts()).isNotEmpty();
        assertThat(rollup.productAreaCosts()).extracting(Rollup.AreaCost::cost)
                .allSatisfy(cost -> assertThat(cost.scale()).isEqualTo(10));
    }

    @ParameterizedTest(name = "{0} {1} resource ids {2}")
    @CsvSource({
        "DBR,   GZIP, true",
        "DBR,   NONE, false",
        "CUR,   GZIP, false",
        "CUR,   ZIP,  true",
        "CUR2,  NONE, false",
        "CUR2,  GZIP, true",
        "FOCUS, NONE, false",
        "FOCUS, GZIP, true",
    })
    void shouldRollUpTheShapesOfRealBills_likeTheManifestSays(BillFormat format, Compression compression,
                                                              boolean resourceIds) throws IOException {
        Path month = dir.resolve("m");
        Manifest m = generate(month, MonthSpec.builder().format(format).compression(compression).seed(21)
                .targetRows(6000).events(EventOptions.messy()).malformedRows(2).noResourceIds(!resourceIds)
                .focusNulls(format == BillFormat.FOCUS).extraDecimals(true).strayPeriodRows(6).build());
        Path bill = month.resolve(m.billFile());
        Path events = month.resolve(m.eventsFile());
        Path areas = month.resolve(m.areasFile());

        Rollup rollup = EngineEquivalenceTest.run(RollupRunner.Engine.FAST, bill, events, areas, m.tagKey(), null);
        EngineEquivalenceTest.assertSame(rollup,
                EngineEquivalenceTest.run(RollupRunner.Engine.REFERENCE, bill, events, areas, m.tagKey(), null));

        Rollup.Summary s = rollup.summary();
        assertThat(s.billingPeriod()).isEqualTo(m.period().toString());
        assertThat(s.totalCost()).isEqualByComparingTo(m.totalCost());
        assertThat(s.lineItems()).isEqualTo(m.lineItems());
        assertThat(s.malformedRows()).isEqualTo(m.malformedRows());
        assertThat(s.otherPeriodRows()).isEqualTo(m.otherPeriodRows()).isEqualTo(6);
        assertThat(rollup.billReport().otherPeriods()).hasSize(2);
        rollup.billReport().otherPeriods().forEach((period, rows) -> {
            assertThat(rows.rows()).isEqualTo(m.otherPeriods().get(period.toString()).rows());
            assertThat(rows.cost()).isEqualByComparingTo(m.otherPeriods().get(period.toString()).cost());
        });
        assertThat(rollup.billReport().rounding().amounts()).isEqualTo(m.roundedAmounts()).isPositive();
        assertThat(rollup.billReport().rounding().difference()).isEqualByComparingTo(m.roundingDifference());
        assertThat(sum(rollup.productAreaCosts(), Rollup.AreaCost::cost)).isEqualByComparingTo(m.totalCost());
        assertThat(sum(rollup.serviceCosts(), Rollup.ServiceCost::cost)).isLessThanOrEqualTo(m.totalCost());
        if (!resourceIds) {
            // nothing names a resource: no ECS split; untagged usage is listed under an empty id (DBR rows are
            // never usage, so there every untagged row is a shared charge)
            assertThat(rollup.serviceCosts()).isEmpty();
            if (format == BillFormat.DBR) {
                assertThat(rollup.untaggedResources()).isEmpty();
            } else {
                assertThat(rollup.untaggedResources()).extracting(Rollup.UntaggedResource::resourceId)
                        .containsOnly("");
            }
        } else {
            assertThat(rollup.serviceCosts()).isNotEmpty();
            assertThat(rollup.untaggedResources()).extracting(Rollup.UntaggedResource::resourceId)
                    .doesNotContain("NULL");
        }
    }

    @Test
    void shouldKeepEachProductsTotal_acrossAreas() throws IOException {
        Path month = dir.resolve("m");
        Manifest m = generate(month, MonthSpec.builder().format(BillFormat.CUR).seed(11).targetRows(8000).build());
        Map<String, BigDecimal> billByProduct = new HashMap<>();
        new BillReader(m.tagKey()).read(month.resolve(m.billFile()), new BillListener() {
            @Override
            public void onBillingPeriod(YearMonth period) {
            }

            @Override
            public void onCostLine(CostLine line) {
                billByProduct.merge(line.product(), line.cost(), BigDecimal::add);
            }
        });

        Map<String, BigDecimal> rolledUp = new HashMap<>();
        rollup(month, m).productAreaAwsProductCosts()
                .forEach(r -> rolledUp.merge(r.awsProduct(), r.cost(), BigDecimal::add));

        assertThat(rolledUp).hasSameSizeAs(billByProduct);
        billByProduct.forEach((product, total) ->
                assertThat(rolledUp.get(product)).as(product).isEqualByComparingTo(total));
    }

    @Test
    void shouldGiveIdenticalRollup_forCleanAndShuffledDuplicatedEvents() throws IOException {
        MonthSpec spec = MonthSpec.builder().format(BillFormat.DBR).seed(21).targetRows(6000).build();
        Path clean = dir.resolve("clean");
        Path messy = dir.resolve("messy");
        Manifest cleanManifest = generate(clean, spec);
        Manifest messyManifest = generate(messy, spec.toBuilder()
                .events(EventOptions.messy().withDuplicateRate(0.2).withShuffleWindow(100_000)).build());

        RollupRunner.LoadedHistory cleanHistory = RollupRunner.loadHistory(clean.resolve(cleanManifest.eventsFile()));
        RollupRunner.LoadedHistory messyHistory = RollupRunner.loadHistory(messy.resolve(messyManifest.eventsFile()));

        assertThat(messyManifest.events().duplicates()).isPositive();
        assertThat(messyHistory.history()).isEqualTo(cleanHistory.history());
        Rollup a = rollup(clean, cleanManifest);
        Rollup b = rollup(messy, messyManifest);
        assertThat(b.productAreaCosts()).isEqualTo(a.productAreaCosts());
        assertThat(b.serviceCosts()).isEqualTo(a.serviceCosts());
        assertThat(b.untaggedResources()).isEqualTo(a.untaggedResources());
    }

    @Test
    void shouldAllocateTheSameNumbers_inEveryFormat() throws IOException {
        Map<BillFormat, Rollup> byFormat = new HashMap<>();
        for (BillFormat format : BillFormat.values()) {
            Path month = dir.resolve(format.id());
            Manifest m = generate(month, MonthSpec.builder().format(format).seed(31).targetRows(5000).build());
            byFormat.put(format, rollup(month, m));
        }

        Rollup dbr = byFormat.get(BillFormat.DBR);
        for (BillFormat format : BillFormat.values()) {
            assertThat(byFormat.get(format).serviceCosts()).as(format.id()).isEqualTo(dbr.serviceCosts());
            assertThat(byFormat.get(format).productAreaCosts()).as(format.id()).isEqualTo(dbr.productAreaCosts());
        }
    }

}
