package dev.tally.functions.history;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.Map;

/** Dead letters on an SQS queue: the raw event as the body, source and reason as attributes. */
public final class SqsDeadLetters implements DeadLetters {
    private static final int MAX_ATTRIBUTE = 1024;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeadLetters(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String source, String reason, String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl)
                .messageBody(body.isEmpty() ? "(empty)" : body)
                .messageAttributes(Map.of(
                        "source", attribute(source),
                        "reason", attribute(reason))));
    }

    private static MessageAttributeValue attribute(String value) {
        String text = value == null || value.isEmpty() ? "-" : value;
        return MessageAttributeValue.builder().dataType("String")
                .stringValue(text.length() > MAX_ATTRIBUTE ? text.substring(0, MAX_ATTRIBUTE) : text).build();
    }
}
