package dev.tally.aws.sqs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsProcessingQueueTest {

    @Test
    void shouldWriteTheBodyAsJson_escapingWhatNeedsIt() {
        assertThat(SqsProcessingQueue.body("r-1")).isEqualTo("{\"request_id\":\"r-1\"}");
        assertThat(SqsProcessingQueue.body("a\"b")).isEqualTo("{\"request_id\":\"a\\\"b\"}");
    }

    @Test
    void shouldReadTheRequestIdBack_andRefuseOtherBodies_withoutEchoingThem() {
        assertThat(SqsProcessingQueue.requestId(SqsProcessingQueue.body("7d4f1c1e-2b8a-4c33-9e0f-5a6b7c8d9e01")))
                .isEqualTo("7d4f1c1e-2b8a-4c33-9e0f-5a6b7c8d9e01");
        assertThatThrownBy(() -> SqsProcessingQueue.requestId("{\"request_id\":\"ada@example.com\"}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageNotContaining("ada");
        assertThatThrownBy(() -> SqsProcessingQueue.requestId("{\"requestId\":\"r-1\"}"))
                .isInstanceOf(MalformedMessageException.class).hasMessage("processing message has no request_id");
    }
}
