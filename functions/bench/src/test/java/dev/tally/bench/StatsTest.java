package dev.tally.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {
    @Test
    void bestAndMedian() {
        assertThat(Stats.of(List.of(30L, 10L, 20L))).isEqualTo(new Stats(10, 20, 3));
        assertThat(Stats.of(List.of(40L, 10L, 20L, 30L))).isEqualTo(new Stats(10, 25, 4));
        assertThat(Stats.of(List.of(7L))).isEqualTo(new Stats(7, 7, 1));
    }

    @Test
    void unmeasuredValuesAreLeftOut() {
        assertThat(Stats.of(List.of(-1L, 5L))).isEqualTo(new Stats(5, 5, 1));
        assertThat(Stats.of(List.of(-1L)).measured()).isFalse();
        assertThat(Stats.of(List.of()).measured()).isFalse();
    }

    @Test
    void ratioOfMediansAndOfBests() {
        Stats tally = Stats.of(List.of(30L, 20L, 40L));
        Stats duck = Stats.of(List.of(10L, 20L, 10L));
        assertThat(Report.ratio(tally, duck, false)).isEqualTo(3.0);
        assertThat(Report.ratio(tally, duck, true)).isEqualTo(2.0);
        assertThat(Report.ratio(tally, Stats.NONE, false)).isNull();
    }
}
