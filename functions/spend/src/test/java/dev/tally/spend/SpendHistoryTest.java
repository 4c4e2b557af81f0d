package dev.tally.spend;

import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.ObjectStore;
import dev.tally.rollup.Rollup;
import dev.tally.testkit.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Months written as the billing function writes them, read back from the layout: the run each month stands on, and
 * changes worked out apart from the code (from the rollups' own tables, in exact decimals).
 */
class SpendHistoryTest {
    private static final YearMonth JAN = YearMonth.of(2017, 1);
    private static final YearMonth FEB = YearMonth.of(2017, 2);
    private static final YearMonth MAR = YearMonth.of(2017, 3);

    @TempDir
    static Path dir;
    static ObjectStore store;
    static Map<YearMonth, Rollup> expected = new TreeMap<>();
    static Rollup februaryEstimate;

    @BeforeAll
    static void writeMonths() throws IOException {
        store = new DirectoryObjectStore(dir.resolve("bucket"));
        List<Object[]> months = List.of(new Object[] {JAN, 11L, 3000, false}, new Object[] {FEB, 12L, 4500, false},
                new Object[] {MAR, 13L, 3500, true});
        for (Object[] m : months) {
            YearMonth period = (YearMonth) m[0];
            Path month = dir.resolve(period.toString());
            Manifest manifest = Months.generate(month, Months.spec(period, (Long) m[1], (Integer) m[2])
                    .estimated((Boolean) m[3]).build());
            Instant at = period.plusMonths(1).atDay(3).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            if (period.equals(FEB)) {
                // an estimate earlier in the month, then the final bill: the final one stands
                Path early = Months.cut(month.resolve(manifest.billFile()), month.resolve("early.csv"),
                        Instant.parse("2017-02-10T00:00:00Z"), fields -> fields);
                februaryEstimate = Months.rollup(month, manifest, early, Instant.parse("2017-02-11T02:00:00Z"));
                Months.write(store, februaryEstimate, Instant.parse("2017-02-11T02:00:00Z"));
            }
            Rollup rollup = Months.rollup(month, manifest, month.resolve(manifest.billFile()), at);
            Months.write(store, rollup, at);
            expected.put(period, rollup);
        }
    }

    private static SpendHistory history() throws IOException {
        List<String> problems = new ArrayList<>();
        SpendHistory history = SpendHistory.of(new MonthRuns(store, Months.BUCKET, "").read("unblended",
                problems::add));
        assertThat(problems).isEmpty();
        return history;
    }

    private static Map<String, BigDecimal> areas(Rollup rollup) {
        Map<String, BigDecimal> areas = new TreeMap<>();
        rollup.productAreaCosts().forEach(r -> areas.put(r.productArea(), r.cost()));
        return areas;
    }

    @Test
    void shouldReadEachMonthFromTheRunItStandsOn_finalizedOrLatest() throws IOException {
        SpendHistory history = history();

        assertThat(history.months()).extracting(MonthRollup::period).containsExactly(JAN, FEB, MAR);
        for (MonthRollup month : history.months()) {
            Rollup rollup = expected.get(month.period());
            assertThat(month.runId()).isEqualTo(rollup.summary().runId());
            assertThat(month.totals().total()).isEqualByComparingTo(rollup.summary().totalCost());
            Map<String, BigDecimal> areas = new TreeMap<>();
            month.areas().forEach((subject, cost) -> areas.put(subject.first(), cost));
            assertThat(areas).isEqualTo(areas(rollup));
            assertThat(month.services()).hasSize(rollup.serviceCosts().size());
            assertThat(month.untagged()).hasSize(rollup.untaggedResources().size());
            assertThat(month.accrual()).isPresent();
        }
        assertThat(history.month(FEB).orElseThrow().runId()).isNotEqualTo(februaryEstimate.summary().runId());
        assertThat(history.month(MAR).orElseThrow().isFinal()).isFalse();
    }

    @Test
    void shouldWorkOutEveryAreasChangeExactly() throws IOException {
        SpendHistory history = history();

        for (YearMonth period : List.of(FEB, MAR)) {
            Map<String, BigDecimal> before = areas(expected.get(period.minusMonths(1)));
            Map<String, BigDecimal> after = areas(expected.get(period));
            List<Change> changes = history.changes(period, Subject.Kind.AREA);
            java.util.Set<String> names = new java.util.TreeSet<>(before.keySet());
            names.addAll(after.keySet());
            assertThat(changes).hasSize(names.size());
            for (Change change : changes) {
                BigDecimal was = before.getOrDefault(change.subject().first(), BigDecimal.ZERO);
                BigDecimal is = after.getOrDefault(change.subject().first(), BigDecimal.ZERO);
                assertThat(change.delta()).isEqualByComparingTo(is.subtract(was));
                if (was.signum() != 0) {
                    assertThat(change.relative()).contains(is.subtract(was).divide(was.abs(), 4, RoundingMode.HALF_EVEN));
                } else {
                    assertThat(change.relative()).isEmpty();
                }
            }
            assertThat(changes).isSortedAccordingTo(Change.LARGEST_FIRST);
            BigDecimal totalChange = changes.stream().map(Change::delta).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(totalChange).isEqualByComparingTo(expected.get(period).summary().totalCost()
                    .subtract(expected.get(period.minusMonths(1)).summary().totalCost()));
        }
        assertThat(history.changes(JAN, Subject.Kind.AREA)).as("no month before January").isEmpty();
    }

    @Test
    void shouldNameTheProductsBehindAnAreasChange() throws IOException {
        SpendHistory history = history();
        Change top = history.changes(FEB, Subject.Kind.AREA).get(0);

        List<Change> behind = history.productsBehind(FEB, top.subject().first());

        assertThat(behind).isNotEmpty().allMatch(c -> c.subject().second().equals(top.subject().first()));
        assertThat(behind.stream().map(Change::delta).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(top.delta());
    }

    @Test
    void shouldKeepServiceAndProductSeries_andTheUntaggedMovers() throws IOException {
        SpendHistory history = history();

        Map<Subject, java.util.SortedMap<YearMonth, BigDecimal>> services = history.series(Subject.Kind.SERVICE);
        Rollup.ServiceCost first = expected.get(JAN).serviceCosts().get(0);

        assertThat(services.get(Subject.service(first.cluster(), first.service())))
                .containsEntry(JAN, first.cost());
        assertThat(history.untaggedMovers(FEB)).isNotEmpty()
                .allMatch(c -> c.subject().kind() == Subject.Kind.RESOURCE);
    }

    @Test
    void shouldSkipARunItCannotRead_andSaySo() throws IOException {
        Path copy = dir.resolve("broken");
        ObjectStore broken = new DirectoryObjectStore(copy);
        for (String key : store.list(Months.BUCKET, "")) {
            try (var in = store.get(Months.BUCKET, key, "", "")) {
                broken.put(Months.BUCKET, key, in.readAllBytes(), "application/octet-stream");
            }
        }
        String marchTable = new MonthRuns(broken, Months.BUCKET, "").read("unblended", p -> { }).get(2).runId();
        for (String key : broken.list(Months.BUCKET, "rollups/product_area_costs/billing_period=2017-03/")) {
            Files.delete(copy.resolve(key));
        }
        List<String> problems = new ArrayList<>();

        List<MonthRollup> months = new MonthRuns(broken, Months.BUCKET, "").read("unblended", problems::add);

        assertThat(months).extracting(MonthRollup::period).containsExactly(JAN, FEB);
        assertThat(problems).singleElement().asString().contains(marchTable).contains("2017-03");
    }

    @Test
    void shouldRefuseAHistoryOfTwoBases() throws IOException {
        MonthRollup jan = history().month(JAN).orElseThrow();
        MonthRollup other = new MonthRollup(FEB, "r", "amortized", true, jan.finishedAt(), jan.totals(), jan.areas(),
                jan.services(), jan.serviceAreas(), jan.products(), jan.untagged(), jan.accrual());

        assertThatThrownBy(() -> SpendHistory.of(List.of(jan, other))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost basis");
    }
}
