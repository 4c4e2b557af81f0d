package dev.tally.infra;

import dev.tally.aws.PrivacyEnvironment;
import dev.tally.aws.dynamodb.PrivacyTable;
import dev.tally.aws.redshift.DataApiTarget;
import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.functions.privacy.PrivacyApiConfig;
import dev.tally.functions.privacy.PrivacyApiHandler;
import dev.tally.functions.privacy.PrivacyRoutes;
import dev.tally.functions.privacy.PrivacySweepHandler;
import dev.tally.functions.privacy.worker.ArchiveSliceHandler;
import dev.tally.functions.privacy.worker.StartRequestsHandler;
import dev.tally.functions.privacy.worker.WorkHandler;
import dev.tally.functions.privacy.worker.WorkerConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static dev.tally.infra.Templates.properties;
import static dev.tally.infra.Templates.resources;
import static org.assertj.core.api.Assertions.assertThat;

class PrivacyStackTest {
    private static final String WORKGROUP =
            "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private final Template template = SynthesizedApp.get().privacy;

    @Test
    void shouldDeclareTheRecordsTableAsTheStoreCreatesIt_encryptedWithItsOwnKey_withPitrAndTtl() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", PrivacyTable.PK, "KeyType", "HASH"),
                        Map.of("AttributeName", PrivacyTable.SK, "KeyType", "RANGE")),
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", PrivacyTable.OPEN_INDEX,
                        "KeySchema", List.of(
                                Map.of("AttributeName", PrivacyTable.OPEN_PK, "KeyType", "HASH"),
                                Map.of("AttributeName", PrivacyTable.DUE_AT, "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY"))),
                "TimeToLiveSpecification", Map.of("AttributeName", PrivacyTable.EXPIRES_AT, "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Match.objectLike(Map.of("SSEEnabled", true, "SSEType", "KMS",
                        "KMSMasterKeyId", Match.anyValue())),
                "DeletionProtectionEnabled", true));
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        template.hasResourceProperties("AWS::SecretsManager::Secret", Map.of("GenerateSecretString",
                Match.objectLike(Map.of("PasswordLength", 64, "ExcludePunctuation", true))));
    }

    @Test
    void shouldRouteEveryRouteOfTheHandler_onTheJwtApiAndTheIamApi_andNothingElse() {
        Map<String, Map<String, Object>> routes = resources(template, "AWS::ApiGatewayV2::Route");
        List<String> expected = PrivacyRoutes.ALL.stream().map(PrivacyRoutes.Route::toString).toList();
        for (String authorization : List.of("JWT", "AWS_IAM")) {
            List<Object> keys = routes.values().stream().map(Templates::properties)
                    .filter(p -> authorization.equals(p.get("AuthorizationType"))).map(p -> p.get("RouteKey")).toList();
            assertThat(keys).as(authorization).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(routes).hasSize(2 * expected.size());
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "JWT",
                "IdentitySource", List.of("$request.header.Authorization"),
                "JwtConfiguration", Map.of(
                        "Issuer", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1",
                        "Audience", List.of("3n4mpl3cl13nt1d"))));
    }

    @Test
    void shouldThrottleAndAccessLogBothStages_withoutAnythingThatNamesASubject() {
        Map<String, Map<String, Object>> stages = resources(template, "AWS::ApiGatewayV2::Stage");
        assertThat(stages).hasSize(2).allSatisfy((id, stage) -> {
            Map<String, Object> props = properties(stage);
            assertThat(props).containsEntry("StageName", "$default").containsEntry("AutoDeploy", true);
            assertThat(props.get("DefaultRouteSettings"))
                    .isEqualTo(Map.of("ThrottlingRateLimit", 25, "ThrottlingBurstLimit", 50));
            @SuppressWarnings("unchecked")
            String format = ((Map<String, Object>) props.get("AccessLogSettings")).get("Format").toString();
            assertThat(format).contains("$context.requestId", "$context.routeKey", "$context.status")
                    .doesNotContain("$context.path", "sourceIp", "claims", "$context.requestOverride");
        });
    }

    @Test
    void shouldGiveEachFunctionTheVariablesItsConfigReads() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", PrivacyApiHandler.class.getName(),
                "Runtime", "java21", "Architectures", List.of("arm64"), "MemorySize", 1024, "Timeout", 15,
                "TracingConfig", Map.of("Mode", "Active"),
                "Layers", List.of(Match.anyValue()),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        PrivacyApiConfig.TABLE, Match.anyValue(),
                        PrivacyApiConfig.QUEUE_URL, Match.anyValue(),
                        PrivacyApiConfig.KEY_SECRET_ID, Match.anyValue(),
                        PrivacyApiConfig.CODE_FROM, "privacy@example.com",
                        PrivacyApiConfig.ADMIN_PRINCIPALS, "arn:aws:iam::123456789012:role/privacy-operator",
                        PrivacyApiConfig.ADMIN_SCOPE, "privacy:admin",
                        PrivacyApiConfig.RECORD_RETENTION_DAYS, "760",
                        PrivacyApiConfig.CONFIG_FILE, "/opt/tally/privacy.json")))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", PrivacySweepHandler.class.getName(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        PrivacyApiConfig.TABLE, Match.anyValue(), PrivacyApiConfig.CODE_FROM, "privacy@example.com")))));
        for (Class<?> handler : List.of(StartRequestsHandler.class, WorkHandler.class)) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", handler.getName(),
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            WorkerConfig.TABLE, Match.anyValue(),
                            WorkerConfig.KEY_SECRET_ID, Match.anyValue(),
                            WorkerConfig.WORK_QUEUE_URL, Match.anyValue(),
                            WorkerConfig.DEAD_LETTER_QUEUE_URL, Match.anyValue(),
                            WorkerConfig.LEASE_MINUTES, "20",
                            WorkerConfig.CONFIG_FILE, "/opt/tally/privacy.json",
                            WarehouseEnvironment.KIND, "redshift",
                            DataApiTarget.WORKGROUP, WORKGROUP)))));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", WorkHandler.class.getName(), "MemorySize", 2048, "Timeout", 900));
        assertThat(resources(template, "AWS::Lambda::Function").values().stream().map(Templates::properties)
                .map(p -> ((Map<?, ?>) ((Map<?, ?>) p.get("Environment")).get("Variables")).keySet().toString()))
                .as("the document comes as a file, not in the environment (4 KB for all variables)")
                .noneMatch(names -> names.matches(".*\\b" + PrivacyEnvironment.CONFIG + "\\b(?!_).*"));
    }

    @Test
    void shouldFeedTheWorkersFromTheirQueues_oneWorkItemPerInvocation_withBoundedConcurrency() {
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 1,
                "ScalingConfig", Map.of("MaximumConcurrency", 10),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 6 * 900,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 6 * 60,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 hour)", "State", "ENABLED"));
    }

    @Test
    void shouldRunTheArchiveAsADistributedMap_theWorkFunctionStartingRunsAndTheSlicesRewritingObjects() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "StateMachineName", "TallyPrivacy-archive-pass",
                "TracingConfiguration", Map.of("Enabled", true),
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", false))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", ArchiveSliceHandler.class.getName(), "MemorySize", 2048, "Timeout", 900,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(WorkerConfig.TABLE, Match.anyValue())))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", WorkHandler.class.getName(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        WorkerConfig.ARCHIVE_PASS_STATE_MACHINE_ARN, Match.anyValue())))));
        Map<String, List<Object>> actionsByPolicy = new java.util.HashMap<>();
        Templates.policyStatements(template).forEach(entry -> actionsByPolicy
                .computeIfAbsent(entry.getKey(), k -> new java.util.ArrayList<>()).add(entry.getValue().get("Action")));
        String work = Templates.logicalId(template, "AWS::IAM::Policy", "WorkersWorkRoleDefaultPolicy");
        String slice = Templates.logicalId(template, "AWS::IAM::Policy", "ArchivePassSliceRoleDefaultPolicy");
        assertThat(actionsByPolicy.get(work).toString()).contains("states:StartExecution")
                .as("the work function no longer rewrites the archive itself").doesNotContain("s3:PutObject\"");
        assertThat(actionsByPolicy.get(work)).doesNotContain(List.of("s3:GetObject", "s3:GetObjectVersion",
                "s3:PutObject", "s3:DeleteObjectVersion"));
        assertThat(actionsByPolicy.get(slice)).contains(List.of("s3:GetObject", "s3:GetObjectVersion",
                "s3:PutObject", "s3:DeleteObjectVersion"));
    }

    @Test
    void shouldLetTheWorkFunctionTouchExactlyWhatTheDocumentsTargetsName() {
        List<Map<String, Object>> statements = Templates.policyStatements(template).stream()
                .map(Map.Entry::getValue).toList();
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.get("Action")).isEqualTo(List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                    "s3:DeleteObjectVersion"));
            assertThat(s.get("Resource").toString()).contains("example-event-archive/raw/*",
                    "example-event-archive/replays/*");
        });
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.get("Action")).isEqualTo(List.of("s3:ListBucket", "s3:ListBucketVersions"));
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringLike", Map.of("s3:prefix",
                    List.of("raw/*", "replays/*"))));
        });
        assertThat(statements).filteredOn(s -> s.get("Resource").toString().contains(":secret:tally/crm-api-key-??????")
                || s.get("Resource").toString().contains(":secret:tally/support-desk-token-AbCdEf")).hasSize(2);
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.get("Action")).isEqualTo("ses:SendEmail");
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("ses:FromAddress", "privacy@example.com")));
        });
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.get("Action")).isEqualTo(List.of("redshift-data:ExecuteStatement",
                    "redshift-data:BatchExecuteStatement"));
            assertThat(s.get("Resource")).isEqualTo(WORKGROUP);
        });
    }
}
