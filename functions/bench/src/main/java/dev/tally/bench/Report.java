package dev.tally.bench;

import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Everything measured in one bench: the month, the options of the runs, each run's metrics, and what follows from
 * them (the statistics, the ratio, the verdict). {@link ReportTable} prints it, {@link ReportJson} writes it.
 */
record Report(Instant started, MonthCache.Month month, String key, long[] warm, String xmx, List<String> jvmArgs,
              int runs, double maxRatio, int duckdbThreads, String duckdbSkipped,
              List<Run<TallyMetrics>> tally, List<Run<DuckDbMetrics>> duck, double[] loadBefore,
              double[] loadAfter) {

    List<TallyMetrics> tallyOk() {
        return tally.stream().filter(Run::ok).map(Run::metrics).toList();
    }

    List<DuckDbMetrics> duckOk() {
        return duck.stream().filter(Run::ok).map(Run::metrics).toList();
    }

    Stats tallyProbe() {
        return stat(tallyOk(), TallyMetrics::probeMillis);
    }

    Stats tallyProcess() {
        return Stats.of(tally.stream().filter(Run::ok).map(r -> r.processMillis()).toList());
    }

    Stats duckQuery() {
        return stat(duckOk(), DuckDbMetrics::queryMillis);
    }

    Stats duckProcess() {
        return Stats.of(duck.stream().filter(Run::ok).map(r -> r.processMillis()).toList());
    }

    /** The verdict's ratio: Tally's median full-rollup wall time over DuckDB's median query wall time. */
    Double ratio() {
        return ratio(tallyProbe(), duckQuery(), false);
    }

    static Double ratio(Stats a, Stats b, boolean best) {
        if (!a.measured() || !b.measured()) {
            return null;
        }
        double den = best ? b.best() : b.median();
        return den <= 0 ? null : (best ? a.best() : a.median()) / den;
    }

    Verdict verdict() {
        List<String> tallyFailures = tally.stream().filter(r -> !r.ok()).map(r -> r.metrics().error()).toList();
        List<String> duckFailures = duck.stream().filter(r -> !r.ok()).map(r -> r.metrics().error()).toList();
        return Verdict.decide(new Verdict.Inputs(month.manifest().totalCost(),
                tallyOk().stream().map(TallyMetrics::totalCost).toList(),
                duckOk().stream().map(DuckDbMetrics::totalCost).toList(), tallyFailures, duckFailures, ratio(),
                maxRatio, duckdbSkipped));
    }

    static <M> Stats stat(List<M> ms, ToLongFunction<M> f) {
        return Stats.of(ms.stream().map(m -> f.applyAsLong(m)).toList());
    }

    static <M> long max(List<M> ms, ToLongFunction<M> f) {
        return ms.stream().mapToLong(f).max().orElse(-1);
    }
}
