package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.local.junit.LocalAwsTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** A real SqsClient against the SQS emulator: queues, send/receive/delete, and a redrive to a dead-letter queue. */
@LocalAwsTest(services = LocalService.SQS)
class SqsIT {
    private static SqsClient sqs;

    @BeforeAll
    static void client(AwsEndpoints aws) {
        sqs = Clients.sqs(aws);
    }

    @AfterAll
    static void close() {
        if (sqs != null) {
            sqs.close();
        }
    }

    private static String newQueue(Map<QueueAttributeName, String> attributes) {
        String name = "tally-" + UUID.randomUUID();
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    /** One receive; long polling returns as soon as a message is there, so this waits only when none is. */
    private static List<Message> receive(String queueUrl, int max) {
        ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max)
                .waitTimeSeconds(1).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        return response.messages();
    }

    @Test
    void sendReceiveDelete() {
        String queue = newQueue(Map.of());
        assertThat(sqs.getQueueUrl(b -> b.queueName(queue.substring(queue.lastIndexOf('/') + 1))).queueUrl())
                .isEqualTo(queue);

        String id = sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"run\":\"2024-05\"}")
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String")
                        .stringValue("rollup").build()))).messageId();

        List<Message> received = receive(queue, 10);
        assertThat(received).hasSize(1);
        Message message = received.get(0);
        assertThat(message.messageId()).isEqualTo(id);
        assertThat(message.body()).isEqualTo("{\"run\":\"2024-05\"}");
        assertThat(message.messageAttributes().get("kind").stringValue()).isEqualTo("rollup");

        sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes()).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");

        sqs.deleteQueue(b -> b.queueUrl(queue));
        assertThat(sqs.listQueues(b -> b.queueNamePrefix("tally-")).queueUrls()).doesNotContain(queue);
    }

    @Test
    void aMessageReceivedTooOftenMovesToTheDeadLetterQueue() {
        String dlq = newQueue(Map.of());
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        assertThat(dlqArn).startsWith("arn:aws:sqs:");
        String queue = newQueue(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"1\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"));

        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("poison"));
        List<Message> first = receive(queue, 1);
        assertThat(first).extracting(Message::body).containsExactly("poison");
        // Handling failed: make it visible again at once (no waiting for the visibility timeout).
        sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(first.get(0).receiptHandle())
                .visibilityTimeout(0));

        // Its next receive would be the second, over maxReceiveCount: it goes to the DLQ instead.
        assertThat(receive(queue, 1)).isEmpty();
        List<Message> dead = receive(dlq, 1);
        assertThat(dead).extracting(Message::body).containsExactly("poison");
        assertThat(dead.get(0).messageId()).isEqualTo(first.get(0).messageId());
        assertThat(sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).containsExactly(queue);
    }
}
