package dev.tally.spend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cost per unit of a business metric, worked out by hand. */
class UnitCostsTest {
    private static MonthRollup month(YearMonth period, String area, String cost) {
        SortedMap<Subject, BigDecimal> areas = new TreeMap<>();
        areas.put(Subject.area(area), new BigDecimal(cost));
        areas.put(Subject.area("other"), new BigDecimal("5.0000000000"));
        MonthRollup.Totals totals = new MonthRollup.Totals(new BigDecimal(cost).add(new BigDecimal("5")),
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE);
        return new MonthRollup(period, "r-" + period, "unblended", true, Instant.EPOCH, totals, areas,
                new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of(), Optional.empty());
    }

    private static BusinessMetrics metrics(String csv) throws IOException {
        return BusinessMetrics.read("metrics.csv", new StringReader(csv));
    }

    @Test
    void shouldGiveCostPerMillionCalls_fromOneDivision_andItsChange() throws IOException {
        SpendHistory history = SpendHistory.of(List.of(month(YearMonth.of(2017, 1), "api", "1000.0000000000"),
                month(YearMonth.of(2017, 2), "api", "1200.0000000000")));
        BusinessMetrics metrics = metrics("""
                billing_period,product_area,metric,value
                2017-01,api,api_calls,300000000
                2017-02,api,api_calls,400000000
                2017-02,search,queries,0
                """);

        List<UnitCosts.UnitCost> costs = UnitCosts.of(history, metrics);

        assertThat(costs).hasSize(3);
        UnitCosts.UnitCost january = costs.get(0);
        UnitCosts.UnitCost february = costs.get(1);
        // 1000 / 300 = 3.33333333333…, rounded once: not 0.0000033333 × 1,000,000
        assertThat(january.costPer(1_000_000)).contains(new BigDecimal("3.3333333333"));
        assertThat(january.costPer(1)).contains(new BigDecimal("0.0000033333"));
        assertThat(february.costPer(1_000_000)).contains(new BigDecimal("3.0000000000"));
        // (3.0000000000 - 3.3333333333) / 3.3333333333
        assertThat(february.relativeChange()).contains(new BigDecimal("-0.1000"));
        assertThat(january.previous()).isEmpty();
        UnitCosts.UnitCost search = costs.get(2);
        assertThat(search.cost()).isEqualByComparingTo("0");
        assertThat(search.costPer(1_000_000)).isEmpty();
    }

    @Test
    void shouldNameTheLineOfAMetricItCannotRead() {
        assertThatThrownBy(() -> metrics("billing_period,product_area,metric,value\n2017-01,api,calls,lots\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics.csv line 2");
        assertThatThrownBy(() -> metrics("""
                billing_period,product_area,metric,value
                2017-01,api,calls,1
                2017-01,api,calls,2
                """)).hasMessageContaining("line 3").hasMessageContaining("given twice");
        assertThatThrownBy(() -> metrics("period,area,value\n2017-01,api,1\n"))
                .hasMessageContaining("the header must name billing_period, product_area, metric, value");
        assertThatThrownBy(() -> metrics("billing_period,product_area,metric,value\n2017-01,api,calls,-1\n"))
                .hasMessageContaining("zero or more");
    }
}
