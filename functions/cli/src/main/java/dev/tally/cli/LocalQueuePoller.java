package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Lambda's SQS event source mapping does, for {@code tally serve}: one daemon thread long-polls a queue (up to
 * 10 messages, 1–5 s waits, with their attributes and {@code ApproximateReceiveCount}), hands each batch to the
 * handler as the {@link SQSEvent} Lambda builds, and deletes the messages not named in {@code batchItemFailures}
 * (ReportBatchItemFailures); the failed ones come back after the queue's visibility timeout. A handler that throws
 * fails the whole batch, as in Lambda. Logs name the queue, counts and exception classes, never a body.
 */
final class LocalQueuePoller implements AutoCloseable {
    static final int WAIT_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(LocalQueuePoller.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final String name;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final Thread thread;
    private volatile boolean running = true;

    private LocalQueuePoller(SqsClient sqs, String queueUrl, String region, String name,
                             RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.region = region;
        this.name = name;
        this.handler = handler;
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.thread = new Thread(this::run, "tally-poll-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts polling {@code queueUrl} for {@code handler} on a daemon thread; {@link #close()} stops it. */
    static LocalQueuePoller start(SqsClient sqs, String queueUrl, String region, String name,
                                  RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        LocalQueuePoller poller = new LocalQueuePoller(sqs, queueUrl, region, name, handler);
        poller.thread.start();
        return poller;
    }

    private void run() {
        while (running) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("queue {}: polling failed: {}", name, e.getClass().getName());
                sleep(1_000);
            } catch (Error e) {
                LOG.error("queue {}: poller stopped: {}", name, e.getClass().getName());
                throw e;
            }
        }
    }

    /** One receive, one invocation, one delete of the messages that were handled. */
    void pollOnce() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(WAIT_SECONDS).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty() || !running) {
            return;
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(this::toRecord).toList());
        Set<String> failed = new HashSet<>();
        try {
            SQSBatchResponse response = handler.handleRequest(event, null);
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException e) {
            LOG.warn("queue {}: the handler threw {} for a batch of {}; it comes back after the visibility timeout",
                    name, e.getClass().getName(), messages.size());
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(done.size()))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
        }
        if (!failed.isEmpty()) {
            LOG.info("queue {}: {} of {} messages failed; they come back after the visibility timeout",
                    name, failed.size(), messages.size());
        }
    }

    private SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(region);
        Map<String, String> attributes = new LinkedHashMap<>();
        message.attributes().forEach((key, value) -> attributes.put(key.toString(), value));
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((key, value) -> messageAttributes.put(key, attribute(value)));
        record.setMessageAttributes(messageAttributes);
        return record;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            attribute.setBinaryValue(ByteBuffer.wrap(value.binaryValue().asByteArray()));
        }
        return attribute;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling: the thread ends after its current receive (at most {@value #WAIT_SECONDS} s). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(WAIT_SECONDS * 1_000L + 5_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
