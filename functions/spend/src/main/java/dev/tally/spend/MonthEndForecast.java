package dev.tally.spend;

import dev.tally.allocation.Accrual;
import dev.tally.allocation.Target;
import dev.tally.money.ExactSplit;
import dev.tally.money.Money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The month-end forecast of an open month from its latest run. Usage, which accrues by the hour, and fixed charges
 * (monthly fees, reservation fees, charges without a window of their own), which do not, are treated apart
 * ({@link Accrual}):
 * <ol>
 *   <li>How far the month has got is how far its bill's usage reaches ({@code usage_through}); the complete days are
 *       the UTC days before it.</li>
 *   <li>Each AWS product's daily run rate is its usage over the last {@value #RATE_DAYS} complete days (fewer if the
 *       month has fewer; with no complete day yet, its usage so far over the time elapsed).</li>
 *   <li>A product's rate has stepped when its last {@value #STEP_DAYS} complete days differ from the complete days
 *       before them (at least {@value #STEP_DAYS}) by {@link #STEP_RELATIVE} or more, and the difference over a whole
 *       month would be at least {@link #STEP_SHARE} of the month's forecast. A stepped product is projected at its
 *       recent rate, and the step is reported.</li>
 *   <li>A product's forecast is its fixed charges, plus its usage so far, plus its rate times the days left; fixed
 *       charges are not projected, they are already the month's.</li>
 *   <li>A product area's forecast is its cost so far plus, for each product, the product's projected remainder split
 *       over the areas with a positive cost of that product by their costs (§5, so the areas add up to the total
 *       exactly; a product no area has a positive cost of projects into {@code (unallocated)}). A service is projected
 *       with its area's ratio of forecast to cost.</li>
 * </ol>
 * A closed month (a final bill), or one whose usage reaches its end, forecasts its actual cost.
 */
public final class MonthEndForecast {
    public static final int RATE_DAYS = 7;
    public static final int STEP_DAYS = 3;
    public static final BigDecimal STEP_RELATIVE = new BigDecimal("0.20");
    public static final BigDecimal STEP_SHARE = new BigDecimal("0.01");
    private static final long DAY = Accrual.DAY_MILLIS;
    private static final MathContext WIDE = MathContext.DECIMAL128;

    private MonthEndForecast() {
    }

    /** One AWS product's projection. */
    public record ProductForecast(BigDecimal fixed, BigDecimal usageSoFar, BigDecimal dailyRate, BigDecimal forecast,
                                  Optional<Step> step) {
    }

    /** A run rate that moved within the month: the daily rate before and over the last days. */
    public record Step(BigDecimal earlierDailyRate, BigDecimal recentDailyRate) {
        public BigDecimal relative() {
            return earlierDailyRate.signum() == 0 ? BigDecimal.ZERO
                    : recentDailyRate.subtract(earlierDailyRate).divide(earlierDailyRate.abs(), 4, RoundingMode.HALF_EVEN);
        }
    }

    /**
     * @param usageThrough how far the usage reaches (the month's end for a closed month)
     * @param completeDays UTC days of the month before {@code usageThrough}
     */
    public record Forecast(YearMonth period, boolean closed, Instant usageThrough, int completeDays,
                           BigDecimal soFar, BigDecimal total, SortedMap<String, ProductForecast> products,
                           SortedMap<Subject, BigDecimal> areas, SortedMap<Subject, BigDecimal> productAreas,
                           SortedMap<Subject, BigDecimal> services) {
        /** The products whose run rate stepped within the month, biggest step first. */
        public List<Map.Entry<String, Step>> steps() {
            List<Map.Entry<String, Step>> steps = new ArrayList<>();
            products.forEach((product, f) -> f.step().ifPresent(s -> steps.add(Map.entry(product, s))));
            steps.sort((a, b) -> b.getValue().recentDailyRate().subtract(b.getValue().earlierDailyRate()).abs()
                    .compareTo(a.getValue().recentDailyRate().subtract(a.getValue().earlierDailyRate()).abs()));
            return steps;
        }

        public boolean stepped() {
            return products.values().stream().anyMatch(p -> p.step().isPresent());
        }
    }

    /**
     * @return the forecast, or empty for a run without the accrual (written before it was kept) of an open month
     */
    public static Optional<Forecast> of(MonthRollup month) {
        YearMonth period = month.period();
        long start = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        long end = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        BigDecimal soFar = month.totals().total();
        if (month.isFinal()) {
            return Optional.of(actual(month, Instant.ofEpochMilli(end), period.lengthOfMonth()));
        }
        if (month.accrual().isEmpty()) {
            return Optional.empty();
        }
        MonthRollup.MonthAccrual accrual = month.accrual().get();
        long through = Math.max(start, Math.min(end, accrual.usageThrough().map(Instant::toEpochMilli).orElse(start)));
        if (through >= end) {
            return Optional.of(actual(month, Instant.ofEpochMilli(end), period.lengthOfMonth()));
        }
        int complete = (int) ((through - start) / DAY);
        BigDecimal daysLeft = BigDecimal.valueOf(end - through).divide(BigDecimal.valueOf(DAY), WIDE);
        BigDecimal elapsedDays = BigDecimal.valueOf(through - start).divide(BigDecimal.valueOf(DAY), WIDE);
        LocalDate first = period.atDay(1);

        SortedMap<String, ProductForecast> products = new TreeMap<>();
        BigDecimal total = Money.ZERO;
        for (Map.Entry<String, Accrual.Product> e : accrual.products().entrySet()) {
            Accrual.Product p = e.getValue();
            BigDecimal usage = p.accruing();
            BigDecimal rate;
            if (complete == 0) {
                rate = elapsedDays.signum() == 0 ? BigDecimal.ZERO : usage.divide(elapsedDays, WIDE);
            } else {
                int days = Math.min(RATE_DAYS, complete);
                rate = sum(p, first.plusDays(complete - days), first.plusDays(complete))
                        .divide(BigDecimal.valueOf(days), WIDE);
            }
            Optional<Step> step = Optional.empty();
            if (complete >= 2 * STEP_DAYS) {
                BigDecimal recent = sum(p, first.plusDays(complete - STEP_DAYS), first.plusDays(complete))
                        .divide(BigDecimal.valueOf(STEP_DAYS), WIDE);
                BigDecimal earlier = sum(p, first, first.plusDays(complete - STEP_DAYS))
                        .divide(BigDecimal.valueOf(complete - STEP_DAYS), WIDE);
                step = Optional.of(new Step(Money.round(earlier), Money.round(recent)));
            }
            products.put(e.getKey(), new ProductForecast(p.fixed(), usage, rate, p.total().add(rate.multiply(daysLeft)),
                    step));
            total = total.add(products.get(e.getKey()).forecast());
        }
        // a step only counts when it matters to the month's forecast; a stepped product goes on at its recent rate
        BigDecimal threshold = total.abs().multiply(STEP_SHARE);
        BigDecimal monthDays = BigDecimal.valueOf(period.lengthOfMonth());
        total = Money.ZERO;
        for (Map.Entry<String, ProductForecast> e : products.entrySet()) {
            ProductForecast f = e.getValue();
            Optional<Step> step = f.step().filter(s -> stepped(s, threshold, monthDays));
            BigDecimal rate = step.map(Step::recentDailyRate).orElse(f.dailyRate());
            BigDecimal forecast = Money.round(f.fixed().add(f.usageSoFar()).add(rate.multiply(daysLeft)));
            e.setValue(new ProductForecast(f.fixed(), f.usageSoFar(), Money.round(rate), forecast, step));
            total = total.add(forecast);
        }
        SortedMap<Subject, BigDecimal> productAreas = productAreas(month, products);
        // an area's products add up to the area (the tables are exact), so its forecast is theirs
        SortedMap<Subject, BigDecimal> areas = new TreeMap<>();
        productAreas.forEach((subject, projected) -> areas.merge(Subject.area(subject.second()), projected,
                BigDecimal::add));
        return Optional.of(new Forecast(period, false, Instant.ofEpochMilli(through), complete, soFar, total,
                Collections.unmodifiableSortedMap(products), Collections.unmodifiableSortedMap(areas), productAreas,
                services(month, areas)));
    }

    private static boolean stepped(Step step, BigDecimal threshold, BigDecimal monthDays) {
        BigDecimal difference = step.recentDailyRate().subtract(step.earlierDailyRate()).abs();
        return step.earlierDailyRate().signum() > 0 && step.relative().abs().compareTo(STEP_RELATIVE) >= 0
                && difference.multiply(monthDays).compareTo(threshold) >= 0;
    }

    private static BigDecimal sum(Accrual.Product product, LocalDate from, LocalDate to) {
        return product.accruingByDay().subMap(from, to).values().stream().reduce(Money.ZERO, BigDecimal::add);
    }

    private static Forecast actual(MonthRollup month, Instant end, int days) {
        SortedMap<String, ProductForecast> products = new TreeMap<>();
        month.accrual().ifPresent(a -> a.products().forEach((name, p) -> products.put(name,
                new ProductForecast(p.fixed(), p.accruing(), Money.ZERO, p.total(), Optional.empty()))));
        return new Forecast(month.period(), true, end, days, month.totals().total(), month.totals().total(),
                Collections.unmodifiableSortedMap(products), month.areas(), month.products(), month.services());
    }

    /**
     * Each (AWS product, area)'s cost so far plus its part of the product's projected remainder, split over the areas
     * with a positive cost of the product by those costs.
     */
    private static SortedMap<Subject, BigDecimal> productAreas(MonthRollup month,
                                                               Map<String, ProductForecast> products) {
        SortedMap<Subject, BigDecimal> projected = new TreeMap<>(month.products());
        Map<String, SortedMap<Subject, BigDecimal>> byProduct = new TreeMap<>();
        month.products().forEach((subject, cost) -> {
            if (cost.signum() > 0) {
                byProduct.computeIfAbsent(subject.first(), p -> new TreeMap<>()).put(subject, cost);
            }
        });
        products.forEach((product, f) -> {
            BigDecimal remainder = f.forecast().subtract(f.fixed()).subtract(f.usageSoFar());
            if (remainder.signum() == 0) {
                return;
            }
            SortedMap<Subject, BigDecimal> weights = byProduct.get(product);
            if (weights == null || weights.isEmpty()) {
                projected.merge(Subject.productInArea(product, Target.UNALLOCATED), remainder, BigDecimal::add);
                return;
            }
            ExactSplit.split(remainder, weights).forEach((key, part) -> projected.merge(key, part, BigDecimal::add));
        });
        return Collections.unmodifiableSortedMap(projected);
    }

    private static SortedMap<Subject, BigDecimal> services(MonthRollup month, Map<Subject, BigDecimal> areaForecasts) {
        SortedMap<Subject, BigDecimal> services = new TreeMap<>();
        month.services().forEach((service, cost) -> {
            Subject area = Subject.area(month.serviceAreas().getOrDefault(service, ""));
            BigDecimal areaCost = month.areas().getOrDefault(area, Money.ZERO);
            BigDecimal areaForecast = areaForecasts.getOrDefault(area, areaCost);
            services.put(service, areaCost.signum() <= 0 ? cost
                    : Money.round(cost.multiply(areaForecast).divide(areaCost, WIDE)));
        });
        return Collections.unmodifiableSortedMap(services);
    }
}
