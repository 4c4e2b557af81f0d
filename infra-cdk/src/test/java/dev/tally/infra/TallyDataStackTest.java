package dev.tally.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TallyDataStackTest {
    private static TallyDataStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        App app = new App();
        stack = new TallyDataStack(app, "TallyData", StackProps.builder().build());
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
        template = Template.fromStack(stack);
    }

    @Test
    void shouldEncryptAndBlockPublicAccessOnEveryBucket() {
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.allResourcesProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true)));
    }

    @Test
    void shouldKeepRollupsVersionedAndLogged() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "rollups/")))));
    }

    @Test
    void shouldDenyInsecureTransport() {
        template.resourceCountIs("AWS::S3::BucketPolicy", 2);
    }

    @Test
    void shouldPassCdkNagAwsSolutions() {
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
    }
}
