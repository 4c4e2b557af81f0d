package dev.tally.aws.sqs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqsProcessingQueueTest {

    @Test
    void shouldWriteTheBodyAsJson_escapingWhatNeedsIt() {
        assertThat(SqsProcessingQueue.body("r-1")).isEqualTo("{\"request_id\":\"r-1\"}");
        assertThat(SqsProcessingQueue.body("a\"b")).isEqualTo("{\"request_id\":\"a\\\"b\"}");
    }
}
