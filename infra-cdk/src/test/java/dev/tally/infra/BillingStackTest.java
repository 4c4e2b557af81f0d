package dev.tally.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.dynamodb.DeliveryTable;
import dev.tally.aws.redshift.DataApiTarget;
import dev.tally.delivery.DistributedRun;
import dev.tally.functions.billing.BillMergeHandler;
import dev.tally.functions.billing.BillPartHandler;
import dev.tally.functions.billing.BillingConfig;
import dev.tally.functions.billing.BillingRollupHandler;
import dev.tally.rollup.RollupTables;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BillingStackTest {
    private static final String WORKGROUP =
            "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tally/redshift-AbCdEf";

    private final Template template = SynthesizedApp.get().billing;

    @Test
    void shouldNotifyTheFunctionOfManifestsAndDbrZipsUnderThePrefixOnly() {
        template.hasResourceProperties("Custom::S3BucketNotifications", Map.of(
                "BucketName", "example-billing-reports",
                "Managed", false,
                "NotificationConfiguration", Map.of("LambdaFunctionConfigurations", List.of(
                        notification("-Manifest.json"), notification(".csv.zip")))));
    }

    private Map<String, Object> notification(String suffix) {
        return Map.of(
                "Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(
                        Map.of("Name", "suffix", "Value", suffix), Map.of("Name", "prefix", "Value", "cur/")))),
                "LambdaFunctionArn", Map.of("Fn::GetAtt", List.of(functionId(), "Arn")));
    }

    @Test
    void shouldSizeTheFunctionAsTheBillingDocSays() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", BillingRollupHandler.class.getName(),
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "MemorySize", 3008,
                "Timeout", 900,
                "EphemeralStorage", Map.of("Size", 512),
                "ReservedConcurrentExecutions", 1,
                "TracingConfig", Map.of("Mode", "Active")));
    }

    @Test
    void shouldConfigureTheFunctionWithTheNamesItsConfigReads() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", BillingRollupHandler.class.getName(),
                "Environment", Map.of("Variables", Match.exact(Map.ofEntries(
                        Map.entry(BillingConfig.OUTPUT_BUCKET, Map.of("Ref", id("AWS::S3::Bucket", "RollupsOutput"))),
                        Map.entry(BillingConfig.OUTPUT_PREFIX, ""),
                        Map.entry(BillingConfig.DELIVERIES_TABLE, Map.of("Ref", id("AWS::DynamoDB::Table", "Deliveries"))),
                        Map.entry(BillingConfig.HISTORY_TABLE, Map.of("Fn::ImportValue", Match.stringLikeRegexp("TallyHistory:.*HistoryTable.*"))),
                        Map.entry(BillingConfig.RETENTION_DAYS, "400"),
                        Map.entry(BillingConfig.TAG_KEY, "product_area"),
                        Map.entry(BillingConfig.LEASE_MINUTES, "20"),
                        Map.entry(BillingConfig.LEDGER_RETENTION_DAYS, "400"),
                        Map.entry(BillingConfig.WAREHOUSE, "redshift"),
                        Map.entry(DataApiTarget.WORKGROUP, WORKGROUP),
                        Map.entry(DataApiTarget.DATABASE, "dev"),
                        Map.entry(DataApiTarget.SECRET_ARN, SECRET),
                        Map.entry(BillingConfig.COPY_ROLE_ARN, "arn:aws:iam::123456789012:role/tally-redshift-copy"),
                        Map.entry(BillingConfig.DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN,
                                Map.of("Ref", id("AWS::StepFunctions::StateMachine", "DistributedRollupStateMachine"))),
                        Map.entry(BillingConfig.DISTRIBUTED_MIN_PARTS, "2"),
                        Map.entry(BillingConfig.COST_BASES, "unblended,amortized"),
                        Map.entry(BillingConfig.ECS_SPLIT, "events"),
                        Map.entry(BillingConfig.ALERT_RULES, RULES),
                        Map.entry(BillingConfig.ALERT_TOPIC_ARN,
                                Map.of("Ref", id("AWS::SNS::Topic", "SpendAlertsTopic"))))))));
    }

    /** The example config's alert rules, as the function's environment carries them (compact JSON). */
    private static final String RULES = "{\"default\":{\"absolute\":\"1000.00\",\"relative\":\"0.25\","
            + "\"min_spend\":\"500.00\"},\"product_areas\":{\"(unallocated)\":{\"relative\":\"0.10\","
            + "\"min_spend\":\"100.00\"}},\"watch\":[\"product_area\",\"service\"]}";

    @Test
    void shouldSendSpendAlertsToAnEncryptedTlsOnlyTopic_thatOnlyTheRunFinishingFunctionsMayPublishTo() {
        String topic = id("AWS::SNS::Topic", "SpendAlertsTopic");
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("DisplayName", "Tally spend alerts",
                "KmsMasterKeyId", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":kms:eu-west-1:123456789012:alias/aws/sns")))));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email",
                "Endpoint", "finops@example.com", "TopicArn", Map.of("Ref", topic)));
        for (String function : List.of("BillingRollup", "DistributedRollupMerge")) {
            template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                    "Roles", Match.arrayWith(List.of(Match.objectLike(Map.of("Ref",
                            Match.stringLikeRegexp(function + ".*Role.*"))))),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Allow", "Action", "sns:Publish", "Resource", Map.of("Ref", topic))))))));
        }
    }

    @Test
    void shouldRollUpBillsOfManyPartsByADistributedMapOverTheParts_thenTheMerge() throws Exception {
        String machine = id("AWS::StepFunctions::StateMachine", "DistributedRollupStateMachine");
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "StateMachineName", "TallyBilling-distributed-rollup",
                "TracingConfiguration", Map.of("Enabled", true),
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", false))));
        JsonNode definition = new ObjectMapper().readTree(Templates.definition(template, machine));
        JsonNode map = definition.path("States").path(definition.path("StartAt").asText());
        String part = id("AWS::Lambda::Function", "DistributedRollupPartFunction");
        String merge = id("AWS::Lambda::Function", "DistributedRollupMergeFunction");

        assertThat(map.path("Type").asText()).isEqualTo("Map");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText()).isEqualTo("DISTRIBUTED");
        assertThat(map.path("MaxConcurrency").asInt()).isEqualTo(10);
        assertThat(map.path("ItemReader").path("Resource").asText()).endsWith(":states:::s3:getObject");
        assertThat(map.path("ItemReader").path("Parameters").path("Key.$").asText())
                .isEqualTo("$." + DistributedRun.PARTS_KEY);
        assertThat(map.path("ItemReader").path("Parameters").path("Bucket").asText())
                .isEqualTo("<" + id("AWS::S3::Bucket", "RollupsOutput") + ">");
        assertThat(map.path("ItemSelector").path(BillPartHandler.RUN + ".$").asText()).isEqualTo("$");
        assertThat(map.path("ItemSelector").path(BillPartHandler.PART + ".$").asText()).isEqualTo("$$.Map.Item.Value");
        assertThat(map.path("ResultPath").isNull()).isTrue();
        JsonNode readPart = map.path("ItemProcessor").path("States").path("ReadPart");
        assertThat(readPart.path("Resource").asText()).isEqualTo("<" + part + ">");
        JsonNode mergeState = definition.path("States").path(map.path("Next").asText());
        assertThat(mergeState.path("Resource").asText()).isEqualTo("<" + merge + ">");
        assertThat(mergeState.path("End").asBoolean()).isTrue();
        for (JsonNode task : List.of(readPart, mergeState)) {
            assertThat(task.path("Retry").findValues("ErrorEquals").toString())
                    .contains("States.TaskFailed", "Lambda.ServiceException");
        }
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", BillPartHandler.class.getName(), "MemorySize", 3008, "Timeout", 900,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(BillingConfig.OUTPUT_BUCKET, Match.anyValue(),
                        BillingConfig.HISTORY_TABLE, Match.anyValue(), BillingConfig.ECS_SPLIT, "events")))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", BillMergeHandler.class.getName(), "MemorySize", 3008, "Timeout", 900,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(BillingConfig.ECS_SPLIT, "events")))));
    }

    @Test
    void shouldLetTheBillingFunctionStartRuns_thePartsWriteOnlyTheirWork_andTheMachineInvokeItsTwoFunctions() {
        String machine = id("AWS::StepFunctions::StateMachine", "DistributedRollupStateMachine");
        assertThat(Templates.statementsOf(template, "BillingRollupRoleDefaultPolicy").values())
                .contains(Map.of("Action", "states:StartExecution", "Effect", "Allow", "Resource",
                        Map.of("Ref", machine)));
        String part = Templates.statementsOf(template, "DistributedRollupPartRoleDefaultPolicy").values().toString();
        assertThat(part).contains("s3:PutObject").contains("/work/*")
                .doesNotContain("dynamodb:PutItem").doesNotContain("states:");
        String roles = Templates.statementsOf(template, "DistributedRollupStateMachineRoleDefaultPolicy").values()
                .toString();
        assertThat(roles).contains("lambda:InvokeFunction", id("AWS::Lambda::Function", "DistributedRollupPartFunction"),
                id("AWS::Lambda::Function", "DistributedRollupMergeFunction")).doesNotContain("BillingRollupFunction")
                .doesNotContain("s3:PutObject");
        String merge = Templates.statementsOf(template, "DistributedRollupMergeRoleDefaultPolicy").values().toString();
        assertThat(merge).contains("dynamodb:PutItem", "redshift-data:ExecuteStatement");
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Prefix", "work/", "ExpirationInDays", 14,
                        "Status", "Enabled")))))));
    }

    @Test
    void shouldRetryFailedInvocationsThenKeepThemInADeadLetterQueue() {
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", Map.of("Ref", functionId()),
                "MaximumRetryAttempts", 2,
                "MaximumEventAgeInSeconds", 21600,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination",
                        Map.of("Fn::GetAtt", List.of(id("AWS::SQS::Queue", "DeadLetters"), "Arn"))))));
    }

    @Test
    void shouldKeepDeliveriesInATableShapedAsTheLedgerCreatesIt() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", DeliveryTable.PK, "KeyType", "HASH"),
                        Map.of("AttributeName", DeliveryTable.SK, "KeyType", "RANGE")),
                "TimeToLiveSpecification", Map.of("AttributeName", DeliveryTable.EXPIRES_AT, "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true)));
    }

    @Test
    void shouldKeepRollupsInAnEncryptedPrivateVersionedLoggedBucket() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LoggingConfiguration", Map.of(
                        "DestinationBucketName", Map.of("Ref", id("AWS::S3::Bucket", "RollupsAccessLogs")),
                        "LogFilePrefix", "output/")));
        template.allResourcesProperties("AWS::S3::Bucket", Map.of("PublicAccessBlockConfiguration", Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true)));
    }

    @Test
    void shouldDeclareGlueTablesOverEveryRunWithProjectedPeriodBasisAndRunId() {
        for (RollupTables table : RollupTables.values()) {
            String runs = "/rollups/" + table.id() + "/";
            template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of(
                    "Name", table.id() + "_rollup",
                    "TableType", "EXTERNAL_TABLE",
                    "PartitionKeys", List.of(Map.of("Name", "billing_period", "Type", "string"),
                            Map.of("Name", "cost_basis", "Type", "string"), Map.of("Name", "run_id", "Type", "string")),
                    "Parameters", Match.exact(Map.ofEntries(
                            Map.entry("classification", "csv"),
                            Map.entry("skip.header.line.count", "1"),
                            Map.entry("projection.enabled", "true"),
                            Map.entry("projection.billing_period.type", "date"),
                            Map.entry("projection.billing_period.format", "yyyy-MM"),
                            Map.entry("projection.billing_period.range", "2015-01,NOW"),
                            Map.entry("projection.billing_period.interval", "1"),
                            Map.entry("projection.billing_period.interval.unit", "MONTHS"),
                            Map.entry("projection.cost_basis.type", "enum"),
                            Map.entry("projection.cost_basis.values", "unblended,amortized"),
                            Map.entry("projection.run_id.type", "injected"),
                            Map.entry("storage.location.template", s3(runs
                                    + "billing_period=${billing_period}/cost_basis=${cost_basis}/run_id=${run_id}/")))),
                    "StorageDescriptor", Match.objectLike(Map.of(
                            "Location", s3(runs),
                            "Columns", columns(table),
                            "SerdeInfo", Match.objectLike(Map.of(
                                    "SerializationLibrary", "org.apache.hadoop.hive.serde2.OpenCSVSerde"))))))));
        }
    }

    @Test
    void shouldDeclareGlueTablesOverTheFinalizedTablesWithProjectedPeriodAndBasis() {
        for (RollupTables table : RollupTables.values()) {
            String finalized = "/finalized/" + table.id() + "/";
            template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of(
                    "Name", table.id() + "_finalized",
                    "PartitionKeys", List.of(Map.of("Name", "billing_period", "Type", "string"),
                            Map.of("Name", "cost_basis", "Type", "string")),
                    "Parameters", Match.objectLike(Map.of(
                            "projection.billing_period.type", "date",
                            "projection.cost_basis.type", "enum",
                            "projection.cost_basis.values", "unblended,amortized",
                            "storage.location.template", s3(finalized
                                    + "billing_period=${billing_period}/cost_basis=${cost_basis}/"))),
                    "StorageDescriptor", Match.objectLike(Map.of("Location", s3(finalized), "Columns", columns(table)))))));
        }
        template.hasResourceProperties("AWS::Glue::Database", Map.of(
                "CatalogId", "123456789012", "DatabaseInput", Match.objectLike(Map.of("Name", "tally"))));
    }

    /** The money columns of the tables (allocation contract §6, §9), as exact decimals in Athena. */
    private static final java.util.Set<String> MONEY = java.util.Set.of("cost", "events_cost", "aws_cost", "difference");

    /** The code's columns without the period, every money column as an exact decimal. */
    private static List<Map<String, String>> columns(RollupTables table) {
        List<Map<String, String>> columns = new ArrayList<>();
        for (String column : table.columns().subList(1, table.columns().size())) {
            columns.add(Map.of("Name", column, "Type", MONEY.contains(column) ? "decimal(38,10)" : "string"));
        }
        assertThat(table.columns().get(0)).isEqualTo("billing_period");
        return columns;
    }

    @Test
    void shouldDeclareTheEcsSplitComparison_withItsThreeMoneyColumnsAsExactDecimals() {
        List<Map<String, String>> columns = List.of(Map.of("Name", "cluster", "Type", "string"),
                Map.of("Name", "service", "Type", "string"), Map.of("Name", "product_area", "Type", "string"),
                Map.of("Name", "events_cost", "Type", "decimal(38,10)"),
                Map.of("Name", "aws_cost", "Type", "decimal(38,10)"),
                Map.of("Name", "difference", "Type", "decimal(38,10)"));
        for (String kind : List.of("rollup", "finalized")) {
            template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of(
                    "Name", "ecs_split_comparison_" + kind,
                    "Parameters", Match.objectLike(Map.of("skip.header.line.count", "1",
                            "projection.cost_basis.values", "unblended,amortized")),
                    "StorageDescriptor", Match.objectLike(Map.of(
                            "Location", s3("/" + kind.replace("rollup", "rollups") + "/ecs_split_comparison/"),
                            "Columns", columns))))));
        }
    }

    private Map<String, Object> s3(String path) {
        return Map.of("Fn::Join", List.of("", List.of("s3://", Map.of("Ref", id("AWS::S3::Bucket", "RollupsOutput")), path)));
    }

    @Test
    void shouldLetTheFunctionRunStatementsOnTheConfiguredWorkgroupAndReadItsSecretOnly() {
        String statements = Templates.statementsOf(template, "BillingRollupRoleDefaultPolicy").values().toString();
        assertThat(statements)
                .contains("Action=[redshift-data:ExecuteStatement, redshift-data:BatchExecuteStatement], Effect=Allow, Resource="
                        + WORKGROUP)
                .contains("Action=[secretsmanager:GetSecretValue, secretsmanager:DescribeSecret], Effect=Allow, Resource="
                        + SECRET)
                .contains("redshift-data:statement-owner-iam-userid=${aws:userid}");
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of("tally-redshift-copy"),
                "PolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Action", List.of("s3:GetObject*", "s3:GetBucket*", "s3:List*")))))));
    }

    private String functionId() {
        return id("AWS::Lambda::Function", "BillingRollupFunction");
    }

    private String id(String type, String prefix) {
        return Templates.logicalId(template, type, prefix);
    }
}
