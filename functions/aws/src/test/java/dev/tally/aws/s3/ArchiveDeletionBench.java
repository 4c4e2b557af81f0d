package dev.tally.aws.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/**
 * A benchmark of one archive deletion pass (not a test): puts a gzip JSON-lines archive of synthetic events into
 * a local S3 (S3Mock), deletes some users in one pass, and prints the time, the bytes read from S3 (counted on
 * the wire, under the executor) against the archive's size, and the evidence. Run from the repository root after
 * {@code mvn -f functions/aws/pom.xml test-compile} (docs/privacy-archive.md has the classpath line):
 *
 * <pre>
 * java -cp "$CP" dev.tally.aws.s3.ArchiveDeletionBench --mb 100 --users 100000 --subjects 1000 --object-mb 8 --threads 2
 * </pre>
 */
public final class ArchiveDeletionBench {
    private static final String BUCKET = "bench-archive";

    private ArchiveDeletionBench() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        long archiveBytes = Long.parseLong(options.getOrDefault("mb", "100")) << 20;
        int users = Integer.parseInt(options.getOrDefault("users", "100000"));
        int subjects = Integer.parseInt(options.getOrDefault("subjects", "1000"));
        long objectBytes = Long.parseLong(options.getOrDefault("object-mb", "8")) << 20;
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        if (subjects > users) {
            throw new IllegalArgumentException("--subjects must not exceed --users");
        }
        try (LocalAws aws = LocalAws.start(LocalService.S3)) {
            AtomicLong bytesRead = new AtomicLong();
            AwsConfig config = AwsConfig.local(Map.of("s3", aws.endpoint(LocalService.S3)));
            S3Client s3 = AwsClients.configure(S3Client.builder(), config, "s3").httpClient(AwsClients.httpClient())
                    .forcePathStyle(true)
                    .overrideConfiguration(o -> o.addExecutionInterceptor(new CountingGets(bytesRead))).build();
            s3.createBucket(b -> b.bucket(BUCKET));

            long started = System.nanoTime();
            Archive archive = generate(s3, archiveBytes, objectBytes, users);
            System.out.printf("archive: %d objects, %,d bytes gzip (%,d bytes of JSON lines, %,d events, %d users), "
                            + "generated and put in %.1f s%n", archive.objects, archive.storedBytes, archive.plainBytes,
                    archive.events, users, seconds(started));

            List<String> ids = IntStream.range(0, subjects).mapToObj(i -> userId((int) ((long) i * users / subjects))).toList();
            TargetWork work = new TargetWork(target(), RequestType.DELETE, SubjectType.USER_ID,
                    Map.of("bench-a", ids.subList(0, subjects / 2), "bench-b", ids.subList(subjects / 2, subjects)), 1);
            S3ArchiveExecutor executor = new S3ArchiveExecutor(s3, S3ArchiveExecutor.Options.defaults().withParallelism(threads));

            pass("pass 1 (deletes)", executor, work, archive, bytesRead);
            pass("pass 2 (redelivered: finds nothing)", executor, work, archive, bytesRead);
            s3.close();
        }
    }

    private static void pass(String name, S3ArchiveExecutor executor, TargetWork work, Archive archive, AtomicLong bytesRead) {
        bytesRead.set(0);
        long started = System.nanoTime();
        TargetOutcome outcome = executor.execute(work);
        double seconds = seconds(started);
        if (!(outcome instanceof TargetOutcome.Done done)) {
            System.out.println(name + ": " + outcome);
            return;
        }
        Map<String, Object> a = done.evidenceByRequest().get("bench-a");
        Map<String, Object> b = done.evidenceByRequest().get("bench-b");
        System.out.printf("%s: %.1f s, %,d bytes read from S3 = %.3f x the archive (%,d bytes), %.1f MB/s gzip, "
                        + "%.1f MB/s JSON%n", name, seconds, bytesRead.get(), (double) bytesRead.get() / archive.storedBytes,
                archive.storedBytes, bytesRead.get() / seconds / 1e6, archive.plainBytes / seconds / 1e6);
        System.out.printf("  objects scanned %s, bytes scanned %s; request a: objects rewritten %s, records removed %s; "
                        + "request b: objects rewritten %s, records removed %s; expected records %,d%n",
                a.get("objects_scanned"), a.get("bytes_scanned"), a.get("objects_rewritten"), a.get("records_removed"),
                b.get("objects_rewritten"), b.get("records_removed"), archive.subjectEvents(work));
    }

    private record Archive(int objects, long storedBytes, long plainBytes, long events, Map<String, Long> eventsByUser) {
        long subjectEvents(TargetWork work) {
            return work.subjectIds().stream().mapToLong(id -> eventsByUser.getOrDefault(id, 0L)).sum();
        }
    }

    /** Objects of about {@code objectBytes} gzip each until the archive has {@code archiveBytes}. */
    private static Archive generate(S3Client s3, long archiveBytes, long objectBytes, int users) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Long> eventsByUser = new java.util.HashMap<>();
        long stored = 0;
        long plain = 0;
        long events = 0;
        int objects = 0;
        long clock = 1_700_000_000_000L;
        while (stored < archiveBytes) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(objectBytes + (1 << 20), Integer.MAX_VALUE));
            long target = Math.min(objectBytes, archiveBytes - stored);
            try (GZIPOutputStream zip = new GZIPOutputStream(bytes, 64 * 1024)) {
                StringBuilder line = new StringBuilder(700);
                while (bytes.size() < target) {
                    for (int i = 0; i < 256; i++) {
                        int user = random.nextInt(users);
                        clock += random.nextInt(50);
                        event(line, random, userId(user), clock);
                        byte[] utf8 = line.toString().getBytes(StandardCharsets.UTF_8);
                        zip.write(utf8);
                        plain += utf8.length;
                        events++;
                        eventsByUser.merge(userId(user), 1L, Long::sum);
                    }
                    zip.flush();
                }
            }
            String key = String.format("raw/2024/06/%02d/events-%05d.json.gz", objects % 30 + 1, objects);
            s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("application/x-ndjson"),
                    RequestBody.fromBytes(bytes.toByteArray()));
            stored += bytes.size();
            objects++;
        }
        return new Archive(objects, stored, plain, events, eventsByUser);
    }

    private static void event(StringBuilder line, SplittableRandom random, String userId, long clock) {
        line.setLength(0);
        String[] names = {"Page Viewed", "Product Clicked", "Order Completed", "Signed In", "Search Performed"};
        line.append("{\"type\":\"track\",\"event\":\"").append(names[random.nextInt(names.length)])
                .append("\",\"userId\":\"").append(userId)
                .append("\",\"anonymousId\":\"").append(Long.toHexString(random.nextLong()))
                .append(Long.toHexString(random.nextLong()))
                .append("\",\"messageId\":\"").append(Long.toHexString(random.nextLong()))
                .append("\",\"timestamp\":").append(clock)
                .append(",\"properties\":{\"path\":\"/products/").append(random.nextInt(5000))
                .append("\",\"price\":").append(random.nextInt(100_00) / 100.0)
                .append(",\"quantity\":").append(1 + random.nextInt(5))
                .append("},\"context\":{\"ip\":\"10.").append(random.nextInt(256)).append('.').append(random.nextInt(256))
                .append('.').append(random.nextInt(256))
                .append("\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\",\"traits\":{\"email\":\"")
                .append(userId).append("@example.com\"},\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.")
                .append(random.nextInt(20)).append("\"}}}\n");
    }

    private static String userId(int n) {
        return String.format("user-%07d", n);
    }

    private static Target target() throws IOException {
        return new Target("archive", TargetKind.S3_ARCHIVE, Set.of(RequestType.DELETE), new ObjectMapper().readTree(
                "{\"bucket\":\"" + BUCKET + "\",\"prefixes\":[\"raw/\"],\"match\":{\"USER_ID\":[\"userId\"],"
                        + "\"EMAIL\":[\"traits.email\",\"context.traits.email\"]}}"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Counts the bytes of every GetObject response body, as they come off the wire. */
    private record CountingGets(AtomicLong bytes) implements ExecutionInterceptor {
        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            Optional<InputStream> body = context.responseBody();
            if (!(context.request() instanceof GetObjectRequest) || body.isEmpty()) {
                return body;
            }
            return Optional.of(new FilterInputStream(body.get()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytes.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = super.read(buffer, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            });
        }
    }
}
