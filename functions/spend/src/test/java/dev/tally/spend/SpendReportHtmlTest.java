package dev.tally.spend;

import dev.tally.allocation.Accrual;
import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.ObjectStore;
import dev.tally.rollup.Rollup;
import dev.tally.testkit.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tally.spend.SpendReportHtml.money;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page without a browser: every section there, the figures the model's, strings from the data escaped, and the
 * thin histories (one month, no forecast) rendered too.
 */
class SpendReportHtmlTest {
    private static final Instant GENERATED = Instant.parse("2017-03-21T08:00:00Z");
    private static final List<String> SECTIONS = List.of("header", "totals", "areas", "movers", "forecast",
            "services", "unit-costs", "untagged", "tables");

    @TempDir
    static Path dir;
    static SpendHistory generated;
    static ObjectStore store;
    static Map<YearMonth, Rollup> rollups = new TreeMap<>();

    /** January and February final, March an estimate cut at the 20th: written and read back as the report reads. */
    @BeforeAll
    static void writeMonths() throws IOException {
        store = new DirectoryObjectStore(dir.resolve("bucket"));
        long seed = 41;
        for (YearMonth period : List.of(YearMonth.of(2017, 1), YearMonth.of(2017, 2), YearMonth.of(2017, 3))) {
            boolean open = period.getMonthValue() == 3;
            Path month = dir.resolve(period.toString());
            Manifest manifest = Months.generate(month, Months.spec(period, seed++, 3000).estimated(open).build());
            Path bill = month.resolve(manifest.billFile());
            Instant at = open ? Instant.parse("2017-03-20T02:00:00Z")
                    : period.plusMonths(1).atDay(3).atStartOfDay().toInstant(ZoneOffset.UTC);
            if (open) {
                bill = Months.cut(bill, month.resolve("cut.csv"), Instant.parse("2017-03-20T00:00:00Z"), f -> f);
            }
            Rollup rollup = Months.rollup(month, manifest, bill, at);
            Months.write(store, rollup, at);
            rollups.put(period, rollup);
        }
        List<String> problems = new ArrayList<>();
        generated = SpendHistory.of(new MonthRuns(store, Months.BUCKET, "").read("unblended", problems::add));
        assertThat(problems).isEmpty();
    }

    private static String attribute(String html, String attribute, String value) {
        Matcher m = Pattern.compile("<[^>]*" + Pattern.quote(attribute + "=\"" + value + "\"") + "[^>]*>([^<]*)<")
                .matcher(html);
        assertThat(m.find()).as(attribute + "=" + value + " in the page").isTrue();
        return m.group(1);
    }

    private static String marked(String html, String attribute) {
        Matcher m = Pattern.compile("<[^>]*\\b" + Pattern.quote(attribute) + "\\b[^>]*>([^<]*)<").matcher(html);
        assertThat(m.find()).as(attribute + " in the page").isTrue();
        return m.group(1);
    }

    @Test
    void shouldShowEverySection_withTheRollupsOwnTotals() {
        SpendReport report = SpendReport.of(generated, BusinessMetrics.none(), GENERATED);

        String html = SpendReportHtml.render(report);

        for (String section : SECTIONS) {
            assertThat(html).contains("id=\"" + section + "\"");
        }
        rollups.forEach((period, rollup) -> {
            assertThat(attribute(html, "data-total", period.toString())).isEqualTo(money(rollup.summary().totalCost()));
            assertThat(attribute(html, "data-area-total", period.toString()))
                    .isEqualTo(money(Months.sum(rollup.productAreaCosts())));
        });
        assertThat(html).contains("<svg id=\"areas-chart\"", "<svg id=\"movers-chart\"", "<svg id=\"forecast-chart\"");
        assertThat(html).contains("data-this-month=\"2017-03\" data-final=\"false\"");
    }

    @Test
    void shouldListTheBiggestAreaMoveFirst_withItsExactChangeAndDrivers() {
        SpendReport report = SpendReport.of(generated, BusinessMetrics.none(), GENERATED);
        Change top = generated.changes(YearMonth.of(2017, 3), Subject.Kind.AREA).get(0);

        String html = SpendReportHtml.render(report);

        assertThat(report.areaMovers().get(0).change()).isEqualTo(top);
        assertThat(report.areaMovers().get(0).drivers()).isNotEmpty()
                .allSatisfy(d -> assertThat(d.subject().second()).isEqualTo(top.subject().first()));
        String row = "data-mover=\"" + SpendReportHtml.esc(top.subject().id()) + "\" data-delta=\""
                + top.delta().toPlainString() + "\"";
        assertThat(html).contains(row);
        assertThat(html.indexOf(row)).isLessThan(html.indexOf("id=\"service-movers\""));
        assertThat(html).contains(SpendReportHtml.signedMoney(top.delta()));
    }

    @Test
    void shouldShowTheForecastOfTheOpenMonth_withTablesThatAddUp() {
        SpendReport report = SpendReport.of(generated, BusinessMetrics.none(), GENERATED);
        MonthEndForecast.Forecast forecast = MonthEndForecast.of(generated.latest().orElseThrow()).orElseThrow();

        String html = SpendReportHtml.render(report);

        assertThat(report.forecast()).contains(forecast);
        assertThat(attribute(html, "data-forecast", "total")).isEqualTo(money(forecast.total()));
        assertThat(attribute(html, "data-forecast", "so-far")).isEqualTo(money(forecast.soFar()));
        assertThat(attribute(html, "data-forecast", "complete-days")).isEqualTo("19");
        assertThat(marked(html, "data-forecast-areas-total")).isEqualTo(money(forecast.total()));
        MonthRollup march = generated.latest().orElseThrow();
        assertThat(marked(html, "data-services-total")).isEqualTo(money(march.services().values().stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add)));
        assertThat(marked(html, "data-untagged-total")).isEqualTo(money(report.untagged().stream()
                .map(MonthRollup.Untagged::cost).reduce(BigDecimal.ZERO, BigDecimal::add)));
        assertThat(report.untagged()).hasSizeLessThanOrEqualTo(SpendReport.UNTAGGED)
                .isSortedAccordingTo((a, b) -> b.cost().compareTo(a.cost()));
    }

    @Test
    void shouldFetchNothing_noScriptNoAddressAndAStrictPolicy() {
        String html = SpendReportHtml.render(SpendReport.of(generated, BusinessMetrics.none(), GENERATED));

        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; img-src data:\">");
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "<img", "@import", "url(http",
                "src=");
    }

    @Test
    void shouldWriteAMonthsReportNextToItsRuns_withNoLaterMonth() throws IOException {
        List<String> problems = new ArrayList<>();
        RunReports reports = new RunReports(store, Months.BUCKET, "", java.time.Clock.fixed(GENERATED,
                ZoneOffset.UTC));

        String key = reports.after(YearMonth.of(2017, 2), "unblended", problems::add).reportKey();

        assertThat(problems).isEmpty();
        assertThat(key).isEqualTo("reports/billing_period=2017-02/index.html");
        String html;
        try (var in = store.get(Months.BUCKET, key, "", "")) {
            html = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(attribute(html, "data-total", "2017-02")).isEqualTo(money(rollups.get(YearMonth.of(2017, 2))
                .summary().totalCost()));
        assertThat(html).contains("data-total=\"2017-01\"", "data-this-month=\"2017-02\"")
                .doesNotContain("data-total=\"2017-03\"");
    }

    // ------------------------------------------------------------------------------------------ hand-made months

    private static final YearMonth JAN = YearMonth.of(2017, 1);
    private static final YearMonth FEB = YearMonth.of(2017, 2);
    private static final String HOSTILE_AREA = "<script>alert(1)</script>";
    private static final String HOSTILE_RESOURCE = "i-\"><img src=x onerror=alert(2)>";

    private static MonthRollup month(YearMonth period, boolean isFinal, Map<String, String> areaCosts,
                                     Optional<MonthRollup.MonthAccrual> accrual) {
        SortedMap<Subject, BigDecimal> areas = new TreeMap<>();
        SortedMap<Subject, BigDecimal> products = new TreeMap<>();
        SortedMap<Subject, BigDecimal> services = new TreeMap<>();
        SortedMap<Subject, String> serviceAreas = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, String> e : areaCosts.entrySet()) {
            BigDecimal cost = new BigDecimal(e.getValue());
            areas.put(Subject.area(e.getKey()), cost);
            products.put(Subject.productInArea("Amazon Elastic Compute Cloud", e.getKey()), cost);
            Subject service = Subject.service("prod", e.getKey() + "-api");
            services.put(service, cost.divide(BigDecimal.valueOf(2)));
            serviceAreas.put(service, e.getKey());
            total = total.add(cost);
        }
        BigDecimal unallocated = areas.getOrDefault(Subject.area("(unallocated)"), BigDecimal.ZERO);
        List<MonthRollup.Untagged> untagged = unallocated.signum() == 0 ? List.of()
                : List.of(new MonthRollup.Untagged("Amazon Elastic Compute Cloud", HOSTILE_RESOURCE, unallocated));
        return new MonthRollup(period, period + "-run", "unblended", isFinal, period.atDay(20).atStartOfDay()
                .toInstant(ZoneOffset.UTC), new MonthRollup.Totals(total, total.subtract(unallocated), unallocated,
                BigDecimal.ZERO, BigDecimal.ONE), areas, services, serviceAreas, products, untagged, accrual);
    }

    @Test
    void shouldEscapeEveryStringFromTheData() {
        SpendHistory history = SpendHistory.of(List.of(
                month(JAN, true, Map.of(HOSTILE_AREA, "100.00", "(unallocated)", "5.00"), Optional.empty()),
                month(FEB, true, Map.of(HOSTILE_AREA, "250.00", "(unallocated)", "9.00"), Optional.empty())));

        String html = SpendReportHtml.render(SpendReport.of(history, BusinessMetrics.none(), GENERATED));

        assertThat(html).doesNotContain("<script", "<img", "onerror=alert(2)>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;",
                "i-&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
        assertThat(html).contains("data-mover=\"area:&lt;script&gt;alert(1)&lt;/script&gt;\" data-delta=\"150.00\"");
    }

    @Test
    void shouldRenderAHistoryOfOneMonth_withoutMovers() {
        SpendHistory history = SpendHistory.of(List.of(month(FEB, true, Map.of("search", "1234567.891"),
                Optional.empty())));

        String html = SpendReportHtml.render(SpendReport.of(history, BusinessMetrics.none(), GENERATED));

        for (String section : SECTIONS) {
            assertThat(html).contains("id=\"" + section + "\"");
        }
        assertThat(html).contains("data-no-movers", "data-forecast-closed", "data-no-unit-costs");
        assertThat(attribute(html, "data-total", "2017-02")).isEqualTo("$1,234,567.89");
        assertThat(html).doesNotContain("data-mover=");
    }

    @Test
    void shouldRenderAnOpenMonthWithoutForecast_whenItsRunKeptNoAccrual() {
        SpendHistory history = SpendHistory.of(List.of(month(JAN, true, Map.of("search", "10"), Optional.empty()),
                month(FEB, false, Map.of("search", "4"), Optional.empty())));

        SpendReport report = SpendReport.of(history, BusinessMetrics.none(), GENERATED);
        String html = SpendReportHtml.render(report);

        assertThat(report.forecast()).isEmpty();
        assertThat(html).contains("data-no-forecast").doesNotContain("<svg id=\"forecast-chart\"");
        assertThat(html).contains("data-delta=\"-6\"", "-60.00%");
    }

    @Test
    void shouldShowAnOpenMonthsForecast_fromItsAccrual() {
        SortedMap<LocalDate, BigDecimal> days = new TreeMap<>();
        for (int d = 1; d <= 10; d++) {
            days.put(FEB.atDay(d), new BigDecimal("1.00"));
        }
        MonthRollup.MonthAccrual accrual = new MonthRollup.MonthAccrual(
                Optional.of(Instant.parse("2017-02-11T00:00:00Z")),
                new TreeMap<>(Map.of("Amazon Elastic Compute Cloud", new Accrual.Product(BigDecimal.ZERO, days))));
        SpendHistory history = SpendHistory.of(List.of(month(FEB, false, Map.of("search", "10.00"),
                Optional.of(accrual))));

        String html = SpendReportHtml.render(SpendReport.of(history, BusinessMetrics.none(), GENERATED));

        assertThat(attribute(html, "data-forecast", "total")).isEqualTo("$28.00");
        assertThat(attribute(html, "data-forecast", "complete-days")).isEqualTo("10");
    }

    @Test
    void shouldShowUnitCosts_whenMetricsAreGiven() throws IOException {
        SpendHistory history = SpendHistory.of(List.of(month(JAN, true, Map.of("search", "100"), Optional.empty()),
                month(FEB, true, Map.of("search", "150"), Optional.empty())));
        BusinessMetrics metrics = BusinessMetrics.read("metrics.csv", new StringReader(
                "billing_period,product_area,metric,value\n2017-01,search,queries,1000000\n"
                        + "2017-02,search,queries,2000000\n"));

        String html = SpendReportHtml.render(SpendReport.of(history, metrics, GENERATED));

        String row = html.substring(html.indexOf("data-unit-cost=\"2017-02|search|queries\""));
        assertThat(row.substring(0, row.indexOf("</tr>"))).contains("2,000,000", "$150.00", "$75.00", "-25.00%");
    }
}
