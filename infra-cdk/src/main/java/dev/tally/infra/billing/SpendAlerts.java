package dev.tally.infra.billing;

import dev.tally.functions.billing.BillingConfig;
import dev.tally.infra.config.BillingSection;
import dev.tally.infra.function.TallyFunction;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

import java.util.Map;
import java.util.Optional;

/**
 * The spend alerts' channels (docs/spend-alerts.md): an SNS topic encrypted with SNS's AWS-managed key and refusing
 * anything but TLS, the configured email subscriptions, and optionally the Secrets Manager secret of a webhook URL;
 * the functions that finish runs may publish to the topic and read the secret, nothing more.
 */
final class SpendAlerts extends Construct {
    private final Topic topic;
    private final Optional<ISecret> webhook;
    private final BillingSection.Alerts config;

    SpendAlerts(Construct scope, String id, BillingSection.Alerts config) {
        super(scope, id);
        this.config = config;
        topic = Topic.Builder.create(this, "Topic")
                .displayName("Tally spend alerts")
                .masterKey(Alias.fromAliasName(this, "SnsKey", "alias/aws/sns"))
                .enforceSsl(true)
                .build();
        config.emails().forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        webhook = config.webhookSecretName().map(name -> Secret.fromSecretNameV2(this, "Webhook", name));
    }

    /** The variables the billing function reads its alerts from ({@code AlertSettings}). */
    Map<String, String> environment() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put(BillingConfig.ALERT_RULES, config.rules());
        env.put(BillingConfig.ALERT_TOPIC_ARN, topic.getTopicArn());
        webhook.ifPresent(secret -> env.put(BillingConfig.ALERT_WEBHOOK_SECRET_ID, secret.getSecretName()));
        return env;
    }

    /** Lets a function that finishes runs send the alerts. */
    void grant(TallyFunction function) {
        topic.grantPublish(function.function());
        webhook.ifPresent(secret -> secret.grantRead(function.function()));
    }

    Topic topic() {
        return topic;
    }
}
