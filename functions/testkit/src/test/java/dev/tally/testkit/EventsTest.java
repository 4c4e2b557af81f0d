package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The events file of a messy month, checked against the bill and the shapes of aws-samples/. */
class EventsTest {
    private static final long HOUR = 3_600_000L;

    @TempDir
    static Path dir;
    static Manifest manifest;
    static List<String> lines;
    static List<JsonNode> events = new ArrayList<>();
    static Map<String, List<JsonNode>> tasks = new TreeMap<>();
    static Map<String, String> ciToInstance = new HashMap<>();
    static Map<String, Long> terminated = new HashMap<>();
    static Map<String, long[]> hourlyRows = new HashMap<>();
    static long malformedLines;

    @BeforeAll
    static void generate() throws IOException {
        MonthSpec spec = TestFiles.small().targetRows(40_000).instances(12).services(8).clusters(3).volumes(30)
                .format(BillFormat.CUR).events(EventOptions.messy().withMalformedEvents(4)).build();
        manifest = MonthGenerator.generate(spec, dir);
        lines = TestFiles.lines(dir.resolve(manifest.eventsFile()));
        for (String l : lines) {
            JsonNode n = TestFiles.jsonOrNull(l);
            if (n == null) {
                malformedLines++;
                continue;
            }
            events.add(n);
            JsonNode d = n.get("detail");
            switch (n.get("detail-type").asText()) {
                case "ECS Task State Change":
                    tasks.computeIfAbsent(d.get("taskArn").asText(), k -> new ArrayList<>()).add(n);
                    break;
                case "ECS Container Instance State Change":
                    ciToInstance.put(d.get("containerInstanceArn").asText(), d.get("ec2InstanceId").asText());
                    break;
                case "EC2 Instance State-change Notification":
                    if (d.get("state").asText().equals("terminated")) {
                        terminated.put(d.get("instance-id").asText(), Instant.parse(n.get("time").asText()).toEpochMilli());
                    }
                    break;
                default:
                    break;
            }
        }
        BillCheck.read(dir.resolve(manifest.billFile()), BillFormat.CUR, row -> {
            String r = row.get("lineItem/ResourceId");
            if (!r.isEmpty() && row.endMs() - row.startMs() == HOUR) {
                long[] span = hourlyRows.computeIfAbsent(r, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                span[0] = Math.min(span[0], row.startMs());
                span[1] = Math.max(span[1], row.endMs());
            }
        });
    }

    @Test
    void countsMatchTheManifest() {
        assertThat(lines).hasSize((int) manifest.events().written());
        assertThat(malformedLines).isEqualTo(manifest.events().malformed()).isEqualTo(4);
        Map<String, Integer> ids = new HashMap<>();
        events.forEach(e -> ids.merge(e.get("id").asText(), 1, Integer::sum));
        long duplicates = ids.values().stream().mapToLong(v -> v - 1).sum();
        assertThat(duplicates).isEqualTo(manifest.events().duplicates()).isPositive();
        long noise = events.stream().filter(e -> !relevant(e)).count();
        assertThat(noise).isGreaterThanOrEqualTo(manifest.events().noise()).isPositive();
        assertThat(manifest.events().byType()).containsKeys("task", "container_instance", "attach_volume",
                "detach_volume", "failed_api_call", "instance_terminated", "noise");
    }

    private static boolean relevant(JsonNode e) {
        String type = e.get("detail-type").asText();
        JsonNode d = e.get("detail");
        return type.equals("ECS Task State Change") || type.equals("ECS Container Instance State Change")
                || type.equals("EC2 Instance State-change Notification") && d.get("state").asText().equals("terminated")
                || type.equals("AWS API Call via CloudTrail") && (d.get("eventName").asText().endsWith("Volume"));
    }

    @Test
    void envelopesLookLikeEventBridge() {
        for (JsonNode e : events) {
            assertThat(e.get("version").asText()).isEqualTo("0");
            assertThat(e.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(e.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
            assertThat(e.get("region").asText()).isEqualTo("us-east-1");
            assertThat(e.get("account").asText()).matches("\\d{12}");
            assertThat(e.get("resources").isArray()).isTrue();
            assertThat(e.get("detail").isObject()).isTrue();
        }
    }

    @Test
    void tasksGoPendingRunningStoppedWithIncreasingVersions() {
        assertThat(tasks.size()).isEqualTo((int) manifest.entities().tasks());
        int stopped = 0;
        int runningAtEnd = 0;
        int neverStarted = 0;
        Set<String> cpuShapes = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (List<JsonNode> seq : tasks.values()) {
            List<JsonNode> byVersion = new ArrayList<>(seq);
            byVersion.sort((a, b) -> Integer.compare(a.get("detail").get("version").asInt(),
                    b.get("detail").get("version").asInt()));
            JsonNode first = byVersion.get(0).get("detail");
            JsonNode last = byVersion.get(byVersion.size() - 1).get("detail");
            boolean fargate = first.get("launchType").asText().equals("FARGATE");
            assertThat(first.get("lastStatus").asText()).isIn("PENDING", "PROVISIONING");
            assertThat(first.has("startedAt")).isFalse();
            assertThat(first.has("containerInstanceArn")).isEqualTo(!fargate);
            String group = first.get("group").asText();
            assertThat(group).matches("(service|family):[a-z0-9-]+");
            groups.add(fargate + group.substring(0, group.indexOf(':')));
            JsonNode cpu = first.get("cpu");
            JsonNode containerCpu = first.get("containers").get(0).get("cpu");
            cpuShapes.add((cpu == null ? "none" : cpu.asText().equals("0") ? "zero" : "units") + "/"
                    + (containerCpu == null ? "none" : containerCpu.asText().equals("0") ? "zero" : "units"));
            for (JsonNode e : byVersion) {
                JsonNode d = e.get("detail");
                assertThat(d.get("cpu") == null || d.get("cpu").isTextual()).isTrue();
                assertThat(d.get("updatedAt").asText()).matches(".*T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            }
            if (last.get("lastStatus").asText().equals("STOPPED")) {
                stopped++;
                assertThat(last.has("stoppedAt")).isTrue();
                if (!last.has("startedAt")) {
                    neverStarted++;
                } else {
                    assertThat(Instant.parse(last.get("stoppedAt").asText()))
                            .isAfter(Instant.parse(last.get("startedAt").asText()));
                }
            } else {
                runningAtEnd++;
                assertThat(byVersion).anyMatch(e -> e.get("detail").has("startedAt"));
            }
        }
        assertThat(stopped).isPositive();
        assertThat(runningAtEnd).isEqualTo((int) manifest.entities().tasksRunningAtEnd()).isPositive();
        assertThat(neverStarted).isEqualTo((int) manifest.entities().tasksFailedToStart());
        assertThat(cpuShapes).contains("units/zero", "zero/units", "none/units");
        assertThat(groups).contains("falseservice", "trueservice");
    }

    @Test
    void everyEc2TaskRunsOnAKnownHostThatIsBilledWhileItRuns() {
        int checked = 0;
        for (List<JsonNode> seq : tasks.values()) {
            JsonNode d = seq.get(0).get("detail");
            if (!d.has("containerInstanceArn")) {
                continue;
            }
            String instance = ciToInstance.get(d.get("containerInstanceArn").asText());
            assertThat(instance).as("container instance of " + d.get("taskArn")).isNotNull();
            Long started = null;
            Long stoppedAt = null;
            for (JsonNode e : seq) {
                if (e.get("detail").has("startedAt")) {
                    started = Instant.parse(e.get("detail").get("startedAt").asText()).toEpochMilli();
                }
                if (e.get("detail").has("stoppedAt")) {
                    stoppedAt = Instant.parse(e.get("detail").get("stoppedAt").asText()).toEpochMilli();
                }
            }
            if (started == null) {
                continue;
            }
            long[] rows = hourlyRows.get(instance);
            assertThat(rows).as("rows of host " + instance).isNotNull();
            if (stoppedAt != null && stoppedAt > rows[0]) {
                assertThat(stoppedAt).isLessThanOrEqualTo(rows[1]);
                if (terminated.containsKey(instance)) {
                    assertThat(stoppedAt).isLessThan(terminated.get(instance));
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void fargateRowsAreForTasksInTheEventsAndTerminatedInstancesStopBilling() {
        int fargate = 0;
        for (Map.Entry<String, long[]> e : hourlyRows.entrySet()) {
            if (e.getKey().contains(":task/")) {
                fargate++;
                List<JsonNode> seq = tasks.get(e.getKey());
                assertThat(seq).as(e.getKey()).isNotNull();
                assertThat(seq).anyMatch(ev -> ev.get("detail").has("startedAt"));
                assertThat(seq.get(0).get("detail").get("launchType").asText()).isEqualTo("FARGATE");
            }
        }
        assertThat(fargate).isPositive();
        assertThat(terminated).isNotEmpty();
        for (Map.Entry<String, Long> t : terminated.entrySet()) {
            long[] rows = hourlyRows.get(t.getKey());
            assertThat(rows).isNotNull();
            assertThat(rows[1]).as("last hour billed for " + t.getKey()).isGreaterThan(t.getValue())
                    .isLessThanOrEqualTo(t.getValue() + HOUR);
        }
    }

    @Test
    void volumeCallsLookLikeCloudTrail() {
        int attach = 0;
        int failed = 0;
        int detach = 0;
        for (JsonNode e : events) {
            if (!e.get("detail-type").asText().equals("AWS API Call via CloudTrail")) {
                continue;
            }
            JsonNode d = e.get("detail");
            String name = d.get("eventName").asText();
            assertThat(e.get("source").asText()).isEqualTo("aws.ec2");
            assertThat(d.get("eventTime").asText()).matches(".*T\\d{2}:\\d{2}:\\d{2}Z");
            if (d.has("errorCode")) {
                failed++;
                assertThat(d.get("responseElements").isNull()).isTrue();
                continue;
            }
            if (name.equals("AttachVolume")) {
                attach++;
                JsonNode rs = d.get("responseElements");
                assertThat(rs.get("volumeId").asText()).matches("vol-[0-9a-f]{17}");
                assertThat(rs.get("instanceId").asText()).matches("i-[0-9a-f]{17}");
                if (rs.has("attachTime")) {
                    long at = rs.get("attachTime").asLong();
                    assertThat(rs.get("attachTime").isIntegralNumber()).isTrue();
                    long eventTime = Instant.parse(d.get("eventTime").asText()).toEpochMilli();
                    assertThat(at - eventTime).isBetween(0L, 999L);
                }
            } else if (name.equals("DetachVolume")) {
                detach++;
                assertThat(d.get("requestParameters").get("volumeId").asText()).startsWith("vol-");
            }
        }
        assertThat(attach).isPositive();
        assertThat(detach).isPositive();
        assertThat(failed).isPositive();
    }

    @Test
    void eventsAreAboutOnePerTenRowsAtThisSize() {
        double ratio = (double) manifest.events().written() / manifest.lineItems();
        assertThat(ratio).isBetween(0.04, 0.4);
    }
}
