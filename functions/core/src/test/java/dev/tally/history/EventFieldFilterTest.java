package dev.tally.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.RepoFiles;
import dev.tally.billing.ByteInterner;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The filtered parse must give the event parser exactly what the whole event gives it. */
class EventFieldFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode filteredTree(String json) throws IOException {
        JsonParser parser = new FilteringParserDelegate(JSON.createParser(json.getBytes(StandardCharsets.UTF_8)),
                EventFieldFilter.EVENT, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true);
        return JSON.readTree(parser);
    }

    static EventOutcome filtered(String json) throws IOException {
        return EventParser.parse(filteredTree(json));
    }

    /** The fast scanner, where it takes a line, must build the very tree the filtered Jackson parse builds. */
    static void assertFastScannerAgrees(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode fast = FastEventScanner.scan(bytes, 0, bytes.length);
        if (fast != null) {
            assertThat(fast).as(json).isEqualTo(filteredTree(json));
        }
    }

    /** The task scanner, where it takes a line, must give the very task fact the parser gives; returns whether it took it. */
    static boolean assertTaskScannerAgrees(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        HistoryEvent.TaskStateChange fast = TaskEventScanner.scan(bytes, 0, bytes.length, new ByteInterner());
        if (fast == null) {
            return false;
        }
        assertThat(whole(json)).as(json).isEqualTo(new EventOutcome.Used(fast));
        return true;
    }

    static EventOutcome whole(String json) throws IOException {
        return EventParser.parse(JSON.readTree(json));
    }

    @Test
    void shouldParseEveryAwsSampleTheSameWay() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(RepoFiles.events("aws-samples"))) {
            samples = files.filter(f -> f.toString().endsWith(".json") && !f.toString().contains("INVALID")
                    && !f.toString().contains("NOT-VALID")).toList();
        }
        for (Path sample : samples) {
            String json = Files.readString(sample);
            assertThat(filtered(json)).as(sample.getFileName().toString()).isEqualTo(whole(json));
            assertFastScannerAgrees(json);
            assertTaskScannerAgrees(json);
        }
    }

    @Test
    void shouldParseAGeneratedMonthsEventsTheSameWay(@TempDir Path dir) throws IOException {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().seed(4).targetRows(3000)
                .events(EventOptions.messy().withNoiseRate(0.1)).build(), dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve(m.eventsFile())));
        lines.add("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\",\"version\":2,"
                + "\"containers\":[{\"name\":\"a\"},{\"name\":\"b\",\"cpu\":\"0\"}]}}");
        lines.add("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\",\"containers\":[]}}");
        lines.add("{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":{\"eventName\":\"AttachVolume\","
                + "\"errorCode\":null,\"requestParameters\":{\"volumeId\":\"vol-1\",\"instanceId\":\"i-1\"},"
                + "\"responseElements\":null,\"eventTime\":\"2017-02-01T00:00:00Z\"}}");
        lines.add("[1,2]");
        lines.add("{}");
        lines.add("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\\u0041\\n\",\"version\":12345678901,"
                + "\"cpu\":1.5e3,\"startedAt\":1486000000.25,\"x\":[{\"a\":[true,false,null]}],\"version\":7}}");
        lines.add("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\",\"version\":99999999999999999999}}");
        lines.add("{\"detail-type\" : \"EC2 Instance State-change Notification\" , \"time\":\"2017-02-01T00:00:00Z\","
                + " \"detail\" : { \"instance-id\" : \"i-1\" , \"state\" : \"terminated\" } }");
        lines.add("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\",\"version\":01}}");
        lines.add("{\"detail-type\":\"x\"} trailing");
        lines.addAll(TASK_EDGES);
        int checked = 0;
        int taken = 0;
        for (String line : lines) {
            if (line.isBlank() || !line.trim().startsWith("{") && !line.trim().startsWith("[")) {
                continue;
            }
            try {
                JSON.readTree(line);
            } catch (IOException malformed) {
                continue;
            }
            assertThat(filtered(line)).as(line).isEqualTo(whole(line));
            assertFastScannerAgrees(line);
            taken += assertTaskScannerAgrees(line) ? 1 : 0;
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(taken).as("task lines the task scanner took").isGreaterThan(checked / 4);
    }

    private static String task(String detail) {
        return "{\"version\":\"0\",\"detail-type\":\"ECS Task State Change\",\"detail\":{" + detail + "}}";
    }

    /** Task events at the edges of the plain form: each is either taken with the parser's result or left to it. */
    private static final List<String> TASK_EDGES = List.of(
            task("\"taskArn\":\" t1 \",\"version\":\" 3 \",\"cpu\":\" 512 \",\"group\":\"  \",\"clusterArn\":null"),
            task("\"taskArn\":\"t1\",\"version\":-4,\"cpu\":256,\"startedAt\":\"2017-02-01T00:00:00.123Z\","
                    + "\"stoppedAt\":\" 2017-02-01T05:00:00Z \""),
            task("\"taskArn\":\"t1\",\"startedAt\":\"2017-02-01T01:00:00+01:00\",\"stoppedAt\":\"2017-02-01T02:00:00.5Z\""),
            task("\"taskArn\":\"t1\",\"startedAt\":\"1486000000\",\"stoppedAt\":1486000000"),
            task("\"taskArn\":\"t1\",\"startedAt\":\"2017-02-31T00:00:00Z\""),
            task("\"taskArn\":\"t1\",\"startedAt\":\"yesterday\""),
            task("\"taskArn\":\"t1\",\"cpu\":\"1 vCPU\",\"containers\":[{\"cpu\":\".25 vcpu\"}]"),
            task("\"taskArn\":\"t1\",\"cpu\":\"abc\""),
            task("\"taskArn\":\"t1\",\"cpu\":-1"),
            task("\"taskArn\":\"t1\",\"cpu\":1.5"),
            task("\"taskArn\":\"t1\",\"cpu\":\"0256\",\"version\":\"x\""),
            task("\"taskArn\":\"t1\",\"containers\":[{\"cpu\":128},{\"cpu\":\"64\"},{\"cpu\":null},{},{\"cpu\":1,\"cpu\":2}]"),
            task("\"taskArn\":\"t1\",\"containers\":[{\"cpu\":128}],\"containers\":[]"),
            task("\"taskArn\":\"t1\",\"containers\":{\"cpu\":128}"),
            task("\"taskArn\":\"t1\",\"containers\":[1,2]"),
            task("\"taskArn\":\"t1\",\"containers\":[{\"cpu\":{\"units\":1}}]"),
            task("\"taskArn\":\"t1\",\"containers\":[{\"cpu\":true}]"),
            task("\"taskArn\":123,\"group\":\"service:a\""),
            task("\"taskArn\":\"t1\",\"group\":true"),
            task("\"taskArn\":\"t1\",\"group\":[\"service:a\"]"),
            task("\"taskArn\":\"\",\"group\":\"service:a\""),
            task("\"group\":\"service:a\""),
            task("\"taskArn\":\"t1\",\"taskArn\":\"t2\",\"version\":1,\"version\":2"),
            task("\"taskArn\":\"t1\",\"version\":123456789012345678901"),
            task("\"taskArn\":\"t1\",\"version\":1.0"),
            "{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t1\"},\"detail\":{\"taskArn\":\"t2\"}}",
            "{\"detail\":{\"taskArn\":\"t1\"},\"detail-type\":\"ECS Task State Change\"}",
            "{\"detail-type\":\"ECS Task State Change\",\"detail\":[]}",
            "{\"detail-type\":\"ECS Task State Change\",\"detail-type\":\"Other\",\"detail\":{\"taskArn\":\"t1\"}}",
            " { \"detail-type\" : \"ECS Task State Change\" , \"detail\" : { \"taskArn\" : \"t1\" , \"cpu\" : 0 } } ");

    @Test
    void shouldLeaveNonAsciiLinesToJackson_withTheSameOutcome() throws IOException {
        String kept = "{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":\"t\",\"group\":\"service:caf\u00e9\"}}";
        String skipped = "{\"detail-type\":\"ECS Task State Change\",\"note\":\"\u00fcber\",\"detail\":{\"taskArn\":\"t\"}}";
        for (String line : new String[] {kept, skipped}) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(FastEventScanner.scan(bytes, 0, bytes.length)).isNull();
            assertThat(filtered(line)).isEqualTo(whole(line));
        }
    }
}
