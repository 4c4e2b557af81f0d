package dev.tally.aws.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.archive.ArchiveSlice;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The archive target against S3 (S3Mock here): what is removed, what stays byte for byte, versions, conflicts. */
@LocalAwsTest(services = LocalService.S3)
class S3ArchiveExecutorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3Client s3;
    private static S3Client intercepted;
    /** Runs once before the next conditional put of {@link #intercepted}: "another writer". */
    private static final AtomicReference<Runnable> BEFORE_CONDITIONAL_PUT = new AtomicReference<>();
    private String bucket;

    @BeforeAll
    static void connect(AwsEndpoints aws) {
        AwsConfig config = AwsConfig.local(Map.of("s3", aws.endpoint(LocalService.S3)));
        s3 = AwsClients.s3(config, AwsClients.httpClient());
        intercepted = AwsClients.configure(S3Client.builder(), config, "s3").httpClient(AwsClients.httpClient())
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof PutObjectRequest put && put.ifMatch() != null) {
                            Runnable writer = BEFORE_CONDITIONAL_PUT.getAndSet(null);
                            if (writer != null) {
                                writer.run();
                            }
                        }
                    }
                })).build();
    }

    @AfterAll
    static void disconnect() {
        s3.close();
        intercepted.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = "archive-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    private Target target() {
        try {
            return new Target("archive", TargetKind.S3_ARCHIVE, Set.of(RequestType.DELETE), JSON.readTree(
                    "{\"bucket\":\"" + bucket + "\",\"prefixes\":[\"raw/\"],"
                            + "\"match\":{\"USER_ID\":[\"userId\"],\"EMAIL\":[\"traits.email\",\"context.traits.email\"]}}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TargetWork work(SubjectType type, Map<String, List<String>> subjects) {
        return new TargetWork(target(), RequestType.DELETE, type, subjects, 1);
    }

    private TargetWork deleteU1() {
        return work(SubjectType.USER_ID, Map.of("req-1", List.of("u-1")));
    }

    private static S3ArchiveExecutor executor() {
        return new S3ArchiveExecutor(s3, S3ArchiveExecutor.Options.defaults().withParallelism(2));
    }

    private static Map<String, Object> evidence(TargetOutcome outcome, String request) {
        assertThat(outcome).isInstanceOf(TargetOutcome.Done.class);
        return ((TargetOutcome.Done) outcome).evidenceByRequest().get(request);
    }

    private void put(String key, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    private void put(String key, String content) {
        put(key, content.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private String text(String key) {
        return new String(bytes(key), StandardCharsets.UTF_8);
    }

    private HeadObjectResponse head(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key));
    }

    private static byte[] gzip(String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldRemoveTheSubjectsRecords_andKeepOtherUsersBytesExactly() {
        put("raw/2024/01/a.json", "{\"userId\":\"u-2\",\"n\":\"Zoë 🎉\"}\r\n{\"userId\":\"u-1\",\"e\":1}\r\n\n"
                + "not json\n{\"userId\":\"u-3\"}\n{\"userId\":\"u-1\",\"e\":2}\n{\"userId\":\"u-4\"}");

        TargetOutcome outcome = executor().execute(deleteU1());

        assertThat(text("raw/2024/01/a.json")).isEqualTo("{\"userId\":\"u-2\",\"n\":\"Zoë 🎉\"}\r\n\nnot json\n"
                + "{\"userId\":\"u-3\"}\n{\"userId\":\"u-4\"}");
        assertThat(evidence(outcome, "req-1")).containsEntry("objects_scanned", 1L).containsEntry("objects_rewritten", 1L)
                .containsEntry("records_removed", 2L).containsEntry("versions_deleted", 0L)
                .containsEntry("unparseable_lines", 1L);
    }

    @Test
    void shouldNotRewriteObjectsWithoutTheSubject_norObjectsOutsideThePrefixes() throws InterruptedException {
        put("raw/clean.json", "{\"userId\":\"u-2\"}\n");
        put("other/a.json", "{\"userId\":\"u-1\"}\n");
        put("raw/dirty.json", "{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n");
        HeadObjectResponse before = head("raw/clean.json");
        Thread.sleep(1100); // LastModified has one-second resolution

        TargetOutcome outcome = executor().execute(deleteU1());

        assertThat(head("raw/clean.json").eTag()).isEqualTo(before.eTag());
        assertThat(head("raw/clean.json").lastModified()).isEqualTo(before.lastModified());
        assertThat(text("other/a.json")).isEqualTo("{\"userId\":\"u-1\"}\n");
        assertThat(evidence(outcome, "req-1")).containsEntry("objects_scanned", 2L).containsEntry("objects_rewritten", 1L)
                .containsEntry("bytes_scanned", (long) "{\"userId\":\"u-2\"}\n".length() * 3);
    }

    @Test
    void shouldKeepAGzipObjectGzip_withItsContentTypeEncodingMetadataTagsAndStorageClass() throws IOException {
        s3.putObject(b -> b.bucket(bucket).key("raw/events.json.gz").contentType("application/x-ndjson")
                        .contentEncoding("gzip").metadata(Map.of("source", "firehose")).tagging("team=data&kind=raw")
                        .storageClass(StorageClass.STANDARD_IA),
                RequestBody.fromBytes(gzip("{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n")));
        String encodingBefore = head("raw/events.json.gz").contentEncoding(); // "gzip" in AWS; see below for S3Mock

        executor().execute(deleteU1());

        byte[] stored = bytes("raw/events.json.gz");
        assertThat(stored[0] & 0xff).isEqualTo(0x1f);
        assertThat(stored[1] & 0xff).isEqualTo(0x8b);
        assertThat(gunzip(stored)).isEqualTo("{\"userId\":\"u-2\"}\n");
        HeadObjectResponse head = head("raw/events.json.gz");
        assertThat(head.contentType()).isEqualTo("application/x-ndjson");
        assertThat(head.contentEncoding()).isEqualTo(encodingBefore).startsWith("gzip");
        assertThat(head.metadata()).containsEntry("source", "firehose");
        assertThat(head.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("raw/events.json.gz")).tagSet())
                .extracting(t -> t.key() + "=" + t.value()).containsExactlyInAnyOrder("team=data", "kind=raw");
    }

    @Test
    void shouldReadALargeObjectAgain_whenItsFirstRemovalComesAfterTheHeldPrefix() {
        String others = "{\"userId\":\"u-2\",\"pad\":\"" + "x".repeat(100) + "\"}\n";
        put("raw/late.json", others.repeat(50) + "{\"userId\":\"u-1\"}\n" + others);
        S3ArchiveExecutor.Options small = new S3ArchiveExecutor.Options(1, 3, 512, 1 << 20,
                S3ArchiveExecutor.Options.defaults().spoolDirectory());

        TargetOutcome outcome = new S3ArchiveExecutor(s3, small).execute(deleteU1());

        assertThat(text("raw/late.json")).isEqualTo(others.repeat(51));
        assertThat(evidence(outcome, "req-1")).containsEntry("records_removed", 1L);
    }

    @Test
    void shouldDeleteOlderVersionsThatHeldTheSubject_andTheVersionEachRewriteReplaced() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        put("raw/a.json", "{\"userId\":\"u-1\",\"v\":1}\n{\"userId\":\"u-2\"}\n");
        put("raw/a.json", "{\"userId\":\"u-1\",\"v\":2}\n{\"userId\":\"u-2\"}\n");
        put("raw/b.json", "{\"userId\":\"u-1\"}\n");
        put("raw/b.json", "{\"userId\":\"u-3\"}\n");
        put("raw/c.json", "{\"userId\":\"u-4\",\"v\":1}\n");
        put("raw/c.json", "{\"userId\":\"u-4\",\"v\":2}\n");

        TargetOutcome outcome = executor().execute(deleteU1());

        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket(bucket)).versions();
        assertThat(versions).filteredOn(v -> v.key().equals("raw/a.json")).hasSize(1);
        assertThat(versions).filteredOn(v -> v.key().equals("raw/b.json")).hasSize(1);
        assertThat(versions).filteredOn(v -> v.key().equals("raw/c.json")).hasSize(2);
        for (ObjectVersion v : versions) {
            String content = new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()))
                    .asByteArray(), StandardCharsets.UTF_8);
            assertThat(content).doesNotContain("u-1");
        }
        assertThat(text("raw/a.json")).isEqualTo("{\"userId\":\"u-2\"}\n");
        // a's replaced version, a's first version, b's first version
        assertThat(evidence(outcome, "req-1")).containsEntry("versions_deleted", 3L).containsEntry("objects_rewritten", 1L)
                .containsEntry("versions_scanned", 3L);
        assertThat(evidence(executor().execute(deleteU1()), "req-1")).containsEntry("versions_deleted", 0L)
                .containsEntry("records_removed", 0L);
    }

    @Test
    void shouldRedoFromTheNewContent_whenAnotherWriterReplacesTheObjectDuringTheRewrite() {
        put("raw/live.json", "{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n");
        BEFORE_CONDITIONAL_PUT.set(() -> put("raw/live.json",
                "{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n{\"userId\":\"u-5\",\"late\":true}\n{\"userId\":\"u-1\",\"late\":true}\n"));

        TargetOutcome outcome = new S3ArchiveExecutor(intercepted, S3ArchiveExecutor.Options.defaults()).execute(deleteU1());

        assertThat(BEFORE_CONDITIONAL_PUT.get()).as("the other writer ran").isNull();
        assertThat(text("raw/live.json")).isEqualTo("{\"userId\":\"u-2\"}\n{\"userId\":\"u-5\",\"late\":true}\n");
        assertThat(evidence(outcome, "req-1")).containsEntry("records_removed", 2L).containsEntry("objects_rewritten", 1L);
    }

    @Test
    void shouldChangeNothingAndReportNoRemovals_whenTheWorkIsDeliveredAgain() {
        put("raw/a.json", "{\"userId\":\"u-1\"}\n{\"userId\":\"u-2\"}\n");
        executor().execute(deleteU1());
        HeadObjectResponse after = head("raw/a.json");

        TargetOutcome again = executor().execute(deleteU1());

        assertThat(head("raw/a.json").eTag()).isEqualTo(after.eTag());
        assertThat(evidence(again, "req-1")).containsEntry("objects_scanned", 1L).containsEntry("objects_rewritten", 0L)
                .containsEntry("records_removed", 0L).containsEntry("versions_deleted", 0L);
    }

    @Test
    void shouldGiveEachRequestOfABatchItsOwnEvidence_comparingEmailsWithoutCase() {
        put("raw/a.json", "{\"traits\":{\"email\":\"Ann@Example.com\"}}\n{\"context\":{\"traits\":{\"email\":\"bob@example.com\"}}}\n"
                + "{\"traits\":{\"email\":\"carl@example.com\"}}\n");
        put("raw/b.json", "{\"traits\":{\"email\":\"ann@example.com\"}}\n");
        put("raw/c.json", "{\"traits\":{\"email\":\"dora@example.com\"}}\n");

        TargetOutcome outcome = executor().execute(work(SubjectType.EMAIL, Map.of(
                "req-ann", List.of("ANN@example.com"), "req-bob", List.of("bob@example.com", "nobody@example.com"))));

        assertThat(evidence(outcome, "req-ann")).containsEntry("objects_scanned", 3L).containsEntry("objects_rewritten", 2L)
                .containsEntry("records_removed", 2L);
        assertThat(evidence(outcome, "req-bob")).containsEntry("objects_scanned", 3L).containsEntry("objects_rewritten", 1L)
                .containsEntry("records_removed", 1L);
        assertThat(evidence(outcome, "req-ann").get("bytes_scanned")).isEqualTo(209L) // docs/privacy-archive.md
                .isEqualTo(evidence(outcome, "req-bob").get("bytes_scanned"));
        assertThat(text("raw/a.json")).isEqualTo("{\"traits\":{\"email\":\"carl@example.com\"}}\n");
        assertThat(text("raw/b.json")).isEmpty();
    }

    @Test
    void shouldProcessOnlyTheObjectsOfASlice() {
        for (String key : List.of("raw/1.json", "raw/2.json", "raw/3.json", "raw/4.json")) {
            put(key, "{\"userId\":\"u-1\"}\n");
        }

        TargetOutcome keys = executor().execute(deleteU1(), ArchiveSlice.keys(List.of("raw/2.json", "raw/gone.json")));
        TargetOutcome range = executor().execute(deleteU1(), ArchiveSlice.range("raw/", "raw/2.json", "raw/4.json"));

        assertThat(evidence(keys, "req-1")).containsEntry("objects_scanned", 1L).containsEntry("objects_rewritten", 1L);
        assertThat(evidence(range, "req-1")).containsEntry("objects_scanned", 1L).containsEntry("objects_rewritten", 1L);
        assertThat(text("raw/1.json")).isNotEmpty();
        assertThat(text("raw/2.json")).isEmpty();
        assertThat(text("raw/3.json")).isEmpty();
        assertThat(text("raw/4.json")).isNotEmpty();
        assertThat(executor().execute(deleteU1(), ArchiveSlice.keys(List.of("other/u-1.json"))))
                .isInstanceOf(TargetOutcome.Failed.class)
                .satisfies(o -> assertThat(((TargetOutcome.Failed) o).error()).doesNotContain("u-1"));
    }

    @Test
    void shouldFailWithoutNamingKeysOrIds_whenTheBucketIsMissing_orAnObjectIsCorrupt() throws IOException {
        s3.deleteBucket(b -> b.bucket(bucket));
        TargetOutcome missing = executor().execute(deleteU1());
        assertThat(missing).isInstanceOf(TargetOutcome.Failed.class);
        assertThat(((TargetOutcome.Failed) missing).error()).contains("404").contains("NoSuchBucket").doesNotContain(bucket);

        s3.createBucket(b -> b.bucket(bucket));
        byte[] truncated = java.util.Arrays.copyOf(gzip("{\"userId\":\"u-1\"}\n".repeat(50)), 20);
        put("raw/u-1/broken.json.gz", truncated);
        TargetOutcome corrupt = executor().execute(deleteU1());
        assertThat(corrupt).isInstanceOf(TargetOutcome.Failed.class);
        assertThat(((TargetOutcome.Failed) corrupt).error()).contains("1 objects could not be read").doesNotContain("u-1");
        assertThat(bytes("raw/u-1/broken.json.gz")).isEqualTo(truncated);
    }

    @Test
    void shouldNotSupportOtherRequestTypesOrUnmatchedSubjectTypes() throws IOException {
        TargetOutcome suppress = executor().execute(new TargetWork(target(), RequestType.SUPPRESS, SubjectType.USER_ID,
                Map.of("r", List.of("u-1")), 1));
        Target userIdsOnly = new Target("archive", TargetKind.S3_ARCHIVE, Set.of(RequestType.DELETE), JSON.readTree(
                "{\"bucket\":\"" + bucket + "\",\"prefixes\":[\"raw/\"],\"match\":{\"USER_ID\":[\"userId\"]}}"));
        TargetOutcome email = executor().execute(new TargetWork(userIdsOnly, RequestType.DELETE, SubjectType.EMAIL,
                Map.of("r", List.of("a@b.c")), 1));

        assertThat(suppress).isInstanceOf(TargetOutcome.NotSupported.class);
        assertThat(email).isInstanceOf(TargetOutcome.NotSupported.class);
    }

    /** What the executor relies on, pinned for the emulator: S3Mock 4.12.4 honours If-Match on PutObject. */
    @Test
    void emulatorShouldRejectAPutWhoseIfMatchIsStale() {
        put("raw/a.json", "one\n");
        String eTag = head("raw/a.json").eTag();
        put("raw/a.json", "two\n");

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("raw/a.json").ifMatch(eTag),
                RequestBody.fromString("three\n")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
        String current = head("raw/a.json").eTag();
        s3.putObject(b -> b.bucket(bucket).key("raw/a.json").ifMatch(current), RequestBody.fromString("four\n"));
        assertThat(text("raw/a.json")).isEqualTo("four\n");
    }

    /**
     * An emulator gap the executor works around (ObjectAttributes.contentEncoding): S3Mock stores the SDK's
     * transfer coding {@code aws-chunked} in Content-Encoding; AWS stores only {@code gzip}.
     */
    @Test
    void emulatorKeepsAwsChunkedInTheStoredContentEncoding() {
        s3.putObject(b -> b.bucket(bucket).key("raw/a.gz").contentEncoding("gzip"), RequestBody.fromString("x"));

        assertThat(head("raw/a.gz").contentEncoding()).isEqualTo("gzip,aws-chunked");
        assertThat(ObjectAttributes.contentEncoding("gzip,aws-chunked")).isEqualTo("gzip");
        assertThat(ObjectAttributes.contentEncoding("aws-chunked")).isNull();
    }
}
