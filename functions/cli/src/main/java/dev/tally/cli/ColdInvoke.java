package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tally.functions.history.FileDeadLetters;
import dev.tally.functions.history.LocalRuntime;
import dev.tally.runtime.SummingCountMetrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one handler in a fresh JVM whose class path is the function's own Lambda jar (plus this
 * class), as Lambda would: {@code tally invoke} starts it so that what is measured is a real cold
 * start — class loading, client construction and the first request — not a JVM warmed by the CLI.
 *
 * <p>Arguments: handler class, event file, dead-letter file, response file. The environment carries the
 * function's configuration. The function's logs go to stdout as in Lambda; the response is written to
 * the response file, and one timing line to stderr.
 */
public final class ColdInvoke {
    private static final String HISTORY_FUNCTIONS = "dev.tally.functions.history.";
    private static final String BILLING_FUNCTION = "dev.tally.functions.billing.";
    private static final String PRIVACY_FUNCTIONS = "dev.tally.functions.privacy.";
    /** Within {@link #PRIVACY_FUNCTIONS}' package, but in a jar of their own. */
    private static final String PRIVACY_WORKERS = "dev.tally.functions.privacy.worker.";

    private ColdInvoke() {
    }

    /** Only loaded for the history functions, whose jar has these classes. */
    static final class HistoryFunctionsLocally {
        static void install(Path deadLetters) {
            LocalRuntime.install(System.getenv(), new FileDeadLetters(deadLetters), new SummingCountMetrics());
        }
    }

    /** Only loaded for the billing function, whose jar has these classes. */
    static final class BillingFunctionLocally {
        static void install() {
            dev.tally.functions.billing.LocalRuntime.install(System.getenv(), new SummingCountMetrics());
        }
    }

    /** Only loaded for the privacy functions, whose jar has these classes. */
    static final class PrivacyFunctionsLocally {
        static void install() {
            dev.tally.functions.privacy.LocalPrivacyRuntime.install(System.getenv(), new SummingCountMetrics());
        }
    }

    /** Only loaded for the privacy workers, whose jar has these classes. */
    static final class PrivacyWorkersLocally {
        static void install() {
            dev.tally.functions.privacy.worker.LocalWorkerRuntime.install(System.getenv(), new SummingCountMetrics());
        }
    }

    public static void main(String[] args) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        if (args[0].startsWith(HISTORY_FUNCTIONS)) {
            HistoryFunctionsLocally.install(Path.of(args[2]));
        } else if (args[0].startsWith(BILLING_FUNCTION)) {
            BillingFunctionLocally.install();
        } else if (args[0].startsWith(PRIVACY_WORKERS)) {
            PrivacyWorkersLocally.install();
        } else if (args[0].startsWith(PRIVACY_FUNCTIONS)) {
            PrivacyFunctionsLocally.install();
        }
        long load = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long initialised = System.nanoTime();
        byte[] response = handler instanceof RequestStreamHandler stream ? invoke(stream, event)
                : TypedInvoke.invoke((RequestHandler<?, ?>) handler, event);
        long responded = System.nanoTime();
        Files.write(Path.of(args[3]), response);
        System.err.printf("cold start: handler class loaded and initialised in %d ms, first response after %d ms "
                        + "(JVM start to response %d ms)%n", (initialised - load) / 1_000_000,
                (responded - load) / 1_000_000, ManagementFactory.getRuntimeMXBean().getUptime());
        System.err.printf("memory: heap pools' peaks summed %d MiB (max heap %d MiB), process peak RSS %s%n", heapPeak() >> 20,
                Runtime.getRuntime().maxMemory() >> 20, peakRss());
    }

    private static byte[] invoke(RequestStreamHandler handler, byte[] event) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }

    /** The sum of the heap pools' peak usage: what the heap had to hold at most. */
    private static long heapPeak() {
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** The process's peak resident set (Linux {@code VmHWM}), or "unknown". */
    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return (kib >> 10) + " MiB";
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
