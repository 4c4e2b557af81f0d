package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;

/**
 * What the DuckDB probe measured in its JVM (see {@link DuckDbProbe}); -1 where not measured.
 *
 * @param error       null on success, else the failure
 * @param setupMillis loading the driver and its native library, opening an in-memory database (not timed as
 *                    the query)
 * @param queryMillis the group-by, from the statement to the last group read
 * @param jvmMillis   from JVM start to the last group read
 * @param groups      number of tag groups
 * @param threads     DuckDB worker threads
 * @param peakRssBytes peak resident set size of the child process (Linux VmHWM), DuckDB's memory included
 * @param cpuMillis   CPU time of the whole child process (JVM and DuckDB's threads), setup included
 * @param totalCost   the exact sum over the groups
 */
public record DuckDbMetrics(String error, long setupMillis, long queryMillis, long jvmMillis, long groups,
                            long threads, long peakRssBytes, long cpuMillis, BigDecimal totalCost) {

    public boolean ok() {
        return error == null;
    }

    public static DuckDbMetrics failed(String error) {
        return new DuckDbMetrics(error, -1, -1, -1, -1, -1, -1, -1, null);
    }

    public ObjectNode toJson() {
        ObjectNode n = ProbeLine.object();
        n.put("probe", "duckdb");
        if (error != null) {
            n.put("error", error);
        }
        n.put("setup_ms", setupMillis);
        n.put("query_ms", queryMillis);
        n.put("jvm_ms", jvmMillis);
        n.put("groups", groups);
        n.put("threads", threads);
        n.put("peak_rss_bytes", peakRssBytes);
        n.put("cpu_ms", cpuMillis);
        if (totalCost != null) {
            n.put("total_cost", totalCost.toPlainString());
        }
        return n;
    }

    public static DuckDbMetrics fromJson(JsonNode n) {
        if (!"duckdb".equals(ProbeLine.textOr(n, "probe", null))) {
            throw new IllegalArgumentException("not a DuckDB probe result: " + n);
        }
        String error = ProbeLine.textOr(n, "error", null);
        BigDecimal total = ProbeLine.decimalOr(n, "total_cost");
        if (error == null && total == null) {
            throw new IllegalArgumentException("the DuckDB probe reported neither a total_cost nor an error");
        }
        return new DuckDbMetrics(error, ProbeLine.longOr(n, "setup_ms", -1), ProbeLine.longOr(n, "query_ms", -1),
                ProbeLine.longOr(n, "jvm_ms", -1), ProbeLine.longOr(n, "groups", -1),
                ProbeLine.longOr(n, "threads", -1), ProbeLine.longOr(n, "peak_rss_bytes", -1),
                ProbeLine.longOr(n, "cpu_ms", -1), total);
    }
}
