package dev.tally.allocation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A timeline's CPU-milliseconds per service in any window equal the sum over its task runs, computed directly. */
class CpuTimelineTest {
    private static long[] direct(List<CpuTimeline.Run> runs, int services, long from, long to) {
        long[] sums = new long[services];
        for (CpuTimeline.Run run : runs) {
            long overlap = Math.min(to, run.end()) - Math.max(from, run.start());
            if (overlap > 0) {
                sums[run.service()] += overlap * run.units();
            }
        }
        return sums;
    }

    private static long[] viaTimeline(CpuTimeline timeline, int services, long from, long to) {
        long[] sums = new long[services];
        int[] touched = new int[services];
        timeline.accumulate(from, to, timeline.segmentAt(from, -1), sums, touched, 0);
        long[] again = new long[services];
        timeline.accumulate(from, to, again);
        assertThat(again).isEqualTo(sums);
        return sums;
    }

    private static ServiceKey[] services(int n) {
        ServiceKey[] keys = new ServiceKey[n];
        for (int i = 0; i < n; i++) {
            keys[i] = new ServiceKey("c", "s" + i);
        }
        return keys;
    }

    @Test
    void shouldGiveEachServiceItsCpuMilliseconds_inAnyWindow() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            int services = 1 + random.nextInt(6);
            List<CpuTimeline.Run> runs = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                // coarse times so that starts and ends often coincide
                long start = 1_486_000_000_000L + 60_000L * random.nextInt(100);
                long end = start + 60_000L * (1 + random.nextInt(30));
                runs.add(new CpuTimeline.Run(start, end, random.nextInt(services), 1 + random.nextInt(2048)));
            }
            CpuTimeline timeline = new CpuTimeline(services(services), runs);
            for (int w = 0; w < 50; w++) {
                long from = 1_485_999_000_000L + 30_000L * random.nextInt(300);
                long to = from + 30_000L * random.nextInt(80);
                assertThat(viaTimeline(timeline, services, from, to)).as("round %d window %d", round, w)
                        .isEqualTo(direct(runs, services, from, to));
            }
        }
    }

    @Test
    void shouldHandleTimesFarApart() {
        List<CpuTimeline.Run> runs = List.of(new CpuTimeline.Run(-(1L << 60), 1L << 60, 0, 2),
                new CpuTimeline.Run(0, 1000, 1, 3), new CpuTimeline.Run(500, 1500, 0, 5));
        CpuTimeline timeline = new CpuTimeline(services(2), runs);

        assertThat(viaTimeline(timeline, 2, 0, 2000)).isEqualTo(direct(runs, 2, 0, 2000));
        assertThat(viaTimeline(timeline, 2, 0, 2000)).containsExactly(2000 * 2 + 1000 * 5, 1000 * 3);
    }
}
