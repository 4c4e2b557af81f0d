package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.junit.LocalAwsTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A real S3Client (path-style) against the S3 emulator: objects, listings, deletes, a versioned bucket. */
@LocalAwsTest(services = LocalService.S3)
class S3IT {
    private static S3Client s3;

    @BeforeAll
    static void client(AwsEndpoints aws) {
        s3 = Clients.s3(aws);
    }

    @AfterAll
    static void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static String newBucket() {
        String bucket = "tally-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static String read(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
    }

    @Test
    void putGetListDelete() {
        String bucket = newBucket();
        assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(bucket));

        s3.putObject(b -> b.bucket(bucket).key("bills/2024-05/cur.csv").contentType("text/csv"),
                RequestBody.fromString("identity/LineItemId,lineItem/UnblendedCost\nabc,6.3250420168\n"));
        s3.putObject(b -> b.bucket(bucket).key("bills/2024-06/cur.csv"), RequestBody.fromString("second"));
        s3.putObject(b -> b.bucket(bucket).key("events/ecs.jsonl"), RequestBody.fromString("{}"));

        assertThat(read(bucket, "bills/2024-05/cur.csv")).endsWith("abc,6.3250420168\n");
        assertThat(s3.headObject(b -> b.bucket(bucket).key("bills/2024-05/cur.csv")).contentType()).isEqualTo("text/csv");

        List<S3Object> bills = s3.listObjectsV2(b -> b.bucket(bucket).prefix("bills/")).contents();
        assertThat(bills).extracting(S3Object::key).containsExactly("bills/2024-05/cur.csv", "bills/2024-06/cur.csv");
        assertThat(bills.get(1).size()).isEqualTo(6L);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/")).commonPrefixes())
                .extracting(p -> p.prefix()).containsExactly("bills/", "events/");

        s3.deleteObject(b -> b.bucket(bucket).key("bills/2024-05/cur.csv"));
        assertThatThrownBy(() -> read(bucket, "bills/2024-05/cur.csv")).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactly("bills/2024-06/cur.csv", "events/ecs.jsonl");
    }

    @Test
    void conditionalPutsRefuseToOverwrite() {
        String bucket = newBucket();
        String etag = s3.putObject(b -> b.bucket(bucket).key("runs/2024-05.json").ifNoneMatch("*"),
                RequestBody.fromString("first")).eTag();

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("runs/2024-05.json").ifNoneMatch("*"),
                RequestBody.fromString("second")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("runs/2024-05.json").ifNoneMatch(etag)))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(304));
        assertThat(read(bucket, "runs/2024-05.json")).isEqualTo("first");
    }

    @Test
    void versionedBucketKeepsEveryVersion() {
        String bucket = newBucket();
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);

        String v1 = s3.putObject(b -> b.bucket(bucket).key("areas.json"), RequestBody.fromString("{\"v\":1}")).versionId();
        String v2 = s3.putObject(b -> b.bucket(bucket).key("areas.json"), RequestBody.fromString("{\"v\":2}")).versionId();
        assertThat(v1).isNotBlank().isNotEqualTo(v2);
        assertThat(v2).isNotBlank();

        assertThat(read(bucket, "areas.json")).isEqualTo("{\"v\":2}");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("areas.json").versionId(v1))
                .asString(StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");

        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix("areas.json"));
        assertThat(versions.versions()).extracting(ObjectVersion::versionId).containsExactlyInAnyOrder(v1, v2);
        assertThat(versions.versions()).filteredOn(ObjectVersion::isLatest).extracting(ObjectVersion::versionId)
                .containsExactly(v2);

        // Deleting without a version id only hides the object behind a delete marker...
        assertThat(s3.deleteObject(b -> b.bucket(bucket).key("areas.json")).deleteMarker()).isTrue();
        assertThatThrownBy(() -> read(bucket, "areas.json")).isInstanceOf(NoSuchKeyException.class);
        ListObjectVersionsResponse afterDelete = s3.listObjectVersions(b -> b.bucket(bucket).prefix("areas.json"));
        assertThat(afterDelete.versions()).extracting(ObjectVersion::versionId).containsExactlyInAnyOrder(v1, v2);
        assertThat(afterDelete.deleteMarkers()).hasSize(1);
        DeleteMarkerEntry marker = afterDelete.deleteMarkers().get(0);
        assertThat(marker.isLatest()).isTrue();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("areas.json").versionId(v2))
                .asString(StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");

        // ...and deleting the marker brings the object back; deleting a version removes it for good.
        s3.deleteObject(b -> b.bucket(bucket).key("areas.json").versionId(marker.versionId()));
        assertThat(read(bucket, "areas.json")).isEqualTo("{\"v\":2}");
        s3.deleteObject(b -> b.bucket(bucket).key("areas.json").versionId(v2));
        assertThat(read(bucket, "areas.json")).isEqualTo("{\"v\":1}");
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("areas.json")).versions())
                .extracting(ObjectVersion::versionId).containsExactly(v1);
    }
}
