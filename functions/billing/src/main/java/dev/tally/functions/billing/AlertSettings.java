package dev.tally.functions.billing;

import dev.tally.spend.AlertRules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The spend alerts of the billing function, from its environment: {@value #RULES} (the rules' JSON, see
 * {@link AlertRules}), and at least one channel — {@value #TOPIC_ARN} (an SNS topic) and/or {@value #WEBHOOK_SECRET_ID}
 * (a Secrets Manager secret holding a Slack-compatible webhook URL; a secret, so not in the environment itself). All
 * unset: no alerts. Anything half set fails the cold start naming the variable.
 */
record AlertSettings(AlertRules rules, Optional<String> topicArn, Optional<String> webhookSecretId) {
    static final String RULES = "ALERT_RULES";
    static final String TOPIC_ARN = "ALERT_TOPIC_ARN";
    static final String WEBHOOK_SECRET_ID = "ALERT_WEBHOOK_SECRET_ID";

    static Optional<AlertSettings> fromEnvironment(Map<String, String> env) {
        Optional<String> rules = value(env, RULES);
        Optional<String> topic = value(env, TOPIC_ARN);
        Optional<String> webhook = value(env, WEBHOOK_SECRET_ID);
        if (rules.isEmpty()) {
            if (topic.isPresent() || webhook.isPresent()) {
                throw new IllegalStateException(RULES + " is not set, but " + (topic.isPresent() ? TOPIC_ARN
                        : WEBHOOK_SECRET_ID) + " is: alerts need their rules");
            }
            return Optional.empty();
        }
        if (topic.isEmpty() && webhook.isEmpty()) {
            throw new IllegalStateException(RULES + " is set, but neither " + TOPIC_ARN + " nor " + WEBHOOK_SECRET_ID
                    + " is: alerts need somewhere to go");
        }
        topic.filter(arn -> !arn.startsWith("arn:") || !arn.contains(":sns:")).ifPresent(arn -> {
            throw new IllegalStateException(TOPIC_ARN + " must be an SNS topic ARN, was '" + arn + "'");
        });
        AlertRules parsed;
        try {
            parsed = AlertRules.read(RULES, new ByteArrayInputStream(rules.get().getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new AlertSettings(parsed, topic, webhook));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
