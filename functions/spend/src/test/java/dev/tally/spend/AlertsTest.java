package dev.tally.spend;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Thresholds honoured, on months written by hand. */
class AlertsTest {
    private static final YearMonth FEB = YearMonth.of(2017, 2);
    private static final YearMonth MAR = YearMonth.of(2017, 3);

    static AlertRules rules(String json) throws IOException {
        return AlertRules.read("rules.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static SpendHistory closed() {
        return SpendHistory.of(List.of(
                HandMonths.month(FEB, Map.of("EC2|search", "10000", "S3|search", "2000", "EC2|web", "1000",
                        "RDS|billing", "400"), 0),
                HandMonths.month(MAR, Map.of("EC2|search", "30000", "S3|search", "1500", "EC2|web", "1240",
                        "RDS|billing", "100"), 0)));
    }

    private static List<String> subjects(List<Alert> alerts) {
        return alerts.stream().map(a -> a.subject().id() + " " + a.direction()).toList();
    }

    @Test
    void shouldAlertOnAnAbsoluteOrARelativeMove_onEnoughSpend() throws IOException {
        AlertRules rules = rules("""
                {"default": {"absolute": "5000", "relative": "0.2", "min_spend": "500"}, "watch": ["product_area"]}
                """);

        List<Alert> alerts = Alerts.evaluate(closed(), rules);

        // search +19,500 (absolute); web +24% (relative); billing -75% but under 500 both months
        assertThat(subjects(alerts)).containsExactly("area:search UP", "area:web UP");
        Alert search = alerts.get(0);
        assertThat(search.change().delta()).isEqualByComparingTo("19500");
        assertThat(search.change().relative()).contains(new BigDecimal("1.6250"));
        assertThat(search.forecast()).isFalse();
        assertThat(search.products()).extracting(c -> c.subject().first()).containsExactly("EC2");
        assertThat(AlertText.title(search)).isEqualTo("Tally: search up 19,500.00 (+162.5%) in 2017-03");
        assertThat(AlertText.body(search)).contains("12,000.00 in 2017-02", "31,500.00 in 2017-03",
                "EC2 +20,000.00", "the month came to 32,840.00").doesNotContain("S3");
    }

    @Test
    void shouldLetAnAreaOrServiceOverrideTheDefault_fieldByField() throws IOException {
        AlertRules rules = rules("""
                {"default": {"absolute": "50000", "min_spend": "100"},
                 "product_areas": {"billing": {"relative": "0.5"}, "search": {"absolute": "100000"}},
                 "services": {"prod/web-api": {"absolute": "200"}}}
                """);

        List<Alert> alerts = Alerts.evaluate(closed(), rules);

        // billing falls 75% (its own relative, the default's min_spend 100: 400 was spent in February)
        assertThat(subjects(alerts)).containsExactly("area:billing DOWN", "service:prod/web-api UP");
    }

    @Test
    void shouldCompareAnOpenMonthByItsForecast() throws IOException {
        // March is open at day 10 with a third of February's search spend already: forecast about three times more
        SpendHistory history = SpendHistory.of(List.of(
                HandMonths.month(FEB, Map.of("EC2|search", "10000", "EC2|web", "1000"), 0),
                HandMonths.month(MAR, Map.of("EC2|search", "9000", "EC2|web", "310"), 10)));
        AlertRules rules = rules("{\"default\": {\"relative\": \"0.5\"}, \"watch\": [\"product_area\"]}");

        List<Alert> alerts = Alerts.evaluate(history, rules);

        assertThat(subjects(alerts)).containsExactly("area:search UP");
        assertThat(alerts.get(0).forecast()).isTrue();
        assertThat(alerts.get(0).change().current()).isEqualByComparingTo("27900");
        assertThat(AlertText.title(alerts.get(0))).endsWith("(forecast)");
    }

    @Test
    void shouldRaiseNothingWithoutAMonthBefore() throws IOException {
        SpendHistory one = SpendHistory.of(List.of(HandMonths.month(MAR, Map.of("EC2|search", "30000"), 0)));

        assertThat(Alerts.evaluate(one, rules("{\"default\": {\"absolute\": \"1\"}}"))).isEmpty();
    }

    @Test
    void shouldNameWhatIsWrongInTheRules() {
        assertThatThrownBy(() -> rules("{\"default\": {\"absolut\": \"1\"}}"))
                .hasMessageContaining("unknown field default.absolut");
        assertThatThrownBy(() -> rules("{\"services\": {\"prod/api\": {\"relative\": \"lots\"}}}"))
                .hasMessageContaining("services.prod/api.relative must be a decimal number");
        assertThatThrownBy(() -> rules("{\"watch\": [\"team\"]}")).hasMessageContaining("watch has \"team\"");
        assertThatThrownBy(() -> rules("[1]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> rules("{\"default\": {\"absolute\": -5}}")).hasMessageContaining("not be negative");
    }

    @Test
    void shouldReadJsonNumbersExactly() throws IOException {
        AlertRules rules = rules("{\"default\": {\"relative\": 0.1, \"absolute\": 1000.10}}");

        assertThat(rules.defaults().relative()).contains(new BigDecimal("0.1"));
        assertThat(rules.defaults().absolute()).contains(new BigDecimal("1000.10"));
    }

    @Test
    void shouldReadTheSampleRulesAndMetrics_inEvents() throws IOException {
        java.nio.file.Path samples = java.nio.file.Path.of(System.getProperty("tally.repo.root", "../.."),
                "events/spend");

        AlertRules rules;
        try (var in = java.nio.file.Files.newInputStream(samples.resolve("alert-rules.json"))) {
            rules = AlertRules.read("alert-rules.json", in);
        }
        BusinessMetrics metrics;
        try (var in = java.nio.file.Files.newBufferedReader(samples.resolve("business-metrics.csv"))) {
            metrics = BusinessMetrics.read("business-metrics.csv", in);
        }

        assertThat(rules.of(Subject.area("search")).absolute()).contains(new BigDecimal("250.00"));
        assertThat(rules.of(Subject.area("search")).relative()).contains(new BigDecimal("0.25"));
        assertThat(rules.of(Subject.service("prod", "indexer")).minSpend()).contains(new BigDecimal("50.00"));
        assertThat(metrics.values()).hasSize(4);
    }
}
