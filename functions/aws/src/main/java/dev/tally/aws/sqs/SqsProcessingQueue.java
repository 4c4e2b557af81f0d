package dev.tally.aws.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.ProcessingQueue;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * Hands a confirmed request to the workers: one SQS {@code SendMessage} per request, body
 * {@code {"request_id": "..."}} and the string message attribute {@code request_id} (so the workers' logs and a
 * dead-letter queue's console show it without parsing). On a FIFO queue (a URL ending in {@code .fifo}) the request
 * id is the message group (requests run side by side, each in order) and the deduplication id, so a request handed
 * over twice within SQS's five-minute window is delivered once. {@link #requestId} reads such a body back.
 */
public final class SqsProcessingQueue implements ProcessingQueue {
    public static final String REQUEST_ID = "request_id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final boolean fifo;

    public SqsProcessingQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalArgumentException("queueUrl must not be blank");
        }
        this.queueUrl = queueUrl.trim();
        this.fifo = this.queueUrl.endsWith(".fifo");
    }

    /**
     * @throws NotEnqueuedException when SQS did not take the message (naming the request id, the SDK failure as cause)
     */
    @Override
    public void enqueue(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
        SendMessageRequest.Builder message = SendMessageRequest.builder()
                .queueUrl(queueUrl)
                .messageBody(body(requestId))
                .messageAttributes(Map.of(REQUEST_ID, MessageAttributeValue.builder()
                        .dataType("String").stringValue(requestId).build()));
        if (fifo) {
            message.messageGroupId(requestId).messageDeduplicationId(requestId);
        }
        try {
            sqs.sendMessage(message.build());
        } catch (RuntimeException e) {
            throw new NotEnqueuedException("request " + requestId + " could not be handed to the processing queue "
                    + queueUrl + ": " + e.getClass().getSimpleName(), e);
        }
    }

    static String body(String requestId) {
        try {
            return JSON.writeValueAsString(Map.of(REQUEST_ID, requestId));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a map of one string always serializes
        }
    }

    /**
     * The request id a processing-queue message's body names (what the start function reads).
     *
     * @throws MalformedMessageException when the body is not such a message; the message never echoes the body
     */
    public static String requestId(String body) {
        String what = "processing message";
        return MessageBodies.id(MessageBodies.object(body, what), REQUEST_ID, MessageBodies.REQUEST_ID, what);
    }

    /** SQS did not take the message; the request stays to be handed over by the sweep. */
    public static final class NotEnqueuedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotEnqueuedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
