package dev.tally.cli;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's own check of the archive (S3Mock), which the demo trusts to fail it: it must see a subject left behind,
 * another user's line changed and an object rewritten that held nothing of the subject's.
 */
class DemoArchiveIT {
    private static LocalAws aws;
    private static SdkHttpClient http;
    private static S3Client s3;
    private DemoArchive archive;
    private Map<String, String> before;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(LocalService.S3);
        http = AwsClients.httpClient();
        s3 = AwsClients.s3(AwsConfig.local(aws.serviceEndpoints()), http);
    }

    @AfterAll
    static void stop() {
        s3.close();
        http.close();
        aws.close();
    }

    @BeforeEach
    void putTheSample() {
        String bucket = DemoArchive.BUCKET;
        if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        s3.listObjectVersionsPaginator(b -> b.bucket(bucket)).versions().forEach(v ->
                s3.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId())));
        archive = DemoArchive.sample(DemoPrivacy.SUBJECT);
        archive.put(s3);
        before = DemoArchive.versions(s3);
    }

    @Test
    void shouldHoldASampleWithTheSubjectInSomeObjectsOnly() {
        assertThat(archive.events()).isEqualTo(DemoArchive.OBJECTS * DemoArchive.EVENTS_PER_OBJECT);
        assertThat(archive.objects).filteredOn(o -> o.subjectLines(DemoPrivacy.SUBJECT) > 0).hasSize(5);
        assertThat(archive.objects).filteredOn(DemoArchive.SampleObject::gzip).hasSize(4);
        assertThat(before).hasSize(DemoArchive.OBJECTS + 2);
        assertThat(DemoArchive.sample(DemoPrivacy.SUBJECT).objects).as("the same every run")
                .isEqualTo(archive.objects);
    }

    @Test
    void shouldFindTheSubjectLeftBehind_whenNothingWasDeleted() {
        DemoArchive.Check check = archive.check(s3, before);

        // Five current objects and one older version hold the subject; the five current ones differ from the sample
        // without the subject's lines.
        assertThat(check.problems()).filteredOn(p -> p.contains("still holds the subject")).hasSize(5 + 1);
        assertThat(check.problems()).filteredOn(p -> p.contains("not byte for byte")).hasSize(5);
        assertThat(check.problems()).hasSize(11);
    }

    @Test
    void shouldFindAnotherUsersLineChanged_andAnUntouchableObjectRewritten() {
        DemoArchive.SampleObject plainWith = archive.objects.stream()
                .filter(o -> !o.gzip() && o.subjectLines(DemoPrivacy.SUBJECT) > 0 && o.olderLines() == null)
                .findFirst().orElseThrow();
        DemoArchive.SampleObject plainWithout = archive.objects.stream()
                .filter(o -> !o.gzip() && o.subjectLines(DemoPrivacy.SUBJECT) == 0).findFirst().orElseThrow();
        List<String> others = plainWith.lines().stream().filter(l -> !DemoArchive.holds(l, DemoPrivacy.SUBJECT))
                .toList();
        String changed = String.join("\n", others).replaceFirst("Page Viewed", "Page Seen") + "\n";
        deleteAllVersions(plainWith.key());
        s3.putObject(b -> b.bucket(DemoArchive.BUCKET).key(plainWith.key()),
                RequestBody.fromString(changed, StandardCharsets.UTF_8));
        s3.putObject(b -> b.bucket(DemoArchive.BUCKET).key(plainWithout.key()),
                RequestBody.fromString(String.join("\n", plainWithout.lines()) + "\n", StandardCharsets.UTF_8));

        List<String> problems = archive.check(s3, before).problems();

        assertThat(problems).contains(plainWith.key() + ": the other users' lines are not byte for byte as they were",
                plainWithout.key() + " holds no event of the subject but was rewritten");
    }

    private static void deleteAllVersions(String key) {
        s3.listObjectVersionsPaginator(b -> b.bucket(DemoArchive.BUCKET).prefix(key)).versions().forEach(v ->
                s3.deleteObject(b -> b.bucket(DemoArchive.BUCKET).key(v.key()).versionId(v.versionId())));
    }
}
