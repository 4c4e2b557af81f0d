package dev.tally.billing;

import dev.tally.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Manifests as AWS writes them (real samples in events/aws-samples), and the order of a directory's parts. */
class BillManifestTest {
    private static BillManifest sample(String file) throws IOException {
        Path path = RepoFiles.events("aws-samples").resolve(file);
        try (InputStream in = Files.newInputStream(path)) {
            return BillManifest.parse(path.toString(), in);
        }
    }

    private static BillManifest parse(String name, String json) {
        return BillManifest.parse(name, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldReadALegacyCurManifest_itsPartsInOrder() throws IOException {
        BillManifest m = sample("cur-manifest.rudderlabs-ice.json");

        assertThat(m.kind()).isEqualTo(BillManifest.Kind.CUR);
        assertThat(m.deliveryId()).isEqualTo("abcdefgh-e98d-48d6-86b4-29967358fe6c");
        assertThat(m.billingPeriod()).isEqualTo(YearMonth.of(2017, 8));
        assertThat(m.compression()).isEqualTo("GZIP");
        assertThat(m.parts()).extracting(BillManifest.ObjectKey::uri).containsExactly(
                "s3://cost-and-usage-reports/hourly/hourly-cost-and-usage/20170801-20170901/"
                        + "abcdefgh-e98d-48d6-86b4-29967358fe6c/hourly-cost-and-usage-01.csv.gz",
                "s3://cost-and-usage-reports/hourly/hourly-cost-and-usage/20170801-20170901/"
                        + "abcdefgh-e98d-48d6-86b4-29967358fe6c/hourly-cost-and-usage-02.csv.gz");
        assertThat(sample("cur-manifest.kube-reporting-metering-operator.json").parts())
                .extracting(BillManifest.ObjectKey::bucket).containsOnly("billing-bucket");
    }

    @Test
    void shouldReadALegacyManifestThatListsNoParts() throws IOException {
        BillManifest m = sample("cur-manifest.rudderlabs-ice.2019-12-typed-columns.json");

        assertThat(m.parts()).isEmpty();
        assertThat(m.billingPeriod()).isEqualTo(YearMonth.of(2019, 12));
    }

    @Test
    void shouldReadADataExportsManifest_itsPeriodFromItsPath() {
        String json = """
                {"executionId": "9b6b32ef-2b70-3d10-9448-07e23ebce6b9",
                 "exportArn": "arn:aws:bcm-data-exports:us-east-1:111122223333:export/focus-abc",
                 "columns": [{"name": "AvailabilityZone", "type": "string"}],
                 "dataFiles": ["s3://my-bucket/exports/focus/data/billing_period=2026-05/2026-06-01T23:48:02.356Z-9b6b32ef/focus-00001.csv.gz",
                               "s3://my-bucket/exports/focus/data/billing_period=2026-05/2026-06-01T23:48:02.356Z-9b6b32ef/focus-00002.csv.gz"],
                 "additionalOutputFiles": []}
                """;

        BillManifest m = parse("exports/focus/metadata/billing_period=2026-05/focus-Manifest.json", json);
        BillManifest upper = parse("exports/cur2/metadata/BILLING_PERIOD=2026-11/cur2-Manifest.json", json);

        assertThat(m.kind()).isEqualTo(BillManifest.Kind.DATA_EXPORTS);
        assertThat(m.deliveryId()).isEqualTo("9b6b32ef-2b70-3d10-9448-07e23ebce6b9");
        assertThat(m.billingPeriod()).isEqualTo(YearMonth.of(2026, 5));
        assertThat(upper.billingPeriod()).isEqualTo(YearMonth.of(2026, 11));
        assertThat(m.parts()).extracting(BillManifest.ObjectKey::bucket, BillManifest.ObjectKey::key)
                .first().isEqualTo(org.assertj.core.groups.Tuple.tuple("my-bucket",
                        "exports/focus/data/billing_period=2026-05/2026-06-01T23:48:02.356Z-9b6b32ef/focus-00001.csv.gz"));
    }

    @Test
    void shouldRefuseWhatIsNotAManifest() throws IOException {
        assertThatThrownBy(() -> sample("data-exports-focus-manifest.microsoft-finops-toolkit.ABRIDGED-NOT-VALID-JSON.json"))
                .isInstanceOf(BillFileException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("x.json", "{\"reportName\": \"r\"}"))
                .isInstanceOf(BillFileException.class).hasMessageContaining("neither reportKeys");
        assertThatThrownBy(() -> parse("x.json", "{\"dataFiles\": [\"https://example.com/a.csv\"]}"))
                .isInstanceOf(BillFileException.class).hasMessageContaining("s3:// URI");
        assertThatThrownBy(() -> parse("x.json", "{\"reportKeys\": [\"a\"]}"))
                .isInstanceOf(BillFileException.class).hasMessageContaining("without a bucket");
    }

    @Test
    void shouldOrderPartsNaturally() {
        List<String> names = new java.util.ArrayList<>(List.of("r-10.csv.gz", "r-2.csv.gz", "r-1.csv.gz", "r-01.csv.gz",
                "r-00002.csv.gz", "a.csv"));
        names.sort(Bill::naturalOrder);

        assertThat(names).containsExactly("a.csv", "r-01.csv.gz", "r-1.csv.gz", "r-00002.csv.gz", "r-2.csv.gz",
                "r-10.csv.gz");
        assertThat(BillManifest.isManifestKey("cur/r/20170801-20170901/r-Manifest.json")).isTrue();
        assertThat(BillManifest.isManifestKey("cur/r/20170801-20170901/abc/r-1.csv.gz")).isFalse();
    }
}
