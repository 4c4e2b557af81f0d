package dev.tally.bench;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeLineTest {
    private static final TallyMetrics TALLY = new TallyMetrics(null, 310, 41_250, 41_560, 12_000, 28_900, 250, 100,
            4_996_633, 4_996_625, 614_687, 268_435_456, 250_000_000, 240_000_000, 268_435_456, 190_000_000, 812,
            9_400, 420_000_000, 88_000, 14_000, 3_000, new BigDecimal("1353212.0123456789"));

    @Test
    void tallyMetricsSurviveTheRoundTripAmidOtherOutput() {
        String stdout = "[main] INFO dev.tally.billing.BillReader - reading bill\n"
                + ProbeLine.format(TALLY.toJson()) + "\n"
                + "SLF4J: some warning\n";
        TallyMetrics back = TallyMetrics.fromJson(ProbeLine.parse(stdout));
        assertThat(back).isEqualTo(TALLY);
        assertThat(back.rowsPerSecond()).isEqualTo(4_996_633 * 1000.0 / 41_250);
        assertThat(ProbeLine.parse(stdout).get("total_cost").isTextual()).as("money travels as a string").isTrue();
    }

    @Test
    void theLastResultLineCounts() {
        TallyMetrics failed = TallyMetrics.failed("java.lang.OutOfMemoryError: Java heap space");
        String stdout = ProbeLine.format(TALLY.toJson()) + "\n" + ProbeLine.format(failed.toJson()) + "\n";
        TallyMetrics back = TallyMetrics.fromJson(ProbeLine.parse(stdout));
        assertThat(back.ok()).isFalse();
        assertThat(back.error()).contains("OutOfMemoryError");
        assertThat(back.totalCost()).isNull();
    }

    @Test
    void duckdbMetricsSurviveTheRoundTrip() {
        DuckDbMetrics d = new DuckDbMetrics(null, 420, 5_012, 5_900, 11, 2, 600_000_000, 9_800,
                new BigDecimal("1353212.0123456789"));
        assertThat(DuckDbMetrics.fromJson(ProbeLine.parse(ProbeLine.format(d.toJson())))).isEqualTo(d);
        assertThatThrownBy(() -> TallyMetrics.fromJson(ProbeLine.parse(ProbeLine.format(d.toJson()))))
                .hasMessageContaining("not a Tally probe result");
    }

    @Test
    void aMissingOrBrokenResultLineIsAnError() {
        assertThatThrownBy(() -> ProbeLine.parse("Exception in thread \"main\" java.lang.OutOfMemoryError\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no result line");
        assertThatThrownBy(() -> ProbeLine.parse(ProbeLine.MARKER + "{\"probe\":\"tally\", trunc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ProbeLine.parse(ProbeLine.MARKER + "[1,2]"))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> TallyMetrics.fromJson(ProbeLine.parse(ProbeLine.MARKER + "{\"probe\":\"tally\"}")))
                .hasMessageContaining("neither a total_cost nor an error");
    }

    @Test
    void moneyAsAJsonNumberIsRefused() {
        String line = ProbeLine.MARKER + "{\"probe\":\"tally\",\"probe_ms\":5,\"total_cost\":0.1}";
        assertThatThrownBy(() -> TallyMetrics.fromJson(ProbeLine.parse(line)))
                .hasMessageContaining("decimal string");
    }

    @Test
    void countsTheCollectorsAndCompilersCpuTime() {
        long[] gcJit = ProbeLine.gcAndJitCpuMillis();
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertThat(gcJit[0]).isNotNegative();
            assertThat(gcJit[1]).isNotNegative();
        } else {
            assertThat(gcJit).containsExactly(-1, -1);
        }
    }

    @Test
    void describesAFailureOnOneLine() {
        assertThat(ProbeLine.describe(new OutOfMemoryError("Java heap space")))
                .isEqualTo("java.lang.OutOfMemoryError: Java heap space");
        assertThat(ProbeLine.describe(new IllegalStateException("first\nsecond"))).endsWith(": first");
    }
}
