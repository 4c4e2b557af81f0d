package dev.tally.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.redshift.DataApiTarget;
import dev.tally.functions.billing.BillingConfig;
import dev.tally.infra.billing.BillingStack;
import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.history.HistoryStack;
import dev.tally.infra.tagging.AreasFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other choices of the billing config: a bill bucket the stack creates, a provisioned Redshift cluster, the
 * amortized basis alone with an upfront ledger under an output prefix, ECS hosts split by AWS's split cost allocation
 * data.
 */
class BillingVariantTest {
    private static BillingStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() throws IOException {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(SynthesizedApp.EXAMPLE_CONFIG.toFile());
        ObjectNode billing = (ObjectNode) config.get("billing");
        billing.putObject("billBucket").put("create", true);
        billing.putObject("notifications").put("prefix", "");
        ObjectNode warehouse = (ObjectNode) billing.get("warehouse");
        warehouse.remove("workgroupArn");
        warehouse.put("clusterId", "analytics");
        billing.putArray("costBases").add("amortized");
        billing.put("outputPrefix", "tally");
        billing.put("upfrontLedgerKey", "tally/config/upfront-ledger.json");
        billing.put("businessMetricsKey", "tally/config/business-metrics.csv");
        billing.put("ecsSplit", "aws");
        App app = SynthesizedApp.newApp(Map.of(), Files.createTempDirectory("tally-cdk"));
        TallyConfig parsed = TallyConfig.parse(config.toString(), "variant", SynthesizedApp.EXAMPLE_CONFIG.getParent());
        TallyStacks stacks = TallyStacks.create(app, new Deployment(parsed, AreasFile.read(parsed.areasFile()),
                FunctionJars.from(app.getNode())));
        app.synth();
        stack = stacks.billing();
        template = Template.fromStack(stack);
    }

    @Test
    void shouldCreateAPrivateLoggedBillBucketTheBillingServicesMayWriteTo() {
        template.resourceCountIs("AWS::S3::Bucket", 3);
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "bills/"))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", List.of("billingreports.amazonaws.com",
                                "bcm-data-exports.amazonaws.com")),
                        "Action", List.of("s3:PutObject", "s3:GetBucketPolicy"),
                        "Condition", Match.objectLike(Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", "123456789012"))))))))));
    }

    @Test
    void shouldNotifyForEverySuffixWithoutAPrefix_whenNoneIsConfigured() {
        template.hasResourceProperties("Custom::S3BucketNotifications", Map.of("NotificationConfiguration",
                Map.of("LambdaFunctionConfigurations", List.of(
                        Match.objectLike(Map.of("Filter", Map.of("Key", Map.of("FilterRules",
                                List.of(Map.of("Name", "suffix", "Value", "-Manifest.json")))))),
                        Match.objectLike(Map.of("Filter", Map.of("Key", Map.of("FilterRules",
                                List.of(Map.of("Name", "suffix", "Value", ".csv.zip"))))))))));
    }

    @Test
    void shouldScopeTheDataApiToTheClusterOfTheDeployment() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of(DataApiTarget.CLUSTER, "analytics")))));
        assertThat(Templates.statementsOf(template, "BillingRollupRoleDefaultPolicy").values().toString())
                .contains("Resource=arn:aws:redshift:eu-west-1:123456789012:cluster:analytics");
    }

    @Test
    void shouldRollUpTheConfiguredBasisOnly_withTheUpfrontLedgerItNames_andProjectThatBasisOnly() {
        for (String handler : List.of(dev.tally.functions.billing.BillingRollupHandler.class.getName(),
                dev.tally.functions.billing.BillMergeHandler.class.getName())) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", handler,
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            BillingConfig.COST_BASES, "amortized",
                            BillingConfig.OUTPUT_PREFIX, "tally/",
                            BillingConfig.UPFRONT_LEDGER_KEY, "tally/config/upfront-ledger.json",
                            BillingConfig.BUSINESS_METRICS_KEY, "tally/config/business-metrics.csv")))));
        }
        template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of(
                "Name", "service_costs_finalized",
                "Parameters", Match.objectLike(Map.of("projection.cost_basis.type", "enum",
                        "projection.cost_basis.values", "amortized",
                        "storage.location.template", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                                "/tally/finalized/service_costs/billing_period=${billing_period}/"
                                        + "cost_basis=${cost_basis}/"))))))))));
    }

    @Test
    void shouldSplitEcsHostsByAwsSplit_inTheBillingPartAndMergeFunctions_asConfigured() {
        for (String handler : List.of(dev.tally.functions.billing.BillingRollupHandler.class.getName(),
                dev.tally.functions.billing.BillPartHandler.class.getName(),
                dev.tally.functions.billing.BillMergeHandler.class.getName())) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", handler,
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(BillingConfig.ECS_SPLIT, "aws")))));
        }
    }

    @Test
    void shouldStayCdkNagClean() {
        assertThat(Templates.messages(Annotations.fromStack(stack).findError("*", Match.anyValue()))).isEmpty();
        assertThat(HistoryStack.SERVICE).isNotEqualTo(BillingStack.SERVICE);
    }
}
