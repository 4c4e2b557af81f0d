package dev.tally.bench;

import dev.tally.testkit.BillFormat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * The child JVM's main for one timed DuckDB run: loads the driver and opens an in-memory database (untimed
 * setup), runs {@link DuckDbQuery}'s group-by once, and prints one {@link ProbeLine} with {@link DuckDbMetrics}.
 *
 * <pre>
 * java -cp tally-bench.jar dev.tally.bench.DuckDbProbe --billing F --format dbr [--tag-key K] [--threads N]
 * </pre>
 */
public final class DuckDbProbe {
    private DuckDbProbe() {
    }

    public static void main(String[] args) {
        String billing = null;
        String format = null;
        String tagKey = "product_area";
        int threads = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--billing" -> billing = args[i + 1];
                case "--format" -> format = args[i + 1];
                case "--tag-key" -> tagKey = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("DuckDbProbe: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (billing == null || format == null || args.length % 2 != 0) {
            System.err.println("usage: DuckDbProbe --billing F --format dbr|cur|cur2|focus [--tag-key K] [--threads N]");
            System.exit(2);
        }
        DuckDbMetrics metrics;
        int code;
        try {
            String sql = DuckDbQuery.sql(BillFormat.parse(format), tagKey, Path.of(billing));
            long s0 = System.nanoTime();
            try (Connection c = DuckDbQuery.connect(threads)) {
                long used = DuckDbQuery.threads(c);
                long setupMillis = (System.nanoTime() - s0) / 1_000_000;
                DuckDbQuery.Result r = DuckDbQuery.run(c, sql);
                long jvmMillis = ManagementFactory.getRuntimeMXBean().getUptime();
                metrics = new DuckDbMetrics(null, setupMillis, r.queryMillis(), jvmMillis, r.byTag().size(), used,
                        ProbeLine.peakRssBytes(), ProbeLine.processCpuMillis(), r.total());
            }
            code = 0;
        } catch (Throwable t) {
            metrics = DuckDbMetrics.failed(ProbeLine.describe(t));
            code = 1;
        }
        System.out.println(ProbeLine.format(metrics.toJson()));
        System.out.flush();
        System.exit(code);
    }
}
