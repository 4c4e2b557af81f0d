package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testkit.GeneratorOption;
import dev.tally.testkit.GeneratorOptions;
import dev.tally.testkit.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole benchmark on a tiny month: child JVMs, DuckDB, table and results file. Nothing about speed. */
class BenchCommandTest {
    @Test
    void runsTheRollupWithTheLaunchersJvmOptions() throws Exception {
        String file = Files.readString(Path.of("../../scripts/jvm-options"));

        assertThat(LauncherOptions.launcherJvmOptions())
                .isEqualTo(LauncherOptions.jvmOptions(file, LauncherOptions.transparentHugePages()))
                .contains("-XX:+UseParallelGC").allMatch(option -> option.startsWith("-"));
        assertThat(Files.readString(Path.of("../../tally"))).contains("scripts/jvm-options", "thp:");
    }

    @Test
    void takesHugePageOptionsOnlyWhereTheKernelOffersThem() {
        String file = "# comment\n-XX:+UseParallelGC\n\n  thp:-XX:+UseTransparentHugePages\n-Xss1m\n";

        assertThat(LauncherOptions.jvmOptions(file, true))
                .containsExactly("-XX:+UseParallelGC", "-XX:+UseTransparentHugePages", "-Xss1m");
        assertThat(LauncherOptions.jvmOptions(file, false)).containsExactly("-XX:+UseParallelGC", "-Xss1m");
    }

    @Test
    void benchmarksATinyMonthEndToEnd(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path results = tmp.resolve("results.json");
        int code = BenchCommand.run(new String[] {"--rows", "2000", "--format", "cur", "--runs", "1", "--dir",
            tmp.resolve("months").toString(), "--xmx", "128m", "--out", results.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).as(err.toString()).isIn(0, 1); // PASS or FAIL depends on speed, which tests never judge
        JsonNode r = ProbeLine.JSON.readTree(Files.readString(results));
        Manifest manifest = Manifest.read(Path.of(r.path("month").path("dir").asText()));
        BigDecimal total = manifest.totalCost();
        assertThat(new BigDecimal(r.path("totals").path("manifest").asText())).isEqualByComparingTo(total);
        assertThat(new BigDecimal(r.path("totals").path("tally").get(0).asText())).isEqualByComparingTo(total);
        assertThat(new BigDecimal(r.path("totals").path("duckdb").get(0).asText())).isEqualByComparingTo(total);
        JsonNode run = r.path("tally").path("runs").get(0);
        assertThat(run.path("exit_code").asInt()).isZero();
        assertThat(run.path("rows_read").asLong()).isEqualTo(manifest.rowsWritten());
        assertThat(run.path("heap_max_bytes").asLong()).isLessThanOrEqualTo(128L << 20);
        assertThat(run.path("probe_ms").asLong()).isPositive();
        assertThat(run.path("process_ms").asLong()).isGreaterThanOrEqualTo(run.path("probe_ms").asLong());
        assertThat(r.path("duckdb").path("runs").get(0).path("query_ms").asLong()).isNotNegative();
        assertThat(r.path("verdict").path("pass").asBoolean()).isEqualTo(code == 0);
        assertThat(out.toString()).contains("Tally wall, full rollup", "DuckDB wall, group-by", "(= manifest)")
                .containsPattern("(PASS|FAIL): ");
        assertThat(err.toString()).contains("generated month");

        // The second time the month is reused.
        StringWriter err2 = new StringWriter();
        BenchCommand.run(new String[] {"--rows", "2000", "--format", "cur", "--runs", "1", "--no-duckdb",
            "--dir", tmp.resolve("months").toString(), "--xmx", "128m"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err2, true));
        assertThat(err2.toString()).contains("reusing month");
    }

    @Test
    void showsTheGeneratorsOptionsFromTheirOneDefinition() {
        StringWriter out = new StringWriter();
        assertThat(BenchCommand.run(new String[] {"--help"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true))).isZero();
        String help = out.toString();
        for (String name : MonthOptions.SHOWN) {
            GeneratorOption o = GeneratorOptions.get(name);
            // a flag is followed by a space, or by a line break where picocli wraps a long one
            assertThat(help).containsPattern(java.util.regex.Pattern.quote(o.flagName())
                    + (o.flag() ? "\\s" : java.util.regex.Pattern.quote("=" + o.paramLabel())));
        }
        assertThat(help).contains("--gen=NAME=VALUE", "(default: 1000000)", "(default: gzip)", "1% duplicates")
                .doesNotContain("%%");
        assertThat(help.lastIndexOf("--rows=N")).as("listed first").isLessThan(help.lastIndexOf("--dir=DIR"));
    }

    @Test
    void wrongUsageExitsWith2() {
        StringWriter err = new StringWriter();
        assertThat(BenchCommand.run(new String[] {"--xmx", "lots"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true))).isEqualTo(2);
        assertThat(err.toString()).contains("--xmx");
        assertThat(BenchCommand.run(new String[] {"--format", "xls"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true))).isEqualTo(2);
    }
}
