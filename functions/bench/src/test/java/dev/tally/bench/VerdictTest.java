package dev.tally.bench;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {
    private static final BigDecimal TOTAL = new BigDecimal("1353212.0123456789");

    private static Verdict decide(List<BigDecimal> tally, List<BigDecimal> duck, List<String> tallyFailures,
                                  Double ratio, String skipped) {
        return Verdict.decide(new Verdict.Inputs(TOTAL, tally, duck, tallyFailures, List.of(), ratio, 1.5, skipped));
    }

    @Test
    void passesWhenFastEnoughAndEveryTotalAgrees() {
        Verdict v = decide(List.of(TOTAL, TOTAL), List.of(new BigDecimal("1353212.01234567890")), List.of(), 1.5,
                null);
        assertThat(v.pass()).isTrue();
        assertThat(v.line()).startsWith("PASS").contains("totals agree", "1.50 <= 1.50");
    }

    @Test
    void failsWhenTooSlow() {
        Verdict v = decide(List.of(TOTAL), List.of(TOTAL), List.of(), 1.51, null);
        assertThat(v.pass()).isFalse();
        assertThat(v.line()).startsWith("FAIL").contains("ratio 1.51 > 1.50");
    }

    @Test
    void failsWhenATotalDiffersByTheLastPlace() {
        BigDecimal off = TOTAL.add(new BigDecimal("0.0000000001"));
        assertThat(decide(List.of(TOTAL, off), List.of(TOTAL), List.of(), 1.0, null).line())
                .startsWith("FAIL").contains("Tally total 1353212.0123456790 differs");
        assertThat(decide(List.of(TOTAL), List.of(off), List.of(), 1.0, null).line())
                .startsWith("FAIL").contains("DuckDB total");
    }

    @Test
    void failsWhenARunRanOutOfMemory() {
        Verdict v = decide(List.of(TOTAL, TOTAL), List.of(TOTAL), List.of("java.lang.OutOfMemoryError: Java heap space"),
                1.2, null);
        assertThat(v.pass()).isFalse();
        assertThat(v.line()).contains("1 of 3 Tally runs failed: java.lang.OutOfMemoryError");
        assertThat(decide(List.of(), List.of(TOTAL), List.of("timed out"), null, null).line())
                .contains("no Tally run succeeded");
    }

    @Test
    void failsWhenDuckdbWasMeantToRunButCouldNotBeTimed() {
        Verdict v = Verdict.decide(new Verdict.Inputs(TOTAL, List.of(TOTAL), List.of(), List.of(),
                List.of("java.sql.SQLException: boom"), null, 1.5, null));
        assertThat(v.pass()).isFalse();
        assertThat(v.reasons()).anyMatch(r -> r.contains("DuckDB runs failed"))
                .anyMatch(r -> r.contains("ratio could not be measured"));
    }

    @Test
    void withoutDuckdbOnlyTheTotalsAreChecked() {
        Verdict v = decide(List.of(TOTAL), List.of(), List.of(), null, "--no-duckdb");
        assertThat(v.pass()).isTrue();
        assertThat(v.line()).contains("speed not checked", "--no-duckdb");
    }
}
