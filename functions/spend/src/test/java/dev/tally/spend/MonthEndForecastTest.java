package dev.tally.spend;

import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.ObjectStore;
import dev.tally.rollup.Rollup;
import dev.tally.testkit.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The month-end forecast on generated months cut part way through, as an estimated bill stands mid-month: within
 * {@value #TOLERANCE_PERCENT} % of the final bill for a steady month, and a month whose usage steps up is flagged
 * and projected at its new rate.
 */
class MonthEndForecastTest {
    static final String TOLERANCE_PERCENT = "3";
    private static final YearMonth MARCH = YearMonth.of(2017, 3);

    @TempDir
    Path dir;

    private MonthRollup readBack(Rollup rollup) throws IOException {
        ObjectStore store = new DirectoryObjectStore(dir.resolve("bucket-" + rollup.summary().runId()));
        Months.write(store, rollup, Instant.parse("2017-03-25T00:00:00Z"));
        List<String> problems = new ArrayList<>();
        List<MonthRollup> months = new MonthRuns(store, Months.BUCKET, "").read("unblended", problems::add);
        assertThat(problems).isEmpty();
        return months.get(0);
    }

    private static BigDecimal error(BigDecimal forecast, BigDecimal actual) {
        return forecast.subtract(actual).abs().divide(actual, MathContext.DECIMAL64).movePointRight(2);
    }

    @ParameterizedTest(name = "seed {0}, cut at day {1}")
    @CsvSource({"21, 10", "21, 20", "22, 10", "22, 20"})
    void shouldForecastASteadyMonthWithinTolerance(long seed, int day) throws IOException {
        Path month = dir.resolve("m" + seed);
        Manifest manifest = Months.generate(month, Months.spec(MARCH, seed, 20_000).estimated(true).build());
        Rollup whole = Months.rollup(month, manifest, month.resolve(manifest.billFile()),
                Instant.parse("2017-04-01T02:00:00Z"));
        Instant cut = MARCH.atDay(day).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        Rollup part = Months.rollup(month, manifest, Months.cut(month.resolve(manifest.billFile()),
                month.resolve("cut.csv"), cut, f -> f), cut.plusSeconds(7200));

        MonthEndForecast.Forecast forecast = MonthEndForecast.of(readBack(part)).orElseThrow();

        BigDecimal actual = whole.summary().totalCost();
        assertThat(forecast.closed()).isFalse();
        assertThat(forecast.completeDays()).isEqualTo(day - 1);
        assertThat(forecast.soFar()).isLessThan(actual);
        assertThat(error(forecast.total(), actual)).isLessThanOrEqualTo(new BigDecimal(TOLERANCE_PERCENT));
        assertThat(forecast.areas().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(forecast.total());
        assertThat(forecast.stepped()).isFalse();
    }

    /** Every EC2 usage row from the 14th on costs 60 % more: the month steps up. */
    private static java.util.function.UnaryOperator<List<String>> ec2StepsUp(List<String> header) {
        int cost = header.indexOf("line_item_unblended_cost");
        int product = header.indexOf("product_product_name");
        int start = header.indexOf("line_item_usage_start_date");
        int end = header.indexOf("line_item_usage_end_date");
        Instant step = Instant.parse("2017-03-14T00:00:00Z");
        return fields -> {
            Instant from = Instant.parse(fields.get(start));
            boolean usage = Instant.parse(fields.get(end)).toEpochMilli() - from.toEpochMilli() <= 86_400_000L;
            if (!usage || from.isBefore(step) || !fields.get(product).equals("Amazon Elastic Compute Cloud")) {
                return fields;
            }
            List<String> changed = new ArrayList<>(fields);
            changed.set(cost, new BigDecimal(fields.get(cost)).multiply(new BigDecimal("1.6")).toPlainString());
            return changed;
        };
    }

    @Test
    void shouldFlagAMonthWhoseUsageStepsUp_andProjectItAtTheNewRate() throws IOException {
        Path month = dir.resolve("step");
        Manifest manifest = Months.generate(month, Months.spec(MARCH, 21, 20_000).estimated(true).build());
        Path bill = month.resolve(manifest.billFile());
        List<String> header;
        try (var lines = java.nio.file.Files.lines(bill)) {
            header = List.of(lines.findFirst().orElseThrow().split(","));
        }
        Rollup whole = Months.rollup(month, manifest, Months.cut(bill, month.resolve("whole.csv"),
                Instant.parse("2017-04-01T00:00:00Z"), ec2StepsUp(header)), Instant.parse("2017-04-01T02:00:00Z"));
        Rollup part = Months.rollup(month, manifest, Months.cut(bill, month.resolve("cut.csv"),
                Instant.parse("2017-03-20T00:00:00Z"), ec2StepsUp(header)), Instant.parse("2017-03-20T02:00:00Z"));

        MonthEndForecast.Forecast forecast = MonthEndForecast.of(readBack(part)).orElseThrow();

        BigDecimal actual = whole.summary().totalCost();
        assertThat(forecast.stepped()).isTrue();
        assertThat(forecast.steps().get(0).getKey()).isEqualTo("Amazon Elastic Compute Cloud");
        assertThat(forecast.steps().get(0).getValue().relative()).isGreaterThan(new BigDecimal("0.20"));
        assertThat(error(forecast.total(), actual)).isLessThanOrEqualTo(new BigDecimal(TOLERANCE_PERCENT));
    }

    @Test
    void shouldForecastAClosedMonthAsItsActualCost() throws IOException {
        Path month = dir.resolve("closed");
        Manifest manifest = Months.generate(month, Months.spec(MARCH, 23, 3000).build());
        Rollup whole = Months.rollup(month, manifest, month.resolve(manifest.billFile()),
                Instant.parse("2017-04-03T02:00:00Z"));

        MonthEndForecast.Forecast forecast = MonthEndForecast.of(readBack(whole)).orElseThrow();

        assertThat(forecast.closed()).isTrue();
        assertThat(forecast.total()).isEqualByComparingTo(whole.summary().totalCost());
        assertThat(forecast.areas()).isEqualTo(readBack(whole).areas());
    }
}
