package dev.tally.infra;

import dev.tally.infra.tagging.TagEnforcement;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sqs.Queue;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagEnforcementTest {
    private static App app() {
        return new App(AppProps.builder().context(Map.of("@aws-cdk/core:aspectStabilization", true)).build());
    }

    private static void enforce(App app) {
        Aspects.of(app).add(new TagEnforcement("product_area", Set.of("platform", "search")),
                AspectOptions.builder().priority(AspectPriority.READONLY).build());
    }

    @Test
    void shouldFailSynthesis_whenABucketLacksTheTag_namingItsPath() {
        App app = app();
        Stack stack = new Stack(app, "TestStack");
        new Bucket(stack, "Untagged");
        Queue tagged = new Queue(stack, "Tagged");
        Tags.of(tagged).add("product_area", "platform");
        enforce(app);

        app.synth();
        assertThatThrownBy(() -> TallyApp.failOnErrors(app))
                .hasMessageContaining("TestStack/Untagged/Resource (AWS::S3::Bucket) has no 'product_area' tag")
                .hasMessageNotContaining("Tagged/Resource");
        assertThat(Annotations.fromStack(stack).findError("/TestStack/Untagged/Resource",
                Match.stringLikeRegexp(".*has no 'product_area' tag.*"))).hasSize(1);
    }

    @Test
    void shouldFailSynthesis_whenATagNamesNoAreaOfTheAreasFile() {
        App app = app();
        Stack stack = new Stack(app, "TestStack");
        Tags.of(new Bucket(stack, "Misfiled")).add("product_area", "marketing");
        enforce(app);
        app.synth();

        assertThat(Annotations.fromStack(stack).findError("/TestStack/Misfiled/Resource",
                Match.stringLikeRegexp(".*'product_area' = 'marketing', which is no product area.*"))).hasSize(1);
    }

    @Test
    void shouldSeeTagsAppliedAboveTheResource_whateverTheOrderTheyWereAdded() {
        App app = app();
        Stack stack = new Stack(app, "TestStack");
        new Bucket(stack, "TaggedByStack");
        enforce(app);
        Tags.of(stack).add("product_area", "search");
        app.synth();

        assertThat(Templates.messages(Annotations.fromStack(stack).findError("*", Match.anyValue()))).isEmpty();
    }
}
