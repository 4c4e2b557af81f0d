package dev.tally.functions.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Lambda side: the sample scheduled event in, the JSON summary out, metrics always, failure at the end. */
class ReconcilerHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2017-02-10T12:00:00Z");

    private final FakeEcs ecs = new FakeEcs();
    private final FakeEc2 ec2 = new FakeEc2();
    private final RecordingStore store = new RecordingStore();
    private final List<Map<String, Long>> published = new ArrayList<>();
    private final ReconcilerHandler handler = new ReconcilerHandler(
            new Reconciler(ecs, ec2, store, Clock.fixed(NOW, ZoneOffset.UTC)), published::add);

    private static byte[] sampleEvent() throws IOException {
        Path root = Path.of(System.getProperty("tally.repo.root", "../.."));
        return Files.readAllBytes(root.resolve("events/functions/reconciler/scheduled-event.json"));
    }

    private JsonNode invoke(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ByteArrayInputStream(event)) {
            handler.handleRequest(in, out, null);
        }
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void sampleScheduledEvent_runsTheReconciler_andReturnsTheSummary() throws IOException {
        ecs.task("prod", new EcsInventory.Task(FakeEcs.SCOPE + "task/prod/a", 2, FakeEcs.clusterArn("prod"),
                "service:web", null, "256", List.of(), "RUNNING", NOW.minusSeconds(60), null));
        ec2.volume("vol-1", "in-use", new Ec2Inventory.Attachment("i-1", "attached", NOW.minusSeconds(600)));

        JsonNode summary = invoke(sampleEvent());

        assertThat(summary.path("runAt").asText()).isEqualTo("2017-02-10T12:00:00Z");
        assertThat(summary.path("clusters").asInt()).isEqualTo(1);
        assertThat(summary.path("tasksSeen").asInt()).isEqualTo(1);
        assertThat(summary.path("attachmentsAdded").asInt()).isEqualTo(1);
        assertThat(summary.path("errors").asInt()).isZero();
        assertThat(published).singleElement().satisfies(metrics -> {
            assertThat(metrics).containsEntry(ReconcilerMetrics.TASKS_SEEN, 1L)
                    .containsEntry(ReconcilerMetrics.ATTACHMENTS_ADDED, 1L)
                    .containsEntry(ReconcilerMetrics.ERRORS, 0L);
            assertThat(metrics).hasSize(9);
        });
    }

    @Test
    void anyInput_isAccepted() throws IOException {
        assertThat(invoke("{}".getBytes(StandardCharsets.UTF_8)).path("errors").asInt()).isZero();
        assertThat(invoke(new byte[0]).has("runAt")).isTrue();
    }

    @Test
    void aFailedPart_failsTheInvocation_afterTheMetricsArePublished() {
        ecs.cluster("prod").failing("prod");

        assertThatThrownBy(() -> invoke(sampleEvent()))
                .isInstanceOfSatisfying(ReconciliationFailedException.class, e -> {
                    assertThat(e.summary().errors()).hasSize(2);
                    assertThat(e.getMessage()).contains("cluster prod");
                });
        assertThat(published).singleElement()
                .satisfies(metrics -> assertThat(metrics).containsEntry(ReconcilerMetrics.ERRORS, 2L));
    }
}
