package dev.tally.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.history.HistoryEventPatterns;
import dev.tally.infra.staging.StagingForwardingStack;
import dev.tally.infra.tagging.AreasFile;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The staging accounts' forwarding stacks, and the history bus's policy that lets exactly them put events. */
class StagingForwardingTest {
    private static final String STAGING = "210987654321";
    private static final String PRODUCTION_BUS = "arn:aws:events:eu-west-1:123456789012:event-bus/default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SynthesizedApp app = SynthesizedApp.get();

    private StagingForwardingStack stack() {
        assertThat(app.stacks.staging()).hasSize(1);
        return app.stacks.staging().get(0);
    }

    @Test
    void shouldLetExactlyTheStagingAccountsPutEventsOnTheBusTheHistoryRulesListenOn() {
        Map<String, Map<String, Object>> policies = Templates.resources(app.history, "AWS::Events::EventBusPolicy");
        assertThat(policies.values().stream().map(policy -> {
            Map<?, ?> statement = (Map<?, ?>) Templates.properties(policy).get("Statement");
            return inPartitionAws(((Map<?, ?>) statement.get("Principal")).get("AWS"));
        }).toList()).containsExactly("arn:aws:iam::" + STAGING + ":root");
        Map<String, Object> policy = Templates.properties(policies.values().iterator().next());
        assertThat(policy).containsEntry("EventBusName", "default")
                .containsEntry("StatementId", "TallyStagingEvents-" + STAGING)
                .doesNotContainKeys("Action", "Principal", "Condition");
        Map<?, ?> statement = (Map<?, ?>) policy.get("Statement");
        assertThat(statement.keySet().stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrder("Effect", "Principal", "Action", "Resource");
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        assertThat(statement.get("Action")).isEqualTo("events:PutEvents");
        assertThat(inPartitionAws(statement.get("Resource"))).isEqualTo(PRODUCTION_BUS);
        // The history's event rules are on that same bus: the default one (no EventBusName).
        List<Map<String, Object>> rules = eventRules(app.history);
        assertThat(rules).hasSize(3);
        rules.forEach(rule -> assertThat(rule).doesNotContainKey("EventBusName"));
    }

    @Test
    void shouldForwardTheEventsTheHistoryRulesTake_butVolumeCalls_withPatternsThatIgnoreTheAccount() {
        List<Object> history = eventRules(app.history).stream().map(rule -> rule.get("EventPattern")).toList();
        List<Object> staging = eventRules(Template.fromStack(stack())).stream().map(rule -> rule.get("EventPattern"))
                .toList();
        List<Object> withoutVolumeCalls = history.stream()
                .filter(pattern -> !String.valueOf(pattern).contains("AttachVolume")).toList();
        assertThat(withoutVolumeCalls).hasSize(2);
        assertThat(staging).as("the reconciler would end forwarded volume attachments: they are not forwarded")
                .containsExactlyInAnyOrderElementsOf(withoutVolumeCalls);
        // A forwarded event keeps its staging account in "account": the patterns must not look at it.
        for (Object pattern : history) {
            assertThat(((Map<?, ?>) pattern).keySet().stream().map(String::valueOf).toList())
                    .isSubsetOf("source", "detail-type", "detail");
            assertThat(String.valueOf(pattern)).doesNotContain("account");
        }
    }

    @Test
    void shouldPutTheEventsOnTheProductionBusWithATargetRoleAndADeadLetterQueue() {
        Template template = Template.fromStack(stack());
        assertThat(inPartitionAws(stack().resolve(stack().productionBusArn()))).isEqualTo(PRODUCTION_BUS);
        String deadLetters = Templates.logicalId(template, "AWS::SQS::Queue", "ForwardingDeadLetters");
        for (Map<String, Object> rule : eventRules(template)) {
            List<?> targets = (List<?>) rule.get("Targets");
            assertThat(targets).hasSize(1);
            Map<?, ?> target = (Map<?, ?>) targets.get(0);
            assertThat(inPartitionAws(target.get("Arn"))).isEqualTo(PRODUCTION_BUS);
            assertThat(Templates.ref(((Map<?, ?>) target.get("DeadLetterConfig")).get("Arn"))).isEqualTo(deadLetters);
            String role = Templates.ref(target.get("RoleArn"));
            assertThat(Templates.resource(template, role).get("Type")).isEqualTo("AWS::IAM::Role");
            assertThat(String.valueOf(Templates.properties(Templates.resource(template, role))
                    .get("AssumeRolePolicyDocument"))).contains("Service=events.amazonaws.com");
        }
        // Each role may put events on that bus, and nothing else.
        List<Map.Entry<String, Map<String, Object>>> statements = Templates.policyStatements(template);
        assertThat(statements).hasSize(HistoryEventPatterns.FORWARDED.size()).allSatisfy(entry -> {
            Map<String, Object> statement = entry.getValue();
            assertThat(statement).containsOnlyKeys("Effect", "Action", "Resource");
            assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "events:PutEvents");
            assertThat(inPartitionAws(statement.get("Resource"))).isEqualTo(PRODUCTION_BUS);
        });
        // The dead-letter queue is encrypted, TLS only, and EventBridge may send to it for these rules only.
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "SqsManagedSseEnabled", true, "MessageRetentionPeriod", 14 * 24 * 3600));
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Effect", "Deny", "Action", "sqs:*",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.objectLike(Map.of("Effect", "Allow", "Action", "sqs:SendMessage",
                                "Principal", Map.of("Service", "events.amazonaws.com"),
                                "Condition", Match.objectLike(Map.of("ArnEquals", Match.anyValue())))))))));
    }

    @Test
    void shouldDeployEachForwardingStackToItsStagingAccountInTheProductionRegion_afterTheBusPolicy()
            throws IOException {
        StagingForwardingStack stack = stack();
        assertThat(stack.getNode().getId()).isEqualTo("TallyStagingForwarding" + STAGING);
        assertThat(stack.getAccount()).isEqualTo(STAGING);
        assertThat(stack.getRegion()).isEqualTo("eu-west-1");
        JsonNode manifest = JSON.readTree(SynthesizedApp.OUTDIR.resolve("manifest.json").toFile());
        JsonNode artifact = manifest.path("artifacts").path("TallyStagingForwarding" + STAGING);
        assertThat(artifact.path("environment").asText()).isEqualTo("aws://" + STAGING + "/eu-west-1");
        assertThat(artifact.path("dependencies").toString()).contains("TallyHistory");
        Templates.resources(Template.fromStack(stack), "AWS::SQS::Queue").values().forEach(queue ->
                assertThat(String.valueOf(Templates.properties(queue).get("Tags")))
                        .contains("Key=product_area, Value=platform"));
    }

    @Test
    void shouldBuildNoForwardingStackAndNoBusPolicy_withoutStagingAccounts() throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(SynthesizedApp.EXAMPLE_CONFIG.toFile());
        config.putArray("stagingAccounts");
        App app = SynthesizedApp.newApp(Map.of(), Files.createTempDirectory("tally-cdk"));
        TallyConfig parsed = TallyConfig.parse(config.toString(), "no staging", SynthesizedApp.EXAMPLE_CONFIG.getParent());
        TallyStacks stacks = TallyStacks.create(app, new Deployment(parsed, AreasFile.read(parsed.areasFile()),
                FunctionJars.from(app.getNode())));

        assertThat(stacks.staging()).isEmpty();
        assertThat(app.getNode().getChildren()).filteredOn(Stack.class::isInstance)
                .extracting(child -> child.getNode().getId())
                .noneMatch(id -> id.startsWith("TallyStagingForwarding"));
        Template.fromStack(stacks.history()).resourceCountIs("AWS::Events::EventBusPolicy", 0);
    }

    /** An ARN the template writes as {@code Fn::Join} over {@code AWS::Partition}, as it is in the aws partition. */
    private static String inPartitionAws(Object arn) {
        if (arn instanceof String text) {
            return text;
        }
        List<?> join = (List<?>) ((Map<?, ?>) arn).get("Fn::Join");
        assertThat(join).as("Fn::Join of " + arn).isNotNull();
        StringBuilder out = new StringBuilder();
        for (Object part : (List<?>) join.get(1)) {
            out.append(part instanceof Map<?, ?> ref && "AWS::Partition".equals(ref.get("Ref")) ? "aws" : part);
        }
        return out.toString();
    }

    /** The properties of the template's rules that match events (not schedules). */
    private static List<Map<String, Object>> eventRules(Template template) {
        return Templates.resources(template, "AWS::Events::Rule").values().stream().map(Templates::properties)
                .filter(rule -> rule.containsKey("EventPattern")).toList();
    }
}
