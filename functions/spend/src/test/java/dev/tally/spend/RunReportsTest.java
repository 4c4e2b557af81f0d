package dev.tally.spend;

import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.ObjectStore;
import dev.tally.rollup.Rollup;
import dev.tally.testkit.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** After a run: the month's report where the basis puts it, and its alerts sent once however often it runs. */
class RunReportsTest {
    private static final YearMonth JAN = YearMonth.of(2017, 1);
    private static final YearMonth FEB = YearMonth.of(2017, 2);

    @TempDir
    Path dir;

    private ObjectStore twoMonths() throws IOException {
        ObjectStore store = new DirectoryObjectStore(dir.resolve("bucket"));
        int rows = 1500;
        for (YearMonth period : List.of(JAN, FEB)) {
            Path month = dir.resolve(period.toString());
            Manifest m = Months.generate(month, Months.spec(period, period.getMonthValue(), rows).build());
            rows *= 3;
            Instant at = period.plusMonths(1).atDay(2).atStartOfDay().toInstant(ZoneOffset.UTC);
            Rollup rollup = Months.rollup(month, m, month.resolve(m.billFile()), at);
            Months.write(store, rollup, at);
        }
        return store;
    }

    @Test
    void shouldWriteTheReport_andSendTheMonthsAlertsOnce() throws IOException {
        ObjectStore store = twoMonths();
        Path sent = dir.resolve("alerts.jsonl");
        AlertRules rules = AlertsTest.rules("{\"default\": {\"relative\": \"0.5\"}, \"watch\": [\"product_area\"]}");
        RunReports reports = new RunReports(store, Months.BUCKET, "", "unblended", Optional.of(rules),
                List.of(PrintingAlertSink.jsonLines(sent)), Optional.of("config/metrics.csv"), Clock.fixed(Instant.parse("2017-03-02T03:00:00Z"),
                ZoneOffset.UTC));
        List<String> problems = new ArrayList<>();
        String area = new MonthRuns(store, Months.BUCKET, "").read("unblended", problems::add).get(1).areas()
                .firstKey().first();
        store.put(Months.BUCKET, "config/metrics.csv", ("billing_period,product_area,metric,value\n2017-02," + area
                + ",api_calls,2000000\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv");

        RunReports.Written first = reports.after(FEB, "unblended", problems::add);
        RunReports.Written again = reports.after(FEB, "unblended", problems::add);

        assertThat(problems).isEmpty();
        assertThat(first.reportKey()).isEqualTo("reports/billing_period=2017-02/index.html");
        String html;
        try (var in = store.get(Months.BUCKET, first.reportKey(), "", "")) {
            html = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(html).contains("api_calls");
        int alerts = first.alerts().orElseThrow().sent().size();
        assertThat(alerts).isPositive();
        assertThat(Files.readAllLines(sent)).hasSize(alerts);
        assertThat(again.alerts().orElseThrow().sent()).isEmpty();
        assertThat(again.alerts().orElseThrow().alreadySent()).hasSize(alerts);
        assertThat(store.list(Months.BUCKET, "alerts/billing_period=2017-02/")).hasSize(alerts);
    }

    @Test
    void shouldPutAnotherBasissReportBesideThePrimarys_andAlertOnThePrimaryOnly() throws IOException {
        ObjectStore store = new DirectoryObjectStore(dir.resolve("empty"));
        RunReports reports = new RunReports(store, Months.BUCKET, "tally", "unblended",
                Optional.of(AlertsTest.rules("{}")), List.of(), Optional.empty(), Clock.systemUTC());

        assertThat(reports.key(FEB, "unblended")).isEqualTo("tally/reports/billing_period=2017-02/index.html");
        assertThat(reports.key(FEB, "amortized"))
                .isEqualTo("tally/reports/billing_period=2017-02/cost_basis=amortized/index.html");
        assertThatThrownBy(() -> reports.after(FEB, "amortized", p -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no readable run of 2017-02 (amortized)");
    }
}
