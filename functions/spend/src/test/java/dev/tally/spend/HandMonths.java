package dev.tally.spend;

import dev.tally.allocation.Accrual;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Months written out by hand: (AWS product, area) costs, a service per area, and an accrual when open. */
final class HandMonths {
    private HandMonths() {
    }

    /**
     * @param costs      "product|area" → cost
     * @param throughDay for an open month, the day its usage reaches (all of it usage, spread evenly over the days);
     *                   0 for a closed month
     */
    static MonthRollup month(YearMonth period, Map<String, String> costs, int throughDay) {
        SortedMap<Subject, BigDecimal> products = new TreeMap<>();
        SortedMap<Subject, BigDecimal> areas = new TreeMap<>();
        SortedMap<Subject, BigDecimal> services = new TreeMap<>();
        SortedMap<Subject, String> serviceAreas = new TreeMap<>();
        SortedMap<String, BigDecimal> byProduct = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, String> e : costs.entrySet()) {
            String[] key = e.getKey().split("\\|");
            BigDecimal cost = new BigDecimal(e.getValue()).setScale(10);
            products.put(Subject.productInArea(key[0], key[1]), cost);
            areas.merge(Subject.area(key[1]), cost, BigDecimal::add);
            Subject service = Subject.service("prod", key[1] + "-api");
            services.merge(service, cost, BigDecimal::add);
            serviceAreas.put(service, key[1]);
            byProduct.merge(key[0], cost, BigDecimal::add);
            total = total.add(cost);
        }
        Optional<MonthRollup.MonthAccrual> accrual = Optional.empty();
        if (throughDay > 0) {
            SortedMap<String, Accrual.Product> accrued = new TreeMap<>();
            byProduct.forEach((product, cost) -> {
                SortedMap<LocalDate, BigDecimal> days = new TreeMap<>();
                BigDecimal daily = cost.divide(BigDecimal.valueOf(throughDay), 10, java.math.RoundingMode.UNNECESSARY);
                for (int d = 1; d <= throughDay; d++) {
                    days.put(period.atDay(d), daily);
                }
                accrued.put(product, new Accrual.Product(BigDecimal.ZERO.setScale(10), days));
            });
            accrual = Optional.of(new MonthRollup.MonthAccrual(Optional.of(period.atDay(throughDay).plusDays(1)
                    .atStartOfDay().toInstant(java.time.ZoneOffset.UTC)), accrued));
        }
        MonthRollup.Totals totals = new MonthRollup.Totals(total, total, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ONE);
        return new MonthRollup(period, "run-" + period, "unblended", throughDay == 0, Instant.EPOCH, totals, areas,
                services, serviceAreas, products, List.of(), accrual);
    }
}
