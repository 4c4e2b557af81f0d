package dev.tally.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one line a probe (a child JVM) prints on stdout for the benchmark to read: a marker and a JSON object on
 * one line. Everything else the child prints (logs, warnings) is ignored; if several marked lines appear the
 * last one counts.
 */
final class ProbeLine {
    static final String MARKER = "@@tally-bench-probe ";
    static final ObjectMapper JSON = new ObjectMapper();

    private ProbeLine() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** @return the marked line for this object */
    static String format(ObjectNode node) {
        try {
            return MARKER + JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param stdout everything a probe printed on stdout
     * @return the JSON object of its last marked line
     * @throws IllegalArgumentException if there is no marked line, or it is not a JSON object
     */
    static JsonNode parse(String stdout) {
        List<String> lines = stdout.lines().filter(l -> l.startsWith(MARKER)).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the probe printed no result line");
        }
        String json = lines.get(lines.size() - 1).substring(MARKER.length()).trim();
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the probe's result line is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the probe's result line is not a JSON object");
        }
        return node;
    }

    static long longOr(JsonNode node, String field, long absent) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? absent : v.asLong();
    }

    static double doubleOr(JsonNode node, String field, double absent) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? absent : v.asDouble();
    }

    static String textOr(JsonNode node, String field, String absent) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? absent : v.asText();
    }

    /** Money travels as a string so no JSON reader turns it into floating point. */
    static BigDecimal decimalOr(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a decimal string, got " + v);
        }
        return new BigDecimal(v.asText());
    }

    /** Peak resident set size of this process (Linux {@code VmHWM}), or -1 where it cannot be read. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time of this process so far, all threads, in milliseconds; -1 where the JVM cannot tell. */
    static long processCpuMillis() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }
        return -1;
    }

    /**
     * CPU time of this JVM's own threads by kind, from Linux's per-thread accounting ({@code /proc/self/task}):
     * {@code [gc, jit]} in milliseconds, where gc is every collector thread (G1's pause workers, concurrent
     * markers and refinement threads: work the collectors' MXBeans do not count as collection time) and jit the
     * compiler threads. Threads that have already ended are not counted. {@code [-1, -1]} where unavailable.
     */
    static long[] gcAndJitCpuMillis() {
        long gc = 0;
        long jit = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name;
                String stat;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                long millis = ticks * 10; // USER_HZ is 100 on Linux
                if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gc += millis;
                } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jit += millis;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return new long[] {gc, jit};
    }

    /** A throwable as one line: its class and message (never a stack trace). */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
