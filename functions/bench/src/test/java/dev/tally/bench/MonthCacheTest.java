package dev.tally.bench;

import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonthCacheTest {
    private static final String FINGERPRINT = "test-generator";

    private static String key(Map<String, String> options) {
        return MonthCache.key(MonthSpec.fromOptions(options), FINGERPRINT);
    }

    @Test
    void sameMonthSpelledDifferentlyHasTheSameKey() {
        String a = key(Map.of("rows", "1000000", "format", "dbr", "compression", "gzip"));
        String b = key(Map.of("rows", "1_000_000", "format", "DBR", "compression", "gz", "seed", "1"));
        String c = key(Map.of("rows", "1000000", "format", "dbr", "compression", "gzip", "messy", "false",
                "fargate-share", "0.2", "tag-key", "product_area"));
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
        assertThat(a).startsWith("dbr-gzip-r1000000-s1-").matches("[a-z0-9-]+");
    }

    @Test
    void everyOptionThatChangesTheMonthChangesTheKey() {
        Map<String, String> base = Map.of("rows", "1000", "format", "dbr", "compression", "gzip");
        String k = key(base);
        for (Map<String, String> extra : java.util.List.of(Map.of("seed", "2"), Map.of("instances", "7"),
                Map.of("services", "3"), Map.of("clusters", "2"), Map.of("volumes", "9"),
                Map.of("fargate-share", "0.5"), Map.of("tag-key", "team"), Map.of("messy", "true"),
                Map.of("events-gzip", "true"), Map.of("estimated", "true"), Map.of("period", "2024-03"),
                Map.of("malformed-rows", "2"), Map.of("noise-rate", "0.1"), Map.of("no-resource-ids", "true"),
                Map.of("extra-decimals", "true"), Map.of("stray-period-rows", "4"), Map.of("commitments", "true"))) {
            Map<String, String> o = new java.util.HashMap<>(base);
            o.putAll(extra);
            assertThat(key(o)).as("key with %s", extra).isNotEqualTo(k);
        }
        assertThat(key(Map.of("rows", "1001", "format", "dbr", "compression", "gzip"))).isNotEqualTo(k);
        assertThat(key(Map.of("rows", "1000", "format", "focus", "compression", "gzip", "focus-nulls", "true")))
                .isNotEqualTo(key(Map.of("rows", "1000", "format", "focus", "compression", "gzip")));
        assertThat(key(Map.of("rows", "1000", "format", "cur", "compression", "gzip"))).startsWith("cur-gzip-r1000-");
        Map<String, String> cur2 = Map.of("rows", "1000", "format", "cur2");
        String split = key(Map.of("rows", "1000", "format", "cur2", "split-cost-allocation", "true"));
        assertThat(split).isNotEqualTo(key(cur2));
        assertThat(key(Map.of("rows", "1000", "format", "cur2", "split-cost-allocation", "true",
                "ecs-tag-share", "0.2"))).isNotEqualTo(split);
        assertThat(key(Map.of("rows", "1000", "format", "cur2", "split-cost-allocation", "true",
                "unrecorded-task-share", "0.2"))).isNotEqualTo(split);
        assertThat(MonthCache.canonical(MonthSpec.fromOptions(cur2))).as("unchanged without the option")
                .doesNotContain("split", "ecs-tag-share");
        assertThat(key(Map.of("rows", "1000", "format", "dbr", "compression", "none"))).startsWith("dbr-none-r1000-");
    }

    @Test
    void aChangedGeneratorChangesTheKey() {
        MonthSpec spec = MonthSpec.builder().targetRows(1000).build();
        assertThat(MonthCache.key(spec, "a")).isNotEqualTo(MonthCache.key(spec, "b"));
        assertThat(MonthCache.generatorFingerprint()).isNotEqualTo("unknown").hasSize(16);
    }

    @Test
    void benchOptionsBecomeTheGeneratorsSpec() {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--rows", "5000", "--format", "cur2", "--compression", "none", "--seed", "9",
                "--instances", "12", "--services", "4", "--messy", "--gen", "events-gzip=true", "--xmx", "512m");
        MonthSpec spec = cmd.monthSpec();
        assertThat(spec.targetRows()).isEqualTo(5000);
        assertThat(spec.format()).isEqualTo(BillFormat.CUR2);
        assertThat(spec.compression()).isEqualTo(Compression.NONE);
        assertThat(spec.seed()).isEqualTo(9);
        assertThat(spec.instances()).isEqualTo(12);
        assertThat(spec.services()).isEqualTo(4);
        assertThat(spec.events().shuffle()).isTrue();
        assertThat(spec.events().gzip()).isTrue();

        BenchCommand defaults = new BenchCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.monthSpec()).isEqualTo(MonthSpec.builder().targetRows(1_000_000)
                .compression(Compression.GZIP).build());
    }

    @Test
    void splitCostAllocationIsAnOptionOfBench() {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--format", "cur2", "--split-cost-allocation", "--gen", "ecs-tag-share=0.3");
        MonthSpec spec = cmd.monthSpec();
        assertThat(spec.splitCostAllocation()).isTrue();
        assertThat(spec.ecsTagShare()).isEqualTo(0.3);
        BenchCommand off = new BenchCommand();
        new CommandLine(off).parseArgs("--format", "cur2");
        assertThat(off.monthSpec().splitCostAllocation()).isFalse();
    }

    @Test
    void unknownOrDuplicatedGeneratorOptionsAreUsageErrors() {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--gen", "no-such-option=1");
        assertThatThrownBy(cmd::monthSpec).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("no-such-option");
        BenchCommand dup = new BenchCommand();
        new CommandLine(dup).parseArgs("--gen", "rows=5");
        assertThatThrownBy(dup::generatorOptions).hasMessageContaining("--rows");
    }

    @Test
    void aCompleteMonthIsReusedAndAnIncompleteOneRegenerated(@TempDir Path root) throws Exception {
        MonthCache cache = new MonthCache(root, FINGERPRINT);
        MonthSpec spec = MonthSpec.builder().targetRows(500).build();

        MonthCache.Month first = cache.getOrGenerate(spec);
        assertThat(first.reused()).isFalse();
        assertThat(first.dir()).isEqualTo(root.resolve(cache.key(spec)));
        assertThat(first.bill()).exists();
        assertThat(first.dir().resolve(MonthCache.SPEC_FILE)).hasContent(MonthCache.canonical(spec));
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(cache.key(spec));
        }

        MonthCache.Month again = cache.getOrGenerate(spec);
        assertThat(again.reused()).isTrue();
        assertThat(again.manifest()).isEqualTo(first.manifest());

        Files.delete(first.dir().resolve(MonthCache.SPEC_FILE)); // as if generation had been interrupted
        MonthCache.Month regenerated = cache.getOrGenerate(spec);
        assertThat(regenerated.reused()).isFalse();
        assertThat(regenerated.manifest()).isEqualTo(first.manifest());
    }
}
