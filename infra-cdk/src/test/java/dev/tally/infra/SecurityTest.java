package dev.tally.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityTest {
    /**
     * The only actions granted on every resource ({@code "Resource": "*"}): each takes no resource-level
     * permissions. X-Ray tracing; the reconciler's listing of clusters and volumes; the Data API's calls on a
     * statement (limited to the caller's own statements by condition); a state machine's log delivery to CloudWatch
     * Logs (vended logs, which Step Functions' docs grant on {@code *}).
     */
    private static final Set<String> ACTIONS_WITHOUT_RESOURCES = Set.of(
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
            "ecs:ListClusters", "ec2:DescribeVolumes",
            "redshift-data:DescribeStatement", "redshift-data:GetStatementResult", "redshift-data:CancelStatement");

    private final SynthesizedApp app = SynthesizedApp.get();

    private List<Stack> stacks() {
        List<Stack> all = new ArrayList<>(List.of(app.stacks.history(), app.stacks.billing(), app.stacks.privacy()));
        all.addAll(app.stacks.staging());
        all.add(app.stacks.monitoring());
        return all;
    }

    @Test
    void shouldGrantNoWildcardActions_andEveryResourceOnlyWhereTheServiceHasNoResourceLevelPermissions() {
        List<String> problems = new ArrayList<>();
        for (Stack stack : stacks()) {
            for (Map.Entry<String, Map<String, Object>> entry : Templates.policyStatements(Template.fromStack(stack))) {
                Map<String, Object> statement = entry.getValue();
                List<String> actions = strings(statement.get("Action"));
                List<Object> resources = list(statement.get("Resource"));
                for (String action : actions) {
                    if (action.equals("*") || action.endsWith(":*")) {
                        problems.add(stack.getStackName() + "/" + entry.getKey() + ": action " + action);
                    }
                }
                if (resources.contains("*") && !ACTIONS_WITHOUT_RESOURCES.containsAll(actions)) {
                    problems.add(stack.getStackName() + "/" + entry.getKey() + ": Resource * for " + actions);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(Templates.policyStatements(app.history)).isNotEmpty();
    }

    @Test
    void shouldAllowNoWildcardPrincipalInAnyResourcePolicy() {
        for (Stack stack : stacks()) {
            Template template = Template.fromStack(stack);
            for (String type : List.of("AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy")) {
                Templates.resources(template, type).forEach((id, policy) -> {
                    Map<?, ?> document = (Map<?, ?>) Templates.properties(policy).get("PolicyDocument");
                    for (Object statement : (List<?>) document.get("Statement")) {
                        Map<?, ?> s = (Map<?, ?>) statement;
                        if ("Allow".equals(s.get("Effect"))) {
                            assertThat(String.valueOf(s.get("Principal"))).as(id).doesNotContain("=*");
                        }
                    }
                });
            }
            Templates.resources(template, "AWS::Events::EventBusPolicy").forEach((id, policy) -> {
                assertThat(String.valueOf(Templates.properties(policy).get("Principal"))).as(id).isNotEqualTo("*");
                assertThat(String.valueOf(Templates.properties(policy).get("Statement"))).as(id).doesNotContain("=*");
            });
        }
    }

    @Test
    void shouldLeaveNoCdkNagFindingUnsuppressed() {
        for (Stack stack : stacks()) {
            assertThat(Templates.messages(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
                    .as(stack.getStackName()).isEmpty();
            assertThat(Templates.messages(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
                    .as(stack.getStackName()).isEmpty();
        }
    }

    @Test
    void shouldSuppressNagFindingsOnlyResourceByResource_eachForOneRuleWithAReason() {
        int suppressions = 0;
        for (Stack stack : stacks()) {
            Map<String, Object> template = Template.fromStack(stack).toJSON();
            assertThat(String.valueOf(template.get("Metadata"))).as("stack-wide suppressions").doesNotContain("cdk_nag");
            for (Object resource : ((Map<?, ?>) template.get("Resources")).values()) {
                Object metadata = ((Map<?, ?>) resource).get("Metadata");
                Map<?, ?> nag = metadata == null ? null : (Map<?, ?>) ((Map<?, ?>) metadata).get("cdk_nag");
                if (nag == null) {
                    continue;
                }
                for (Object entry : (List<?>) nag.get("rules_to_suppress")) {
                    Map<?, ?> suppression = (Map<?, ?>) entry;
                    assertThat(String.valueOf(suppression.get("id"))).matches("AwsSolutions-[A-Z]+[0-9]+");
                    assertThat(String.valueOf(suppression.get("reason"))).hasSizeGreaterThan(30);
                    if ("AwsSolutions-IAM5".equals(suppression.get("id")) || "AwsSolutions-IAM4".equals(suppression.get("id"))) {
                        assertThat((List<?>) suppression.get("applies_to")).as("IAM findings are accepted part by part")
                                .isNotEmpty();
                    }
                    suppressions++;
                }
            }
        }
        assertThat(suppressions).as("the monitoring stack needs none; the others do").isPositive();
    }

    @Test
    void shouldSynthesizeWithoutAnyErrorOrWarning() {
        for (Stack stack : stacks()) {
            assertThat(Templates.messages(Annotations.fromStack(stack).findError("*", Match.anyValue()))).as(stack.getStackName()).isEmpty();
            assertThat(Templates.messages(Annotations.fromStack(stack).findWarning("*", Match.anyValue()))).as(stack.getStackName()).isEmpty();
        }
    }

    @Test
    void shouldTagEveryTaggableResourceWithItsProductArea() {
        for (Stack stack : stacks()) {
            Templates.resources(Template.fromStack(stack), "AWS::Lambda::Function").values().forEach(function ->
                    assertThat(String.valueOf(Templates.properties(function).get("Tags")))
                            .contains("Key=product_area, Value=platform"));
        }
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? List.copyOf(list) : List.of(value);
    }
}
