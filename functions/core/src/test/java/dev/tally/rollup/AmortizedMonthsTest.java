package dev.tally.rollup;

import dev.tally.allocation.UpfrontLedger;
import dev.tally.billing.Bill;
import dev.tally.billing.CostBasis;
import dev.tally.testkit.Amortization;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The amortized cost basis (allocation contract §8) on generated months with reservations and savings plans
 * ({@code commitments}): reserved and savings-plan covered usage with their effective costs, negations, RI and
 * savings-plan fees with their unused parts, upfront purchases, FOCUS's {@code EffectiveCost}, DBR's sign-up
 * charges and upfront ledger. For each month, in several packagings and with the bills' rough edges:
 * <ol>
 *   <li>the fast engine gives exactly what the reference engine gives;</li>
 *   <li>every table sums exactly to the amortized total the generator recorded in its manifest;</li>
 *   <li>§8 written out again in this test ({@link AmortizedBillTotals}: the bill read with FastCSV, each row's amount
 *       from the §8 table in exact decimals) gives the same total, and the same total per AWS product as
 *       {@code product_area_aws_product_costs} (shared charges keep their product, §4).</li>
 * </ol>
 * Under the unblended basis the same month still comes to its invoice.
 */
class AmortizedMonthsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-03-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} seed {2}, {3} rows, estimated {4}, {5} malformed, extra decimals {6}, "
            + "focus nulls {7}, {8} stray rows")
    @CsvSource({
        "CUR,   GZIP, 11, 15000, false, 4, false, false, 0",
        "CUR,   ZIP,  12, 12000, true,  0, true,  false, 3",
        "CUR,   NONE, 13, 20000, false, 2, false, false, 0",
        "CUR2,  NONE, 14, 20000, false, 3, true,  false, 0",
        "CUR2,  GZIP, 15, 10000, true,  0, false, false, 4",
        "CUR2,  ZIP,  16, 16000, false, 5, true,  false, 2",
        "FOCUS, ZIP,  17, 15000, false, 5, true,  true,  0",
        "FOCUS, NONE, 18, 12000, true,  0, false, false, 2",
        "FOCUS, GZIP, 19, 18000, false, 2, false, true,  0",
        "DBR,   GZIP, 20, 15000, false, 4, true,  false, 0",
        "DBR,   NONE, 21, 12000, true,  0, false, false, 3",
        "DBR,   ZIP,  22, 20000, false, 3, false, false, 0",
    })
    void shouldAllocateTheAmortizedMonth_likeTheManifestAndSection8Say(
            BillFormat format, Compression compression, long seed, int rows, boolean estimated, int malformed,
            boolean extraDecimals, boolean focusNulls, int strayRows) throws IOException {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(format).compression(compression).seed(seed)
                .targetRows(rows).estimated(estimated).malformedRows(malformed).extraDecimals(extraDecimals)
                .focusNulls(focusNulls).strayPeriodRows(strayRows).events(EventOptions.messy()).commitments(true)
                .build(), dir);
        Path bill = dir.resolve(m.billFile());
        Path ledgerFile = m.upfrontFile() == null ? null : dir.resolve(m.upfrontFile());
        assertThat(ledgerFile != null).as("an upfront ledger with DBR only").isEqualTo(format == BillFormat.DBR);
        UpfrontLedger ledger = ledgerFile == null ? null : UpfrontLedger.read(ledgerFile);
        RollupRunner.Request request = new RollupRunner.Request(Bill.of(bill), dir.resolve(m.eventsFile()),
                dir.resolve(m.areasFile()), m.tagKey(), null, false, CostBasis.AMORTIZED, ledger);

        // (a) both engines
        Rollup rollup = new RollupRunner(CLOCK, RollupRunner.Engine.FAST).run(request, bytes -> { });
        EngineEquivalenceTest.assertSame(rollup,
                new RollupRunner(CLOCK, RollupRunner.Engine.REFERENCE).run(request, bytes -> { }));

        // (b) the tables sum to the manifest's amortized total; the invoice is still reported
        Amortization expected = m.amortized();
        Rollup.Summary s = rollup.summary();
        assertThat(s.costBasis()).isEqualTo("amortized");
        assertThat(s.totalCost()).isEqualByComparingTo(expected.totalCost());
        assertThat(sum(rollup.productAreaCosts().stream().map(Rollup.AreaCost::cost)))
                .isEqualByComparingTo(expected.totalCost());
        assertThat(sum(rollup.productAreaAwsProductCosts().stream().map(Rollup.ProductAreaCost::cost)))
                .isEqualByComparingTo(expected.totalCost());
        assertThat(s.allocatedCost().add(s.unallocatedCost()).add(s.unmappedCost()))
                .isEqualByComparingTo(expected.totalCost());
        assertThat(s.lineItems()).isEqualTo(expected.lineItems());
        assertThat(s.malformedRows()).isEqualTo(m.malformedRows());
        assertThat(s.otherPeriodRows()).isEqualTo(m.otherPeriodRows());
        assertThat(expected.totalCost()).isNotEqualByComparingTo(m.totalCost());
        BigDecimal signUps = format == BillFormat.DBR ? m.costByKind().get("ri_purchase") : BigDecimal.ZERO;
        assertThat(rollup.billReport().invoicedCost()).isEqualByComparingTo(m.totalCost().subtract(signUps));

        // (c) §8 again, apart from the engine: the total and the total per product
        AmortizedBillTotals section8 = AmortizedBillTotals.of(bill, format.id(), m.period(), ledgerFile);
        assertThat(section8.total).isEqualByComparingTo(expected.totalCost());
        assertThat(section8.lineItems).isEqualTo(expected.lineItems());
        SortedMap<String, BigDecimal> perProduct = new TreeMap<>();
        rollup.productAreaAwsProductCosts().forEach(r -> perProduct.merge(r.awsProduct(), r.cost(), BigDecimal::add));
        assertThat(strip(perProduct)).isEqualTo(strip(section8.perProduct));

        // the same month under the unblended basis is the invoice: covered usage and its negations cancel out
        Rollup unblended = new RollupRunner(CLOCK, RollupRunner.Engine.FAST).run(new RollupRunner.Request(Bill.of(bill),
                dir.resolve(m.eventsFile()), dir.resolve(m.areasFile()), m.tagKey(), null, false), bytes -> { });
        assertThat(unblended.summary().totalCost()).isEqualByComparingTo(m.totalCost());
        assertThat(unblended.summary().lineItems()).isEqualTo(m.lineItems());

        if (format == BillFormat.DBR) {
            // the ledger's parts of the period are in: the entries still in their term, not the one that ended
            assertThat(section8.signUpCharges).isEqualTo(m.lineItems() - expected.lineItems()).isPositive();
            assertThat(section8.ledgerParts).isPositive().isEqualByComparingTo(expected.ledgerParts());
            assertThat(ledger.partsOf(m.period())).hasSize(ledger.entries().size() - 1);
            assertThat(sum(ledger.partsOf(m.period()).stream().map(UpfrontLedger.Part::amount)))
                    .isEqualByComparingTo(expected.ledgerParts());
            assertThat(s.skippedRows()).isEqualTo(m.skippedRows() + section8.signUpCharges);
        } else {
            assertThat(s.skippedRows()).isEqualTo(m.skippedRows());
        }
    }

    private static BigDecimal sum(java.util.stream.Stream<BigDecimal> amounts) {
        return amounts.reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Amounts compared by value: {@code 1.50} and {@code 1.5} are the same. */
    private static SortedMap<String, String> strip(SortedMap<String, BigDecimal> amounts) {
        SortedMap<String, String> out = new TreeMap<>();
        amounts.forEach((k, v) -> out.put(k, v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString()));
        return out;
    }
}
