package dev.tally.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootstrapTest {
    @Test
    void shouldBuildOnce_fromTheEnvironmentGiven() {
        AtomicInteger built = new AtomicInteger();
        Bootstrap<String> bootstrap = new Bootstrap<>(env -> {
            built.incrementAndGet();
            return env.get("TABLE");
        });
        bootstrap.useEnvironment(Map.of("TABLE", "history-local"));

        assertThat(bootstrap.get()).isEqualTo("history-local");
        assertThat(bootstrap.get()).isEqualTo("history-local");
        assertThat(built).hasValue(1);
    }

    @Test
    void shouldBuildAgainFromANewLocalEnvironment() {
        Bootstrap<String> bootstrap = new Bootstrap<>(env -> env.get("TABLE"));
        bootstrap.useEnvironment(Map.of("TABLE", "first"));
        assertThat(bootstrap.get()).isEqualTo("first");

        bootstrap.useEnvironment(Map.of("TABLE", "second"));

        assertThat(bootstrap.get()).isEqualTo("second");
    }

    @Test
    void shouldFailTheColdStartWithTheFactorysMessage_andTryAgainNextTime() {
        AtomicInteger attempts = new AtomicInteger();
        Bootstrap<String> bootstrap = new Bootstrap<>(env -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("HISTORY_TABLE is not set");
        });

        assertThatThrownBy(bootstrap::get).hasMessage("HISTORY_TABLE is not set");
        assertThatThrownBy(bootstrap::get).hasMessage("HISTORY_TABLE is not set");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void shouldSumCountsOfEveryInvocation() {
        SummingCountMetrics metrics = new SummingCountMetrics();
        metrics.publish(Map.of("EventsRecorded", 2L, "EventsFailed", 0L));
        metrics.publish(Map.of("EventsRecorded", 3L));

        assertThat(metrics.totals()).containsEntry("EventsRecorded", 5L).containsEntry("EventsFailed", 0L);
    }
}
