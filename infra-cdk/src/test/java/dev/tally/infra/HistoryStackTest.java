package dev.tally.infra;

import dev.tally.aws.dynamodb.HistoryTable;
import dev.tally.functions.history.Ec2EventsHandler;
import dev.tally.functions.history.EcsEventsHandler;
import dev.tally.functions.history.HistoryFunctionConfig;
import dev.tally.functions.history.ProductAreaPublisher;
import dev.tally.functions.reconciler.ReconcilerConfig;
import dev.tally.functions.reconciler.ReconcilerHandler;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryStackTest {
    private final Template template = SynthesizedApp.get().history;

    @Test
    void shouldDeclareTheHistoryTableAsTheAdapterCreatesIt_withTtlPitrAndEncryption() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", HistoryTable.PK, "KeyType", "HASH"),
                        Map.of("AttributeName", HistoryTable.SK, "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", HistoryTable.GSI1_PK, "AttributeType", "S"),
                        Map.of("AttributeName", HistoryTable.GSI1_SK, "AttributeType", "S"))),
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", HistoryTable.GSI1,
                        "KeySchema", List.of(
                                Map.of("AttributeName", HistoryTable.GSI1_PK, "KeyType", "HASH"),
                                Map.of("AttributeName", HistoryTable.GSI1_SK, "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL"))),
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", Map.of("AttributeName", HistoryTable.EXPIRES_AT, "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true),
                "DeletionProtectionEnabled", true));
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void shouldRouteEcsStateChangesByExactPattern() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Match.exact(Map.of(
                        "source", List.of("aws.ecs"),
                        "detail-type", List.of("ECS Task State Change", "ECS Container Instance State Change"))),
                "State", "ENABLED",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(logicalId("AWS::SQS::Queue", "EcsEventsQueue"), "Arn")),
                        "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt",
                                List.of(logicalId("AWS::SQS::Queue", "EcsEventsQueueDeadLetters"), "Arn"))))))));
    }

    @Test
    void shouldRouteSuccessfulVolumeCallsAndTerminationsByExactPattern() {
        Map<String, Object> ec2Queue = Map.of("Fn::GetAtt", List.of(logicalId("AWS::SQS::Queue", "Ec2EventsQueue"), "Arn"));
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Match.exact(Map.of(
                        "source", List.of("aws.ec2"),
                        "detail-type", List.of("AWS API Call via CloudTrail"),
                        "detail", Map.of(
                                "eventSource", List.of("ec2.amazonaws.com"),
                                "eventName", List.of("AttachVolume", "DetachVolume"),
                                "errorCode", List.of(Map.of("exists", false))))),
                "Targets", List.of(Match.objectLike(Map.of("Arn", ec2Queue)))));
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Match.exact(Map.of(
                        "source", List.of("aws.ec2"),
                        "detail-type", List.of("EC2 Instance State-change Notification"),
                        "detail", Map.of("state", List.of("terminated")))),
                "Targets", List.of(Match.objectLike(Map.of("Arn", ec2Queue)))));
    }

    @Test
    void shouldEncryptEveryQueueAndRedriveWorkQueuesAfterFiveReceives() {
        template.allResourcesProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        for (String pipeline : List.of("EcsEvents", "Ec2Events")) {
            template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                    "VisibilityTimeout", 360,
                    "RedrivePolicy", Map.of(
                            "deadLetterTargetArn", Map.of("Fn::GetAtt",
                                    List.of(logicalId("AWS::SQS::Queue", pipeline + "QueueDeadLetters"), "Arn")),
                            "maxReceiveCount", 5)));
            template.hasResourceProperties("AWS::SQS::Queue", Map.of("MessageRetentionPeriod", 1209600));
        }
    }

    @Test
    void shouldDenyEveryQueueAccessWithoutTls() {
        Templates.resources(template, "AWS::SQS::Queue").keySet().forEach(queue ->
                template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                        "Queues", List.of(Map.of("Ref", queue)),
                        "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
    }

    @Test
    void shouldDeliverBatchesWithPartialFailures_andQueuesHoldMessagesSixTimesTheFunctionTimeout() {
        Map<String, Map<String, Object>> mappings = Templates.resources(template, "AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(2);
        mappings.values().forEach(mapping -> {
            Map<String, Object> properties = Templates.properties(mapping);
            assertThat(properties).containsEntry("BatchSize", 100)
                    .containsEntry("MaximumBatchingWindowInSeconds", 5)
                    .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
            Map<String, Object> function = Templates.resource(template, Templates.ref(properties.get("FunctionName")));
            Map<String, Object> queue = Templates.resource(template, Templates.ref(properties.get("EventSourceArn")));
            int timeout = (Integer) Templates.properties(function).get("Timeout");
            assertThat((Integer) Templates.properties(queue).get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * timeout);
        });
    }

    @Test
    void shouldRunEveryFunctionOnJava21Arm64_withExplicitSizeTracingAndItsOwnLogGroup() {
        Templates.resources(template, "AWS::Lambda::Function").forEach((id, function) -> {
            Map<String, Object> properties = Templates.properties(function);
            if (!id.contains("framework")) {
                assertThat(properties).containsEntry("Runtime", "java21")
                        .containsEntry("Architectures", List.of("arm64"))
                        .containsEntry("TracingConfig", Map.of("Mode", "Active"))
                        .containsKeys("MemorySize", "Timeout");
                String logGroup = Templates.ref(((Map<?, ?>) properties.get("LoggingConfig")).get("LogGroup"));
                assertThat(Templates.resource(template, logGroup)).containsEntry("Type", "AWS::Logs::LogGroup");
            }
        });
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90));
    }

    @Test
    void shouldConfigureTheEventFunctionsWithTheNamesTheirConfigReads() {
        for (Class<?> handler : List.of(EcsEventsHandler.class, Ec2EventsHandler.class)) {
            String pipeline = handler == EcsEventsHandler.class ? "EcsEvents" : "Ec2Events";
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", handler.getName(),
                    "MemorySize", 1024,
                    "Timeout", 60,
                    "Environment", Map.of("Variables", Match.exact(Map.of(
                            HistoryFunctionConfig.TABLE, Map.of("Ref", logicalId("AWS::DynamoDB::Table", "HistoryTable")),
                            HistoryFunctionConfig.RETENTION_DAYS, "400",
                            HistoryFunctionConfig.DEAD_LETTER_QUEUE_URL,
                            Map.of("Ref", logicalId("AWS::SQS::Queue", pipeline + "QueueDeadLetters")))))));
        }
    }

    @Test
    void shouldLetEachEventFunctionSendToItsOwnDeadLetterQueue() {
        for (String pipeline : List.of("EcsEvents", "Ec2Events")) {
            Map<String, Object> statements = Templates.statementsOf(template, pipeline + "HandlerRoleDefaultPolicy");
            assertThat(statements.toString()).contains("sqs:SendMessage")
                    .contains(logicalId("AWS::SQS::Queue", pipeline + "QueueDeadLetters"));
        }
    }

    @Test
    void shouldRunTheReconcilerOnItsScheduleWithRetriesAndADeadLetterQueue() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", ReconcilerHandler.class.getName(),
                "Timeout", 600,
                "Environment", Map.of("Variables", Match.exact(Map.of(
                        ReconcilerConfig.TABLE, Map.of("Ref", logicalId("AWS::DynamoDB::Table", "HistoryTable")),
                        ReconcilerConfig.RETENTION_DAYS, "400")))));
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(6 hours)",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(logicalId("AWS::Lambda::Function", "ReconciliationReconcilerFunction"), "Arn")),
                        "RetryPolicy", Map.of("MaximumEventAgeInSeconds", 3600, "MaximumRetryAttempts", 2),
                        "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt",
                                List.of(logicalId("AWS::SQS::Queue", "ReconciliationDeadLetters"), "Arn"))))))));
    }

    @Test
    void shouldPublishTheAreasFileTextThroughTheProviderFramework() throws IOException {
        String areas = Files.readString(SynthesizedApp.REPO.resolve("infra-cdk/config/areas.example.json"));
        template.hasResourceProperties("Custom::ProductAreaMap", Map.of(
                "Areas", areas,
                "ServiceToken", Map.of("Fn::GetAtt",
                        List.of(logicalId("AWS::Lambda::Function", "ProductAreaMapProviderframeworkonEvent"), "Arn"))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", ProductAreaPublisher.class.getName(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        HistoryFunctionConfig.TABLE, Map.of("Ref", logicalId("AWS::DynamoDB::Table", "HistoryTable")))))));
    }

    private String logicalId(String type, String prefix) {
        return Templates.logicalId(template, type, prefix);
    }
}
