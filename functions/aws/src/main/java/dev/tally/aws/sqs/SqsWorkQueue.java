package dev.tally.aws.sqs;

import dev.tally.privacy.WorkItem;
import dev.tally.privacy.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The privacy workers' queues on SQS: the work queue, one {@code SendMessage} per item with the item's delay as
 * {@code DelaySeconds} (whole seconds, rounded up so an item never comes early; at most SQS's 900), and the
 * dead-letter queue the worker parks failed items in. Bodies are {@link WorkItems}'; the string attributes
 * {@code request_id} and {@code target} repeat what the body names, so a console and an alarm's runbook show it
 * without parsing, and a dead letter carries {@code error} too — the receipt's error text, which holds no personal
 * data (the executors scrub it). Both queues must be standard queues: a FIFO queue takes no per-message delay.
 *
 * <p>The dead-letter queue is the worker's own, written to on purpose when a receipt fails for good; the work
 * queue should still have a redrive policy of its own (to this queue or another) for messages whose handling keeps
 * throwing, e.g. while DynamoDB is unreachable.
 */
public final class SqsWorkQueue implements WorkQueue {
    public static final String REQUEST_ID = "request_id";
    public static final String TARGET = "target";
    public static final String ERROR = "error";
    /** On a malformed message's dead letter: what is wrong with it, by field name. */
    public static final String REASON = "reason";
    /** On a malformed message's dead letter: the queue it was read from, as the function names it. */
    public static final String SOURCE = "source";
    /** On a malformed message's dead letter: its SQS message id there. */
    public static final String MESSAGE_ID = "message_id";
    /** The {@code error} of a malformed message's dead letter. */
    public static final String MALFORMED = "malformed";
    /** SQS's longest per-message delay. */
    public static final int MAX_DELAY_SECONDS = 900;
    /** Longer error texts are cut (the executors' are at most a few hundred characters). */
    static final int MAX_ATTRIBUTE_CHARS = 1024;

    private final SqsClient sqs;
    private final String workQueueUrl;
    private final String deadLetterQueueUrl;

    /**
     * @throws IllegalArgumentException when a URL is blank or names a FIFO queue
     */
    public SqsWorkQueue(SqsClient sqs, String workQueueUrl, String deadLetterQueueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.workQueueUrl = standard(workQueueUrl, "the work queue");
        this.deadLetterQueueUrl = standard(deadLetterQueueUrl, "the dead-letter queue");
    }

    private static String standard(String url, String what) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the URL of " + what + " must not be blank");
        }
        if (url.trim().endsWith(".fifo")) {
            throw new IllegalArgumentException(what + " must be a standard queue: a FIFO queue takes no per-message "
                    + "delay (" + url.trim() + ")");
        }
        return url.trim();
    }

    /**
     * @throws NotSentException when SQS did not take the message (naming the request and the target)
     */
    @Override
    public void send(WorkItem item, Duration delay) {
        send(workQueueUrl, item, SendMessageRequest.builder().delaySeconds(delaySeconds(delay)),
                attributes(item), "the work queue");
    }

    /**
     * @throws NotSentException when SQS did not take the message (naming the request and the target)
     */
    @Override
    public void deadLetter(WorkItem item, String error) {
        Map<String, MessageAttributeValue> attributes = attributes(item);
        attributes.put(ERROR, string(error));
        send(deadLetterQueueUrl, item, SendMessageRequest.builder(), attributes, "the dead-letter queue");
    }

    /**
     * Parks a message that can never be worked (its body is not ours) in the dead-letter queue, body as it came,
     * with {@code error} {@value #MALFORMED}, {@code reason}, {@code source} and {@code message_id}: kept for an
     * operator rather than lost, and never logged.
     *
     * @param source    the queue it came from, e.g. {@code processing} or {@code work}
     * @param reason    what is wrong, by field name (a {@link MalformedMessageException}'s message), never a value
     * @throws NotSentException when SQS did not take it (naming the message id)
     */
    public void deadLetterMalformed(String source, String messageId, String body, String reason) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(ERROR, string(MALFORMED));
        attributes.put(REASON, string(reason));
        attributes.put(SOURCE, string(source));
        attributes.put(MESSAGE_ID, string(messageId));
        try {
            sqs.sendMessage(SendMessageRequest.builder().queueUrl(deadLetterQueueUrl)
                    .messageBody(body == null || body.isEmpty() ? "(empty)" : body)
                    .messageAttributes(attributes).build());
        } catch (RuntimeException e) {
            throw new NotSentException("malformed message " + messageId + " from " + source + " could not be parked "
                    + "in the dead-letter queue " + deadLetterQueueUrl + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private void send(String queueUrl, WorkItem item, SendMessageRequest.Builder message,
                      Map<String, MessageAttributeValue> attributes, String what) {
        try {
            sqs.sendMessage(message.queueUrl(queueUrl).messageBody(WorkItems.body(item))
                    .messageAttributes(attributes).build());
        } catch (RuntimeException e) {
            throw new NotSentException("work for request " + item.requestId() + " in " + item.target()
                    + " could not be sent to " + what + " " + queueUrl + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static Map<String, MessageAttributeValue> attributes(WorkItem item) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(REQUEST_ID, string(item.requestId()));
        attributes.put(TARGET, string(item.target()));
        return attributes;
    }

    /** A string attribute: never empty (SQS refuses that), only the characters SQS allows, at most 1024 of them. */
    static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(attributeText(value)).build();
    }

    static String attributeText(String value) {
        if (value == null || value.isBlank()) {
            return "(none)";
        }
        StringBuilder text = new StringBuilder();
        value.codePoints().forEach(c -> text.appendCodePoint(allowed(c) ? c : '?'));
        if (text.length() > MAX_ATTRIBUTE_CHARS) {
            int end = MAX_ATTRIBUTE_CHARS - 1;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text.setLength(end);
            text.append('…');
        }
        return text.toString();
    }

    /** SQS's characters: #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF. */
    private static boolean allowed(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    /** Whole seconds, rounded up, from 0 to {@value #MAX_DELAY_SECONDS} (the worker never asks more). */
    static int delaySeconds(Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero()) {
            return 0;
        }
        long seconds = delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0);
        return (int) Math.min(MAX_DELAY_SECONDS, seconds);
    }

    /** SQS did not take a message: the caller's record fails and its message comes again. */
    public static final class NotSentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
