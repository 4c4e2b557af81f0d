package dev.tally.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.functions.billing.BillingMetrics;
import dev.tally.functions.privacy.PrivacySweepHandler;
import dev.tally.functions.privacy.worker.WorkHandler;
import dev.tally.infra.config.MonitoringSection;
import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.monitoring.MonitoringStack;
import dev.tally.infra.tagging.AreasFile;
import dev.tally.runtime.EmfCountMetrics;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.IConstruct;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tally.infra.Templates.properties;
import static dev.tally.infra.Templates.resources;
import static org.assertj.core.api.Assertions.assertThat;

class MonitoringStackTest {
    private final SynthesizedApp app = SynthesizedApp.get();
    private final Template template = app.monitoring;
    private final TallyConfig config = TallyConfig.load(SynthesizedApp.EXAMPLE_CONFIG);

    @Test
    void shouldSendEveryAlarmToOneTopic_encryptedWithARotatedKeyCloudWatchMayUse_overTlsOnly_mailedToTheAlarmEmail() {
        String topic = Templates.logicalId(template, "AWS::SNS::Topic", "AlarmsTopic");
        String key = Templates.logicalId(template, "AWS::KMS::Key", "AlarmsKey");
        template.hasResourceProperties("AWS::SNS::Topic", Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "EnableKeyRotation", true,
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"),
                        "Resource", "*"))))));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(Map.of("Ref", topic)),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Action", "sns:Publish",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.objectLike(Map.of(
                                "Effect", "Allow",
                                "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                                "Action", "sns:Publish",
                                "Resource", Map.of("Ref", topic),
                                "Condition", Match.objectLike(Map.of(
                                        "StringEquals", Map.of("aws:SourceAccount", "123456789012"))))))))));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email",
                "Endpoint", config.alarmEmail(),
                "TopicArn", Map.of("Ref", topic)));

        Map<String, Map<String, Object>> alarms = resources(template, "AWS::CloudWatch::Alarm");
        assertThat(alarms).isNotEmpty().allSatisfy((id, alarm) -> {
            assertThat(properties(alarm).get("AlarmActions")).as(id).isEqualTo(List.of(Map.of("Ref", topic)));
            assertThat(properties(alarm).get("OKActions")).as(id).isEqualTo(List.of(Map.of("Ref", topic)));
            assertThat(String.valueOf(properties(alarm).get("AlarmDescription"))).as(id).startsWith("Tally: ");
        });
        assertThat(app.stacks.monitoring().alarms()).hasSize(alarms.size());
    }

    @Test
    void shouldAlarmOnEveryErrorAndThrottleOfEveryFunctionOfTheApp() {
        List<TallyFunction> functions = functions();
        Set<String> fromStacks = new LinkedHashSet<>();
        functions.forEach(function -> fromStacks.add(Stack.of(function).getStackName() + "/"
                + logicalId(function.function())));
        Set<String> fromTemplates = new LinkedHashSet<>();
        for (Stack stack : List.of(app.stacks.history(), app.stacks.billing(), app.stacks.privacy())) {
            resources(templateOf(stack), "AWS::Lambda::Function").forEach((id, function) -> {
                if (String.valueOf(properties(function).get("Handler")).startsWith("dev.tally.")) {
                    fromTemplates.add(stack.getStackName() + "/" + id);
                }
            });
        }
        assertThat(fromTemplates).as("Tally's functions in the templates (not the CDK's helpers)").hasSizeGreaterThan(8);
        assertThat(fromStacks).as("the functions the stacks expose").containsExactlyInAnyOrderElementsOf(fromTemplates);

        for (TallyFunction function : functions) {
            for (String metric : List.of("Errors", "Throttles")) {
                template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                        "Namespace", "AWS/Lambda",
                        "MetricName", metric,
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", importOfRef(function.function()))),
                        "Statistic", "Sum",
                        "Period", 300,
                        "Threshold", 0,
                        "ComparisonOperator", "GreaterThanThreshold",
                        "EvaluationPeriods", 1,
                        "TreatMissingData", "notBreaching"));
            }
        }
    }

    @Test
    void shouldAlarmWhenAFunctionsP99DurationPassesEightyPercentOfItsTimeout() {
        // The billing function: 15 minutes, so 720,000 ms.
        TallyFunction billing = app.stacks.billing().function();
        Object timeout = properties(Templates.resource(app.billing, logicalId(billing.function()))).get("Timeout");
        assertThat(timeout).isEqualTo(900);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda",
                "MetricName", "Duration",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", importOfRef(billing.function()))),
                "ExtendedStatistic", "p99",
                "Period", 300,
                "Threshold", 720_000,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1,
                "TreatMissingData", "notBreaching"));
        // And every other function at 80% of the timeout its own template gives it.
        for (TallyFunction function : functions()) {
            Template own = templateOf(Stack.of(function));
            int seconds = ((Number) properties(Templates.resource(own, logicalId(function.function()))).get("Timeout"))
                    .intValue();
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "Duration",
                    "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", importOfRef(function.function()))),
                    "Threshold", seconds * 1000 * 80 / 100));
        }
    }

    @Test
    void shouldAlarmOnAnyMessageInEveryDeadLetterQueueOfTheApp() {
        List<IQueue> exposed = new ArrayList<>();
        exposed.addAll(app.stacks.history().deadLetterQueues());
        exposed.addAll(app.stacks.billing().deadLetterQueues());
        exposed.addAll(app.stacks.privacy().deadLetterQueues());
        Set<String> fromStacks = new LinkedHashSet<>();
        exposed.forEach(queue -> fromStacks.add(Stack.of(queue).getStackName() + "/" + logicalId(queue)));

        Set<String> fromTemplates = new LinkedHashSet<>();
        for (Stack stack : List.of(app.stacks.history(), app.stacks.billing(), app.stacks.privacy())) {
            deadLetterQueueIds(templateOf(stack)).forEach(id -> fromTemplates.add(stack.getStackName() + "/" + id));
        }
        assertThat(fromTemplates).as("what the templates send dead letters to").hasSizeGreaterThan(6);
        assertThat(fromStacks).as("the dead-letter queues the stacks expose")
                .containsExactlyInAnyOrderElementsOf(fromTemplates);

        for (IQueue queue : exposed) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/SQS",
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::ImportValue",
                            Match.stringLikeRegexp(Stack.of(queue).getStackName() + ":ExportsOutputFnGetAtt"
                                    + logicalId(queue) + "QueueName[0-9A-F]{8}")))),
                    "Statistic", "Maximum",
                    "Period", 300,
                    "Threshold", 0,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "EvaluationPeriods", 1,
                    "TreatMissingData", "notBreaching"));
        }
    }

    @Test
    void shouldAlarmOnOverdueRequests_asEachSweepFindsThem_andOnReceiptsThatFailedForGood() {
        assertThat(config.privacy().sweepEveryMinutes()).isEqualTo(60);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", EmfCountMetrics.NAMESPACE,
                "MetricName", PrivacySweepHandler.OVERDUE_REQUESTS,
                "Dimensions", List.of(Map.of("Name", "Service", "Value", "privacy-sweep")),
                "Statistic", "Maximum",
                "Period", 3600,
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1,
                "TreatMissingData", "ignore"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Tally",
                "MetricName", WorkHandler.RECEIPTS_DEAD_LETTERED,
                "Dimensions", List.of(Map.of("Name", "Service", "Value", "privacy-worker")),
                "Statistic", "Sum",
                "Period", 300,
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1,
                "TreatMissingData", "notBreaching"));
    }

    @Test
    void shouldAlarmOnArchivePassExecutionsThatDidNotSucceed() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "TreatMissingData", "notBreaching",
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "failed + timedOut + aborted")),
                        Match.objectLike(Map.of("Id", "failed", "MetricStat", Match.objectLike(Map.of(
                                "Metric", Match.objectLike(Map.of("Namespace", "AWS/States",
                                        "MetricName", "ExecutionsFailed")), "Period", 300)))))))));
    }

    @Test
    void shouldAlarmOnDistributedRollupExecutionsThatDidNotSucceed() {
        List<String> machines = new java.util.ArrayList<>();
        Templates.resources(template, "AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            String metrics = String.valueOf(Templates.properties(alarm).get("Metrics"));
            if (metrics.contains("failed + timedOut + aborted") && metrics.contains("ExecutionsAborted")) {
                machines.add(metrics.contains("DistributedRollupStateMachine") ? "rollup"
                        : metrics.contains("ArchivePassStateMachine") ? "archive" : metrics);
            }
        });

        assertThat(machines).containsExactlyInAnyOrder("rollup", "archive");
    }

    @Test
    void shouldAlarmOnACoverageDropBelowTheConfiguredPercent_andOnNoBillRolledUpIn36Hours() {
        assertThat(config.monitoring()).isEqualTo(new MonitoringSection(90, 36));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Tally",
                "MetricName", BillingMetrics.COVERAGE_BASIS_POINTS,
                "Dimensions", List.of(Map.of("Name", "Service", "Value", "billing-rollup")),
                "Statistic", "Minimum",
                "Period", 3600,
                "Threshold", 9000,
                "ComparisonOperator", "LessThanThreshold",
                "EvaluationPeriods", 1,
                "TreatMissingData", "ignore"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Tally",
                "MetricName", BillingMetrics.ROLLED_UP,
                "Dimensions", List.of(Map.of("Name", "Service", "Value", "billing-rollup")),
                "Statistic", "Sum",
                "Period", 6 * 3600,
                "EvaluationPeriods", 6,
                "DatapointsToAlarm", 6,
                "Threshold", 1,
                "ComparisonOperator", "LessThanThreshold",
                "TreatMissingData", "breaching"));
    }

    @Test
    void shouldShowTheRollupsThePrivacyRequestsAndTheDeadLetterQueuesOnTheDashboard() {
        Map<String, Map<String, Object>> dashboards = resources(template, "AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        Map<String, Object> dashboard = properties(dashboards.values().iterator().next());
        assertThat(dashboard).containsEntry("DashboardName", "Tally");
        String body = String.valueOf(dashboard.get("DashboardBody"));
        assertThat(body).contains(BillingMetrics.TOTAL_COST_CENTS, BillingMetrics.COVERAGE_BASIS_POINTS,
                BillingMetrics.ROLLED_UP, BillingMetrics.DISTRIBUTED, BillingMetrics.FAILED,
                PrivacySweepHandler.OPEN_REQUESTS, PrivacySweepHandler.OVERDUE_REQUESTS, "ApproximateNumberOfMessagesVisible", "\"value\":9000",
                "\"Service\",\"billing-rollup\"", "\"type\":\"alarm\"");
        for (IQueue queue : app.stacks.privacy().deadLetterQueues()) {
            assertThat(body).contains("ExportsOutputFnGetAtt" + logicalId(queue) + "QueueName");
        }
    }

    @Test
    void shouldBeTheLastStack_dependingOnTheOthers_andTaggedWithItsServicesArea() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(SynthesizedApp.OUTDIR.resolve("manifest.json").toFile());
        assertThat(manifest.path("artifacts").path("TallyMonitoring").path("dependencies").toString())
                .contains("TallyHistory", "TallyBilling", "TallyPrivacy");
        String area = AreasFile.read(config.areasFile()).areaOf(MonitoringStack.SERVICE);
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("Tags", List.of(Map.of(
                "Key", config.tagKey(), "Value", area))));
    }

    private List<TallyFunction> functions() {
        List<TallyFunction> functions = new ArrayList<>();
        functions.addAll(app.stacks.history().functions());
        functions.addAll(app.stacks.billing().functions());
        functions.addAll(app.stacks.privacy().functions());
        return functions;
    }

    private Template templateOf(Stack stack) {
        Map<Stack, Template> templates = new HashMap<>(Map.of(app.stacks.history(), app.history,
                app.stacks.billing(), app.billing, app.stacks.privacy(), app.privacy));
        return templates.get(stack);
    }

    /** How another stack's resource's {@code Ref} arrives in the monitoring stack: an import of its export. */
    private static Object importOfRef(IConstruct resource) {
        return Map.of("Fn::ImportValue", Match.stringLikeRegexp(Stack.of(resource).getStackName()
                + ":ExportsOutputRef" + logicalId(resource) + "[0-9A-F]{8}"));
    }

    private static String logicalId(IConstruct resource) {
        IConstruct cfn = resource.getNode().getDefaultChild() != null ? resource.getNode().getDefaultChild() : resource;
        return Stack.of(cfn).resolve(((CfnElement) cfn).getLogicalId()).toString();
    }

    /**
     * The queues a template sends what failed to: a queue's redrive target, a rule target's dead-letter queue, an
     * asynchronous invocation's on-failure destination.
     */
    @SuppressWarnings("unchecked")
    private static Set<String> deadLetterQueueIds(Template template) {
        Set<String> ids = new LinkedHashSet<>();
        resources(template, "AWS::SQS::Queue").values().forEach(queue -> {
            Map<String, Object> redrive = (Map<String, Object>) properties(queue).get("RedrivePolicy");
            if (redrive != null) {
                ids.add(Templates.ref(redrive.get("deadLetterTargetArn")));
            }
        });
        resources(template, "AWS::Events::Rule").values().forEach(rule -> {
            for (Object target : (List<Object>) properties(rule).getOrDefault("Targets", List.of())) {
                Map<String, Object> deadLetters = (Map<String, Object>) ((Map<String, Object>) target).get("DeadLetterConfig");
                if (deadLetters != null) {
                    ids.add(Templates.ref(deadLetters.get("Arn")));
                }
            }
        });
        resources(template, "AWS::Lambda::EventInvokeConfig").values().forEach(invokeConfig -> {
            Map<String, Object> destinations = (Map<String, Object>) properties(invokeConfig).get("DestinationConfig");
            Map<String, Object> onFailure = destinations == null ? null : (Map<String, Object>) destinations.get("OnFailure");
            if (onFailure != null) {
                ids.add(Templates.ref(onFailure.get("Destination")));
            }
        });
        ids.forEach(id -> assertThat(Templates.resource(template, id).get("Type")).as(id).isEqualTo("AWS::SQS::Queue"));
        return ids;
    }
}
