package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading the SES outbox's files, without an endpoint. */
class SesOutboxTest {

    @TempDir
    Path outbox;

    private static Map<String, Object> content(String subject) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("from", "a@tally.example");
        content.put("to", List.of("b@example.com"));
        content.put("subject", subject);
        content.put("text", "hello");
        content.put("html", null);
        return content;
    }

    @Test
    void shouldReadMessagesInArrivalOrder_evenWithinOneMillisecond() {
        for (int i = 0; i < 20; i++) {
            SesOutbox.write(outbox, "id-" + (char) ('z' - i), SesOutbox.arrive(), content("n" + i));
        }

        List<SesOutbox.Message> messages = SesOutbox.read(outbox);

        assertThat(messages).extracting(SesOutbox.Message::subject)
                .containsExactly(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "n" + i).toArray(String[]::new));
        assertThat(messages.get(0).html()).isNull();
        assertThat(messages.get(0).cc()).isEmpty();
        assertThat(messages.get(0).tags()).isEmpty();
        assertThat(messages.get(0).file().getFileName().toString()).matches("\\d+-id-z\\.json");
    }

    @Test
    void shouldOrderByTheMillisAsNumbers_andSkipOtherFiles() throws Exception {
        String body = "{\"message_id\":\"m\",\"to\":[\"b@example.com\"],\"received_at\":\"2024-05-01T00:00:00Z\",";
        Files.writeString(outbox.resolve("999-m2.json"), body + "\"subject\":\"second\"}");
        Files.writeString(outbox.resolve("1000-m3.json"), body + "\"subject\":\"third\"}");
        Files.writeString(outbox.resolve("10-m1.json"), body + "\"subject\":\"first\"}");
        Files.writeString(outbox.resolve(".11-m9.json.tmp"), "{\"subj");
        Files.writeString(outbox.resolve("notes.json"), "[]");
        Files.writeString(outbox.resolve("README"), "x");

        assertThat(SesOutbox.read(outbox)).extracting(SesOutbox.Message::subject)
                .containsExactly("first", "second", "third");
    }

    @Test
    void shouldReadNothing_fromAMissingDirectory_andFail_onABrokenFile() throws Exception {
        assertThat(SesOutbox.read(outbox.resolve("absent"))).isEmpty();

        Files.writeString(outbox.resolve("1-m.json"), "{\"subject\":");
        assertThatThrownBy(() -> SesOutbox.read(outbox)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1-m.json");
    }

    @Test
    void shouldLeaveNoTemporaryFileBehind() throws Exception {
        SesOutbox.write(outbox, "id", SesOutbox.arrive(), content("s"));

        try (var files = Files.list(outbox)) {
            assertThat(files.map(file -> file.getFileName().toString())).singleElement().asString()
                    .matches("\\d+-id\\.json");
        }
    }
}
