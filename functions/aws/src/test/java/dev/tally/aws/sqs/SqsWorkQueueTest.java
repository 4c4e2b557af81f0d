package dev.tally.aws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsWorkQueueTest {

    @Test
    void shouldRoundDelaysUpToWholeSeconds_withinSqsLimits() {
        assertThat(SqsWorkQueue.delaySeconds(Duration.ZERO)).isZero();
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofMillis(-5))).isZero();
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofMillis(29_001))).isEqualTo(30);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofMinutes(15))).isEqualTo(900);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofHours(2))).isEqualTo(900);
    }

    @Test
    void shouldKeepAttributeTextsSqsTakes() {
        assertThat(SqsWorkQueue.attributeText("HTTP 400: bad\u0000request")).isEqualTo("HTTP 400: bad?request");
        assertThat(SqsWorkQueue.attributeText(" ")).isEqualTo("(none)");
        assertThat(SqsWorkQueue.attributeText(null)).isEqualTo("(none)");
        assertThat(SqsWorkQueue.attributeText("x".repeat(5000))).hasSize(SqsWorkQueue.MAX_ATTRIBUTE_CHARS).endsWith("…");
    }

    @Test
    void shouldRefuseFifoQueues_whichTakeNoPerMessageDelay() {
        try (SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).build()) {
            assertThatThrownBy(() -> new SqsWorkQueue(sqs, "https://sqs.us-east-1.amazonaws.com/1/work.fifo",
                    "https://sqs.us-east-1.amazonaws.com/1/dlq"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("standard queue");
            assertThatThrownBy(() -> new SqsWorkQueue(sqs, "https://sqs.us-east-1.amazonaws.com/1/work", " "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dead-letter queue");
        }
    }
}
