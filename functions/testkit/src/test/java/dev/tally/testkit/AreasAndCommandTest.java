package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AreasAndCommandTest {
    @TempDir
    Path dir;

    @Test
    void areasMapMostGroupsWithClusterKeysFirstAndLeavesSomeUnmapped() throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().build(), dir);
        JsonNode areas = TestFiles.json(dir.resolve("areas.json"));
        List<String> keys = new ArrayList<>();
        areas.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).anyMatch(k -> k.contains("/"));
        assertThat(keys.get(0)).contains("/");
        assertThat(keys).anyMatch(k -> k.startsWith("family:"));

        Set<String> groups = new HashSet<>();
        Set<String> clusterGroups = new HashSet<>();
        for (String l : TestFiles.lines(dir.resolve(m.eventsFile()))) {
            JsonNode e = TestFiles.jsonOrNull(l);
            if (e != null && e.get("detail-type").asText().equals("ECS Task State Change")) {
                String g = e.get("detail").get("group").asText();
                String service = g.startsWith("service:") ? g.substring(8) : g;
                String cluster = e.get("detail").get("clusterArn").asText().replaceAll(".*/", "");
                groups.add(service);
                clusterGroups.add(cluster + "/" + service);
            }
        }
        long mapped = clusterGroups.stream().filter(cg -> areas.has(cg) || areas.has(cg.substring(cg.indexOf('/') + 1)))
                .count();
        assertThat(mapped).isGreaterThan(clusterGroups.size() / 2).isLessThan(clusterGroups.size());
        assertThat(m.entities().unmappedGroups()).isPositive();
        // the same service name runs in two clusters and is mapped differently there
        String clusterKey = keys.get(0);
        String bare = clusterKey.substring(clusterKey.indexOf('/') + 1);
        if (areas.has(bare)) {
            assertThat(areas.get(clusterKey).asText()).isNotEqualTo(areas.get(bare).asText());
        }
        assertThat(groups).hasSizeGreaterThan(3);
    }

    @Test
    void optionsBuildASpec() {
        MonthSpec s = MonthSpec.fromOptions(Map.of("period", "2024-03", "format", "focus", "compression", "zip",
                "seed", "7", "rows", "5_000", "estimated", "", "tag-key", "team", "messy", "true",
                "malformed-events", "2", "malformed-rows", "3"));
        assertThat(s.period()).isEqualTo(YearMonth.of(2024, 3));
        assertThat(s.format()).isEqualTo(BillFormat.FOCUS);
        assertThat(s.compression()).isEqualTo(Compression.ZIP);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.targetRows()).isEqualTo(5_000);
        assertThat(s.estimated()).isTrue();
        assertThat(s.tagKey()).isEqualTo("team");
        assertThat(s.events().shuffle()).isTrue();
        assertThat(s.events().malformedEvents()).isEqualTo(2);
        assertThat(s.malformedRows()).isEqualTo(3);
        assertThat(s.billFileName()).isEqualTo("bill-2024-03.csv.zip");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("colour", "red")))
                .hasMessageContaining("unknown option 'colour'");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("format", "xls")))
                .hasMessageContaining("unknown bill format");
        assertThatThrownBy(() -> MonthSpec.builder().fargateShare(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandGeneratesAMonth() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GenerateCommand.run(List.of("--out", dir.toString(), "--period=2016-02", "--format", "cur2",
                        "--rows", "1500", "--compression", "gzip", "--events-gzip", "--messy"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cur2 2016-02");
        assertThat(dir.resolve("bill-2016-02.csv.gz")).exists();
        assertThat(dir.resolve("events.jsonl.gz")).exists();
        Manifest m = Manifest.read(dir);
        assertThat(m.period()).isEqualTo(YearMonth.of(2016, 2));
        assertThat(Files.readString(dir.resolve("manifest.json"))).contains("\"total_cost\" : \"" + m.totalCost()
                .toPlainString() + "\"");
        // a leap February has 29 days of hourly rows
        BillCheck.read(dir.resolve(m.billFile()), BillFormat.CUR2, row -> {
            if (row.get("line_item_resource_id").startsWith("i-")) {
                assertThat(row.get("line_item_usage_start_date")).startsWith("2016-02-");
            }
        });

        int bad = GenerateCommand.run(List.of("--out", dir.toString(), "--rows", "many"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(bad).isEqualTo(2);
        assertThat(GenerateCommand.run(List.of("--rows", "10"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
    }
}
