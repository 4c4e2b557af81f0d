package dev.tally.aws.sqs;

import dev.tally.privacy.WorkItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkItemsTest {
    private static final String ID = "7d4f1c1e-2b8a-4c33-9e0f-5a6b7c8d9e01";

    @Test
    void shouldWriteRequestTargetAndPollState_andReadThemBack() {
        WorkItem item = new WorkItem(ID, "crm", Map.of("job-2", "r1", "job-1", "r1"));

        String body = WorkItems.body(item);

        assertThat(body).isEqualTo("{\"request_id\":\"" + ID + "\",\"target\":\"crm\","
                + "\"poll_state\":{\"job-1\":\"r1\",\"job-2\":\"r1\"}}");
        assertThat(WorkItems.parse(body)).isEqualTo(item);
    }

    @Test
    void shouldWriteAnEmptyPollState_andReadAMissingOrNullOneAsEmpty() {
        assertThat(WorkItems.body(WorkItem.of(ID, "archive")))
                .isEqualTo("{\"request_id\":\"" + ID + "\",\"target\":\"archive\",\"poll_state\":{}}");
        assertThat(WorkItems.parse("{\"request_id\":\"" + ID + "\",\"target\":\"archive\"}"))
                .isEqualTo(WorkItem.of(ID, "archive"));
        assertThat(WorkItems.parse("{\"request_id\":\"" + ID + "\",\"target\":\"archive\",\"poll_state\":null}")
                .polling()).isFalse();
    }

    @Test
    void shouldIgnoreFieldsItDoesNotKnow_soANewerSendersMessageIsNotLost() {
        assertThat(WorkItems.parse("{\"request_id\":\"" + ID + "\",\"target\":\"archive\",\"slice\":3}"))
                .isEqualTo(WorkItem.of(ID, "archive"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "ada@example.com", "[\"ada@example.com\"]", "\"ada@example.com\"",
            "{\"request_id\":\"ada@example.com\",\"target\":\"crm\"}",
            "{\"request_id\":\"r-1\",\"target\":\"ada@example.com\"}",
            "{\"request_id\":\"r-1\"}", "{\"target\":\"crm\"}", "{\"request_id\":7,\"target\":\"crm\"}",
            "{\"request_id\":\"r-1\",\"target\":\"crm\",\"poll_state\":[\"ada@example.com\"]}",
            "{\"request_id\":\"r-1\",\"target\":\"crm\",\"poll_state\":{\"job\":{\"id\":\"ada@example.com\"}}}",
            "{\"request_id\":\"r-1\",\"target\":\"crm\"} ada@example.com",
            "{\"request_id\":\"r-1\",\"request_id\":\"ada@example.com\",\"target\":\"crm\"}",
            "{\"request_id\":\"r-1\",\"target\":\"crm\",\"poll_state\":{\"ada@example.com\""})
    void shouldRefuseAMalformedBody_withAMessageThatDoesNotEchoIt(String body) {
        assertThatThrownBy(() -> WorkItems.parse(body))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("work message")
                .hasMessageNotContaining("ada")
                .hasNoCause();
    }

    @Test
    void shouldSayWhichFieldIsWrong() {
        assertThatThrownBy(() -> WorkItems.parse("{\"request_id\":\"r-1\"}")).hasMessage("work message has no target");
        assertThatThrownBy(() -> WorkItems.parse("not json")).hasMessage("work message is not one JSON object");
    }
}
