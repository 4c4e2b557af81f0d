package dev.tally.aws.sns;

import dev.tally.spend.Alert;
import dev.tally.spend.AlertJson;
import dev.tally.spend.AlertSink;
import dev.tally.spend.AlertText;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Spend alerts published to an SNS topic: the subject line SNS allows (ASCII, at most 100 characters, one line), the
 * readable text as the message, and attributes a subscription can filter on ({@code billing_period}, {@code kind},
 * {@code subject}, {@code direction}, {@code forecast}). An email subscriber reads the text; a queue or function
 * subscriber gets the figures as JSON in the {@code alert} attribute.
 */
public final class SnsAlertSink implements AlertSink {
    private static final int SUBJECT_LIMIT = 100;

    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertSink(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public void send(Alert alert) throws IOException {
        Map<String, MessageAttributeValue> attributes = Map.of(
                "billing_period", text(alert.period().toString()),
                "kind", text(alert.subject().kind().name().toLowerCase(Locale.ROOT)),
                "subject", text(alert.subject().label()),
                "direction", text(alert.direction().name().toLowerCase(Locale.ROOT)),
                "forecast", text(Boolean.toString(alert.forecast())),
                "alert", text(AlertJson.line(alert)));
        try {
            sns.publish(b -> b.topicArn(topicArn).subject(subject(AlertText.title(alert)))
                    .message(AlertText.body(alert)).messageAttributes(attributes));
        } catch (SdkException e) {
            throw new IOException("SNS refused the alert: " + e.getMessage(), e);
        }
    }

    /** SNS subjects are ASCII, printable, one line, at most 100 characters. */
    static String subject(String title) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < title.length(); i++) {
            char c = title.charAt(i);
            ascii.append(c == '…' ? "..." : c >= 0x20 && c < 0x7f ? String.valueOf(c) : "?");
        }
        return ascii.length() <= SUBJECT_LIMIT ? ascii.toString() : ascii.substring(0, SUBJECT_LIMIT - 3) + "...";
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
