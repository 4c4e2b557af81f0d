package dev.tally.functions.billing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertSettingsTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:tally-spend-alerts";
    private static final String RULES = "{\"default\": {\"relative\": \"0.25\", \"min_spend\": \"100\"}}";

    @Test
    void shouldHaveNoAlerts_whenNothingIsSet() {
        assertThat(AlertSettings.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void shouldReadTheRulesAndChannels() {
        AlertSettings settings = AlertSettings.fromEnvironment(Map.of(AlertSettings.RULES, RULES,
                AlertSettings.TOPIC_ARN, TOPIC, AlertSettings.WEBHOOK_SECRET_ID, "tally/alert-webhook")).orElseThrow();

        assertThat(settings.rules().defaults().relative()).contains(new BigDecimal("0.25"));
        assertThat(settings.topicArn()).contains(TOPIC);
        assertThat(settings.webhookSecretId()).contains("tally/alert-webhook");
    }

    @Test
    void shouldNameTheVariable_whenHalfSetOrWrong() {
        assertThatThrownBy(() -> AlertSettings.fromEnvironment(Map.of(AlertSettings.TOPIC_ARN, TOPIC)))
                .hasMessageStartingWith("ALERT_RULES is not set, but ALERT_TOPIC_ARN is");
        assertThatThrownBy(() -> AlertSettings.fromEnvironment(Map.of(AlertSettings.RULES, RULES)))
                .hasMessageContaining("neither ALERT_TOPIC_ARN nor ALERT_WEBHOOK_SECRET_ID");
        assertThatThrownBy(() -> AlertSettings.fromEnvironment(Map.of(AlertSettings.RULES, "{\"defaults\": {}}",
                AlertSettings.TOPIC_ARN, TOPIC))).hasMessageStartingWith("ALERT_RULES: unknown field defaults");
        assertThatThrownBy(() -> AlertSettings.fromEnvironment(Map.of(AlertSettings.RULES, RULES,
                AlertSettings.TOPIC_ARN, "tally-alerts"))).hasMessageContaining("ALERT_TOPIC_ARN must be an SNS topic ARN");
    }

    @Test
    void shouldBeRead_withTheRestOfTheBillingConfig() {
        BillingConfig config = BillingConfig.fromEnvironment(Map.of(BillingConfig.OUTPUT_BUCKET, "out",
                BillingConfig.DELIVERIES_TABLE, "deliveries", BillingConfig.HISTORY_TABLE, "history",
                AlertSettings.RULES, RULES, AlertSettings.TOPIC_ARN, TOPIC));

        assertThat(config.alerts()).hasValueSatisfying(a -> assertThat(a.topicArn()).contains(TOPIC));
    }
}
