package dev.tally.functions.reconciler;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerConfigTest {

    @Test
    void readsTheTable_andDefaultsTheRetention() {
        assertThat(ReconcilerConfig.fromEnvironment(Map.of("HISTORY_TABLE", " tally-history ")))
                .isEqualTo(new ReconcilerConfig("tally-history", Duration.ofDays(400)));
        assertThat(ReconcilerConfig.fromEnvironment(Map.of("HISTORY_TABLE", "t", "HISTORY_RETENTION_DAYS", "30"))
                .retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void wrongValues_nameTheVariable() {
        assertThatThrownBy(() -> ReconcilerConfig.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessage("HISTORY_TABLE is not set");
        assertThatThrownBy(() -> ReconcilerConfig.fromEnvironment(Map.of("HISTORY_TABLE", "t",
                "HISTORY_RETENTION_DAYS", "0")))
                .hasMessage("HISTORY_RETENTION_DAYS must be a positive whole number, was '0'");
    }

    @Test
    void missingRegion_failsTheColdStart_namingIt() {
        assertThatThrownBy(() -> Dependencies.fromEnvironment(Map.of("HISTORY_TABLE", "t")))
                .isInstanceOf(IllegalStateException.class).hasMessage("AWS_REGION is not set");
    }
}
