package dev.tally.functions.reconciler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SdkEc2Inventory} through the real EC2 SDK client against a stub speaking EC2's Query protocol
 * (form-encoded {@code Action=DescribeVolumes}, XML answers): filters, pagination, attachments.
 */
class SdkEc2InventoryTest {
    private AwsStub stub;
    private Ec2Client client;
    private SdkEc2Inventory inventory;

    @BeforeEach
    void start() throws IOException {
        stub = new AwsStub();
        client = stub.ec2Client();
        inventory = new SdkEc2Inventory(client);
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    private static String response(String items, String nextToken) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DescribeVolumesResponse xmlns=\"" + AwsStub.EC2_NAMESPACE + "\">\n"
                + "  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>\n"
                + "  <volumeSet>\n" + items + "  </volumeSet>\n"
                + (nextToken == null ? "" : "  <nextToken>" + nextToken + "</nextToken>\n")
                + "</DescribeVolumesResponse>\n";
    }

    private static String volume(String id, String status, String attachments) {
        return """
                    <item>
                      <volumeId>%1$s</volumeId>
                      <size>80</size>
                      <snapshotId/>
                      <availabilityZone>us-east-1a</availabilityZone>
                      <status>%2$s</status>
                      <createTime>2017-01-30T10:00:00.000Z</createTime>
                      <attachmentSet>%3$s</attachmentSet>
                      <volumeType>gp3</volumeType>
                      <iops>3000</iops>
                      <encrypted>false</encrypted>
                      <multiAttachEnabled>false</multiAttachEnabled>
                    </item>
                """.formatted(id, status, attachments);
    }

    private static String attachment(String volumeId, String instanceId, String status, String attachTime) {
        return """
                        <item>
                          <volumeId>%s</volumeId>
                          <instanceId>%s</instanceId>
                          <device>/dev/xvda</device>
                          <status>%s</status>
                          <attachTime>%s</attachTime>
                          <deleteOnTermination>true</deleteOnTermination>
                        </item>
                """.formatted(volumeId, instanceId, status, attachTime);
    }

    @Test
    void attachedVolumes_filtersOnAttachmentStatus_andFollowsNextToken() {
        stub.on("DescribeVolumes", r -> r.param("NextToken") == null
                ? AwsStub.Reply.ec2(response(volume("vol-0a1", "in-use",
                        attachment("vol-0a1", "i-0aaa", "attached", "2017-02-01T00:15:00.123Z")), "page-2"))
                : AwsStub.Reply.ec2(response(volume("vol-0b2", "in-use",
                        attachment("vol-0b2", "i-0bbb", "attached", "2017-02-03T08:00:00.000Z")
                                + attachment("vol-0b2", "i-0ccc", "detaching", "2017-01-01T00:00:00.000Z")), null)));

        List<Ec2Inventory.Volume> volumes = inventory.attachedVolumes();

        assertThat(volumes).containsExactly(
                new Ec2Inventory.Volume("vol-0a1", "in-use", List.of(
                        new Ec2Inventory.Attachment("i-0aaa", "attached", Instant.parse("2017-02-01T00:15:00.123Z")))),
                new Ec2Inventory.Volume("vol-0b2", "in-use", List.of(
                        new Ec2Inventory.Attachment("i-0bbb", "attached", Instant.parse("2017-02-03T08:00:00Z")),
                        new Ec2Inventory.Attachment("i-0ccc", "detaching", Instant.parse("2017-01-01T00:00:00Z")))));
        List<AwsStub.Request> requests = stub.requests("DescribeVolumes");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).param("Filter.1.Name")).isEqualTo("attachment.status");
        assertThat(requests.get(0).param("Filter.1.Value.1")).isEqualTo("attached");
        assertThat(requests.get(1).param("NextToken")).isEqualTo("page-2");
        assertThat(requests.get(1).param("Filter.1.Name")).isEqualTo("attachment.status");
    }

    @Test
    void volumes_askByVolumeIdFilter_inBatches_andLeaveDeletedOnesOut() {
        stub.on("DescribeVolumes", r -> {
            // answers only vol-1 (available) of what is asked; the others "no longer exist"
            boolean asksVol1 = r.form().entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith("Filter.1.Value.") && e.getValue().equals("vol-1"));
            return AwsStub.Reply.ec2(response(asksVol1 ? volume("vol-1", "available", "") : "", null));
        });
        List<String> ids = IntStream.range(0, 150).mapToObj(i -> "vol-" + i).toList();

        List<Ec2Inventory.Volume> volumes = inventory.volumes(ids);

        assertThat(volumes).containsExactly(new Ec2Inventory.Volume("vol-1", "available", List.of()));
        List<AwsStub.Request> requests = stub.requests("DescribeVolumes");
        assertThat(requests).hasSize(2);
        List<String> asked = new ArrayList<>();
        for (AwsStub.Request request : requests) {
            assertThat(request.param("Filter.1.Name")).isEqualTo("volume-id");
            assertThat(request.param("VolumeId.1")).isNull();
            request.form().forEach((name, value) -> {
                if (name.startsWith("Filter.1.Value.")) {
                    asked.add(value);
                }
            });
        }
        assertThat(asked).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void apiErrors_propagateWithTheirCode() {
        stub.on("DescribeVolumes", r -> new AwsStub.Reply(403, "text/xml;charset=UTF-8", """
                <?xml version="1.0" encoding="UTF-8"?>
                <Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to \
                perform this operation.</Message></Error></Errors><RequestID>3a1e2b1d-EXAMPLE</RequestID></Response>
                """));

        assertThatThrownBy(() -> inventory.attachedVolumes())
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation"));
    }
}
