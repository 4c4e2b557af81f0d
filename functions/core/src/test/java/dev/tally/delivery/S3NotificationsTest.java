package dev.tally.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The three shapes the billing function is invoked with, from real samples, every record of a batch. */
class S3NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode sample(String name) throws IOException {
        return JSON.readTree(Files.readString(RepoFiles.events("aws-samples").resolve(name)));
    }

    private static ObjectCreated created(S3Notifications.Notice notice) {
        assertThat(notice).isInstanceOf(S3Notifications.Notice.Created.class);
        return ((S3Notifications.Notice.Created) notice).object();
    }

    @Test
    void shouldReadADirectNotification_decodingItsKey() throws IOException {
        List<S3Notifications.Notice> notices = S3Notifications.parse(sample("aws-lambda-go.s3-event.json"));

        ObjectCreated object = created(notices.get(0));
        assertThat(object.bucket()).isEqualTo("sourcebucket");
        assertThat(object.key()).isEqualTo("Happy Face.jpg");
        assertThat(object.rawKey()).isEqualTo("Happy%20Face.jpg");
        assertThat(object.versionId()).isEqualTo("version");
        assertThat(object.eTag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(object.size()).isEqualTo(1024);
        assertThat(object.message()).isEmpty();
    }

    @Test
    void shouldReadEveryRecordOfAnSqsBatch_withItsMessageId_andSizesBeyondTwoGigabytes() throws IOException {
        String body = Files.readString(RepoFiles.events("aws-samples")
                .resolve("s3-notification-ObjectCreated-CompleteMultipartUpload.versioned-2018-sqs-body.json"))
                .replace("\"size\":588021664", "\"size\":5368709120")
                .replace("contact_7_sample.csv.gz", "bills/2017+02/BILLING_PERIOD%3D2017-02/x-Manifest.json");
        JsonNode event = JSON.readTree("{\"Records\": [{\"messageId\": \"m-1\", \"eventSource\": \"aws:sqs\", \"body\": "
                + JSON.writeValueAsString(body) + "}, {\"messageId\": \"m-2\", \"eventSource\": \"aws:sqs\", "
                + "\"body\": \"not json\"}, {\"messageId\": \"m-3\", \"eventSource\": \"aws:sqs\", \"body\": "
                + JSON.writeValueAsString("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}")
                + "}]}");

        List<S3Notifications.Notice> notices = S3Notifications.parse(event);

        assertThat(S3Notifications.isSqsBatch(event)).isTrue();
        assertThat(notices).extracting(S3Notifications.Notice::message).containsExactly("m-1", "m-2", "m-3");
        ObjectCreated object = created(notices.get(0));
        assertThat(object.key()).isEqualTo("pending/222222222333/contact/bills/2017 02/BILLING_PERIOD=2017-02/x-Manifest.json");
        assertThat(object.size()).isEqualTo(5_368_709_120L);
        assertThat(object.sequencer()).isEqualTo("005B4CADACB6792C09");
        assertThat(object.eventTime()).isEqualTo(Instant.parse("2018-07-16T14:38:24.166Z"));
        assertThat(notices.get(1)).isInstanceOf(S3Notifications.Notice.Unusable.class);
        assertThat(notices.get(2)).isEqualTo(new S3Notifications.Notice.Test("b", "m-3"));
    }

    @Test
    void shouldReadAnEventBridgeObjectCreatedEvent() throws IOException {
        List<S3Notifications.Notice> notices = S3Notifications.parse(sample("s3-eventbridge-Object-Created.awsdocs-s3-userguide-2023.json"));

        ObjectCreated object = created(notices.get(0));
        assertThat(object.bucket()).isEqualTo("DOC-EXAMPLE-BUCKET1");
        assertThat(object.key()).isEqualTo("example-key");
        assertThat(object.versionId()).isEqualTo("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e");
        assertThat(object.sequencer()).isEqualTo("617f08299329d189");
        assertThat(object.sequencerValue()).isPositive();
    }

    @Test
    void shouldReportWhatIsNotAnObjectCreatedNotification() throws IOException {
        JsonNode removed = JSON.readTree("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\","
                + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}]}");
        JsonNode scheduled = sample("java-libs.cloudwatch_event.json");

        assertThat(S3Notifications.parse(removed)).singleElement().isInstanceOf(S3Notifications.Notice.Unusable.class);
        assertThat(S3Notifications.parse(scheduled)).singleElement().isInstanceOf(S3Notifications.Notice.Unusable.class);
        assertThat(S3Notifications.parse(JSON.readTree("{}"))).singleElement()
                .isInstanceOf(S3Notifications.Notice.Unusable.class);
    }
}
