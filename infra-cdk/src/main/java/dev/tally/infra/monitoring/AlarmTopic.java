package dev.tally.infra.monitoring;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * Where every alarm goes: an SNS topic with an email subscription to {@code alarmEmail}, encrypted with a key of its
 * own (a customer-managed key: CloudWatch cannot use the AWS-managed {@code alias/aws/sns}, whose policy does not let
 * it encrypt) and reachable over TLS only. CloudWatch alarms of this account may publish to it and use its key.
 */
final class AlarmTopic extends Construct {
    static final String CLOUDWATCH = "cloudwatch.amazonaws.com";

    private final Key key;
    private final Topic topic;
    private final SnsAction action;

    AlarmTopic(Construct scope, String id, String alarmEmail) {
        super(scope, id);
        key = Key.Builder.create(this, "Key")
                .description("Tally: encrypts the alarm topic")
                .enableKeyRotation(true)
                .build();
        topic = Topic.Builder.create(this, "Topic")
                .displayName("Tally alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        topic.addSubscription(new EmailSubscription(alarmEmail));

        // What SNS needs of the key when CloudWatch publishes (its key policy; "*" is this key).
        key.grant(new ServicePrincipal(CLOUDWATCH), "kms:Decrypt", "kms:GenerateDataKey*");
        Stack stack = Stack.of(this);
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AlarmsOfThisAccountPublish")
                .principals(List.of(new ServicePrincipal(CLOUDWATCH)))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "ArnLike", Map.of("aws:SourceArn", "arn:" + stack.getPartition() + ":cloudwatch:"
                                + stack.getRegion() + ":" + stack.getAccount() + ":alarm:*"),
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                .build());
        action = new SnsAction(topic);
    }

    /** Sends the alarm's state changes to the topic: into ALARM, and back to OK. */
    void notify(Alarm alarm) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
    }

    Topic topic() {
        return topic;
    }

    Key key() {
        return key;
    }
}
