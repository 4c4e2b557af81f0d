package dev.tally.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.Fixtures;
import dev.tally.Fixtures.Row;
import dev.tally.allocation.Accrual;
import dev.tally.billing.BillFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.tally.Fixtures.EC2;
import static dev.tally.Fixtures.S3;
import static dev.tally.Fixtures.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The accrual rule ({@link Accrual}): rows of at most a day accrue on the day their usage starts, longer rows are
 * fixed for the month; both engines give the same accrual, and it sums to the bill's total.
 */
class AccrualTest {
    private static final List<Row> MONTH = List.of(
            Row.of(EC2, "i-1", "web", "02-01T00:00", "02-01T01:00", "1.25"),
            Row.of(EC2, "i-1", "web", "02-01T23:00", "02-02T00:00", "1.25"),
            Row.of(EC2, "i-2", "", "02-03T10:00", "02-03T11:00", "0.5000000001"),
            Row.of(S3, "bucket", "api", "02-03T00:00", "02-04T00:00", "2.00"),
            Row.of(S3, "bucket", "api", "02-05T00:00", "02-05T01:00", "-0.10"),
            Row.of(SUPPORT, "", "", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", "7.00"),
            Row.of(EC2, "", "", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", "30.00"),
            // a two-day window is not hourly usage: fixed
            Row.of(S3, "bucket", "api", "02-06T00:00", "02-08T00:00", "0.40"));

    @TempDir
    Path dir;

    private Rollup both(Path bill) {
        Rollup fast = EngineEquivalenceTest.run(RollupRunner.Engine.FAST, bill, null, null, "product_area", null);
        Rollup reference = EngineEquivalenceTest.run(RollupRunner.Engine.REFERENCE, bill, null, null, "product_area",
                null);
        EngineEquivalenceTest.assertSame(fast, reference);
        return fast;
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = {"DBR", "CUR", "CUR2", "FOCUS"})
    void shouldSumUsageByTheDayItStarts_andKeepLongerWindowsFixed(BillFormat format) {
        String text = switch (format) {
            case DBR -> Fixtures.dbr(MONTH, null);
            case CUR -> Fixtures.cur(MONTH);
            case CUR2 -> Fixtures.cur2(MONTH);
            default -> Fixtures.focus(MONTH);
        };

        Accrual accrual = both(Fixtures.write(dir, "bill.csv", text)).accrual();

        Map<String, Accrual.Product> products = accrual.products();
        assertThat(products).containsOnlyKeys(EC2, S3, SUPPORT);
        assertThat(products.get(EC2).fixed()).isEqualByComparingTo("30.00");
        assertThat(products.get(EC2).accruingByDay()).containsExactly(
                entry(LocalDate.of(2017, 2, 1), new BigDecimal("2.5000000000")),
                entry(LocalDate.of(2017, 2, 3), new BigDecimal("0.5000000001")));
        assertThat(products.get(S3).fixed()).isEqualByComparingTo("0.40");
        assertThat(products.get(S3).accruingByDay()).containsExactly(
                entry(LocalDate.of(2017, 2, 3), new BigDecimal("2.0000000000")),
                entry(LocalDate.of(2017, 2, 5), new BigDecimal("-0.1000000000")));
        assertThat(products.get(SUPPORT).accruingByDay()).isEmpty();
        assertThat(products.get(SUPPORT).total()).isEqualByComparingTo("7.00");
        assertThat(accrual.usageThrough()).contains(Instant.parse("2017-02-05T01:00:00Z"));
    }

    @Test
    void shouldAddUpToTheTotal_andBeWrittenInTheReport() throws Exception {
        Rollup rollup = both(Fixtures.write(dir, "bill.csv", Fixtures.cur2(MONTH)));

        BigDecimal sum = rollup.accrual().products().values().stream().map(Accrual.Product::total)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        JsonNode report = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(
                RollupWriter.reportJson(rollup))).path("accrual");

        assertThat(sum).isEqualByComparingTo(rollup.summary().totalCost()).isEqualByComparingTo("42.3000000001");
        assertThat(report.path("usage_through").asText()).isEqualTo("2017-02-05T01:00:00Z");
        assertThat(report.path("products").path(EC2).path("fixed").asText()).isEqualTo("30.0000000000");
        assertThat(report.path("products").path(EC2).path("usage_by_day").path("2017-02-03").asText())
                .isEqualTo("0.5000000001");
    }

    @Test
    void shouldTellUsageFromFixedCharges_byTheLengthOfTheWindow() {
        long hour = 3_600_000L;

        assertThat(Accrual.accrues(0, hour)).isTrue();
        assertThat(Accrual.accrues(0, 24 * hour)).isTrue();
        assertThat(Accrual.accrues(0, 24 * hour + 1)).isFalse();
        assertThat(Accrual.accrues(0, 28 * 24 * hour)).isFalse();
    }
}
