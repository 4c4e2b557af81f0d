package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.history.EventFiles;
import dev.tally.history.HistoryEvent;
import dev.tally.local.LocalService;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tally measure-billing}: sizes the billing function from a measurement. A generated month (a CUR,
 * gzip, any size) is put into the local S3 with its manifest, its history recorded into the local
 * DynamoDB through the history store, and the function run from its own jar in a fresh JVM under the
 * memory given, as Lambda would run it; its wall time, heap peak and resident peak are printed. Slow on
 * dynalite (hundreds of history writes a second): the figures of interest are the function's, not the
 * loading's.
 */
@Command(name = "measure-billing", mixinStandardHelpOptions = true,
        description = "Measures the billing function's time and memory on a generated month in the local stack.")
final class MeasureBillingCommand implements java.util.concurrent.Callable<Integer> {
    private static final String BUCKET = "tally-sizing-bills";

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "6000000", description = "Approximate cost line items (${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--services", defaultValue = "0", description = "ECS services (0: from --rows).")
    int services;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed (${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--xmx", defaultValue = "1536m", split = ",",
            description = "The function's heap (-Xmx, ${DEFAULT-VALUE}); several, comma-separated, run one after another "
                    + "(each a delivery of its own).")
    List<String> xmx;

    @Option(names = "--dir", defaultValue = "${java.io.tmpdir}/tally-billing-sizing",
            description = "Where the month is generated (kept, and reused when its spec matches).")
    Path dir;

    @Option(names = "--writers", defaultValue = "16", description = "Concurrent history writers (${DEFAULT-VALUE}).")
    int writers;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        MonthSpec monthSpec = MonthSpec.builder().format(dev.tally.testkit.BillFormat.CUR)
                .compression(dev.tally.testkit.Compression.GZIP).seed(seed).targetRows(rows).services(services).build();
        Path month = dir.resolve("cur-r" + rows + "-s" + services + "-seed" + seed);
        Manifest manifest = Files.exists(month.resolve(Manifest.FILE_NAME)) ? Manifest.read(month)
                : MonthGenerator.generate(monthSpec, month);
        err.printf("month %s: %,d line items, %,d tasks, %,d events, bill %,d bytes%n", month,
                manifest.lineItems(), manifest.entities().tasks(), manifest.events().written(),
                Files.size(month.resolve(manifest.billFile())));
        try (LocalHistoryStack stack = LocalHistoryStack.start(Files.createTempFile("tally-sizing-", ".jsonl"),
                LocalService.S3)) {
            long start = System.nanoTime();
            List<HistoryEvent> batch = new ArrayList<>(100_000);
            AtomicLong written = new AtomicLong();
            ForkJoinPool pool = new ForkJoinPool(writers);
            try {
                EventFiles.read(month.resolve(manifest.eventsFile()), event -> {
                    batch.add(event);
                    if (batch.size() == 100_000) {
                        record(pool, stack, batch, written, start, err);
                    }
                });
                record(pool, stack, batch, written, start, err);
            } finally {
                pool.shutdown();
            }
            stack.publish(month.resolve(manifest.areasFile()));
            Map<String, String> env = new java.util.TreeMap<>(LocalBilling.prepare(stack, List.of(BUCKET)));
            env.put(dev.tally.functions.billing.BillingConfig.WAREHOUSE, "none");
            String prefix = "cur/sizing/" + monthSpec.period().atDay(1).toString().replace("-", "") + "-"
                    + monthSpec.period().plusMonths(1).atDay(1).toString().replace("-", "") + "/";
            String part = prefix + "sizing-assembly/sizing-1.csv.gz";
            try (S3Client s3 = LocalBilling.s3(stack.aws)) {
                s3.putObject(b -> b.bucket(BUCKET).key(part), RequestBody.fromFile(month.resolve(manifest.billFile())));
            }
            err.printf("history recorded in %.0f s%n", (System.nanoTime() - start) / 1e9);
            for (int i = 0; i < xmx.size(); i++) {
                String key = prefix + "run-" + i + "/sizing-Manifest.json";
                String assembly = "sizing-" + i;
                try (S3Client s3 = LocalBilling.s3(stack.aws)) {
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("{\"assemblyId\":\"" + assembly
                            + "\",\"bucket\":\"" + BUCKET + "\",\"reportKeys\":[\"" + part + "\"]}"));
                }
                Path event = Files.writeString(Files.createTempFile("tally-sizing-", ".json"),
                        "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{"
                                + "\"bucket\":{\"name\":\"" + BUCKET + "\"},\"object\":{\"key\":\"" + key + "\"}}}]}");
                err.printf("running billing-rollup with -Xmx%s ...%n", xmx.get(i));
                err.flush();
                long run = System.nanoTime();
                JsonNode response;
                try {
                    response = InvokeCommand.coldInvoke(InvokeCommand.Function.BILLING_ROLLUP, event, env,
                            List.of("-Xmx" + xmx.get(i)), Files.createTempFile("tally-sizing-", ".jsonl"), err);
                } catch (dev.tally.InputException e) {
                    err.printf("billing-rollup -Xmx%s: failed after %.1f s: %s%n", xmx.get(i),
                            (System.nanoTime() - run) / 1e9, e.getMessage());
                    continue;
                }
                JsonNode record = response.path("records").path(0);
                err.printf("billing-rollup -Xmx%s: %s in %.1f s (wall, child JVM start to exit), %s line items, total %s%n",
                        xmx.get(i), record.path("status").asText(), (System.nanoTime() - run) / 1e9,
                        record.path("summary").path("line_items").asText(),
                        record.path("summary").path("total_cost").asText());
                spec.commandLine().getOut().println(response.toPrettyString());
            }
        }
        return 0;
    }

    private static void record(ForkJoinPool pool, LocalHistoryStack stack, List<HistoryEvent> batch, AtomicLong written,
                               long start, PrintWriter err) {
        try {
            pool.submit(() -> batch.parallelStream().forEach(stack.history::record)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        long total = written.addAndGet(batch.size());
        batch.clear();
        err.printf("  %,d history events recorded (%.0f/s)%n", total, total / ((System.nanoTime() - start) / 1e9));
        err.flush();
    }
}
