package dev.tally.infra.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TallyConfigTest {
    static final Path REPO = Path.of(System.getProperty("tally.repo.root", "..")).toAbsolutePath().normalize();
    static final Path EXAMPLE = REPO.resolve("infra-cdk/config/example.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadTheExampleConfig() {
        TallyConfig config = TallyConfig.load(EXAMPLE);

        assertThat(config.environment()).isEqualTo(new TallyConfig.DeployEnvironment("123456789012", "eu-west-1"));
        assertThat(config.tagKey()).isEqualTo("product_area");
        assertThat(config.areasFile()).isEqualTo(REPO.resolve("infra-cdk/config/areas.example.json"));
        assertThat(config.history()).isEqualTo(new HistorySection(400, 6));
        assertThat(config.billing().billBucketName()).contains("example-billing-reports");
        assertThat(config.billing().suffixes()).containsExactly("-Manifest.json", ".csv.zip");
        assertThat(config.billing().warehouse().enabled()).isTrue();
        assertThat(config.billing().warehouse().resourceArn()).startsWith("arn:aws:redshift-serverless:eu-west-1:");
        assertThat(config.stagingAccounts()).containsExactly("210987654321");
    }

    @Test
    void shouldNameTheKey_whenTheTagKeyIsEmpty() {
        assertProblems(c -> c.put("tagKey", ""), "tagKey: must not be empty");
    }

    @Test
    void shouldNameTheNestedKey_whenTheRetentionIsNotAPositiveInteger() {
        assertProblems(c -> ((ObjectNode) c.get("history")).put("retentionDays", -3),
                "history.retentionDays: must be a positive integer");
        assertProblems(c -> ((ObjectNode) c.get("history")).put("retentionDays", "400"),
                "history.retentionDays: must be a positive integer");
    }

    @Test
    void shouldReportEveryProblemAtOnce_eachByItsKey() {
        assertProblems(c -> {
            c.remove("alarmEmail");
            c.put("logRetentionDays", 42);
            ((ObjectNode) c.get("environment")).put("account", "12345");
            c.put("tagkey", "typo");
        }, "tagkey: unknown key", "logRetentionDays: must be a CloudWatch Logs retention period",
                "environment.account: must be a 12-digit account id, was '12345'", "alarmEmail: is required");
    }

    @Test
    void shouldRefuseOverlappingNotificationSuffixes() {
        assertProblems(c -> ((ObjectNode) c.get("billing")).putObject("notifications").putArray("suffixes")
                .add("-Manifest.json").add("Manifest.json"), "billing.notifications.suffixes: '-Manifest.json' overlaps");
    }

    @Test
    void shouldReadTheDistributedRollup_andNameItsKeysWhenWrong() {
        assertThat(TallyConfig.load(EXAMPLE).billing().distributedRollup())
                .contains(new BillingSection.DistributedRollup(2, 10));
        assertProblems(c -> ((ObjectNode) c.get("billing")).putObject("distributedRollup").put("minParts", 1)
                .put("maxConcurrency", 5000).put("parts", 3), "billing.distributedRollup.parts: unknown key",
                "billing.distributedRollup.minParts: must be at least 2",
                "billing.distributedRollup.maxConcurrency: must be at most 1000, was 5000");
    }

    @Test
    void shouldRollUpEveryBillInTheFunction_withoutTheDistributedRollup() throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(EXAMPLE.toFile());
        ((ObjectNode) config.get("billing")).remove("distributedRollup");

        assertThat(TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent()).billing().distributedRollup())
                .isEmpty();
    }

    @Test
    void shouldReadTheCostBases_unblendedAloneWithoutTheKey() throws IOException {
        assertThat(TallyConfig.load(EXAMPLE).billing().costBases())
                .containsExactly(dev.tally.billing.CostBasis.UNBLENDED, dev.tally.billing.CostBasis.AMORTIZED);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(EXAMPLE.toFile());
        ((ObjectNode) config.get("billing")).remove("costBases");

        TallyConfig parsed = TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent());

        assertThat(parsed.billing().costBases()).containsExactly(dev.tally.billing.CostBasis.UNBLENDED);
        assertThat(parsed.billing().upfrontLedgerKey()).isEmpty();
    }

    @Test
    void shouldReadTheEcsSplit_eventsWithoutTheKey() throws IOException {
        assertThat(TallyConfig.load(EXAMPLE).billing().ecsSplit()).isEqualTo(dev.tally.billing.EcsSplit.EVENTS);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(EXAMPLE.toFile());
        ((ObjectNode) config.get("billing")).remove("ecsSplit");
        assertThat(TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent()).billing().ecsSplit())
                .isEqualTo(dev.tally.billing.EcsSplit.EVENTS);
        ((ObjectNode) config.get("billing")).put("ecsSplit", "aws");
        assertThat(TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent()).billing().ecsSplit())
                .isEqualTo(dev.tally.billing.EcsSplit.AWS);
    }

    @Test
    void shouldNameTheEcsSplitKey_whenItIsNeitherEventsNorAws() {
        assertProblems(c -> ((ObjectNode) c.get("billing")).put("ecsSplit", "cpu"),
                "billing.ecsSplit: must be \"events\" or \"aws\", was 'cpu'");
        assertProblems(c -> ((ObjectNode) c.get("billing")).put("ecsSplit", 1), "billing.ecsSplit: must be a string");
        assertProblems(c -> ((ObjectNode) c.get("billing")).put("ecsSplit", " "), "billing.ecsSplit: must not be empty");
    }

    @Test
    void shouldNameTheCostBasesKey_whenABasisIsUnknownTwiceOrNone() {
        assertProblems(c -> ((ObjectNode) c.get("billing")).putArray("costBases").add("blended").add("amortized")
                .add("amortized"), "billing.costBases: 'blended' is not a cost basis (unblended or amortized)",
                "billing.costBases: names amortized twice");
        assertProblems(c -> ((ObjectNode) c.get("billing")).putArray("costBases"),
                "billing.costBases: must name at least one cost basis");
    }

    @Test
    void shouldRefuseAnUpfrontLedger_withoutTheAmortizedBasis_orOutsideTheOutputPrefix() {
        assertProblems(c -> {
            ObjectNode billing = (ObjectNode) c.get("billing");
            billing.putArray("costBases").add("unblended");
            billing.put("upfrontLedgerKey", "upfront.json");
        }, "billing.upfrontLedgerKey: spreads DBR upfront fees on the amortized basis");
        assertProblems(c -> {
            ObjectNode billing = (ObjectNode) c.get("billing");
            billing.put("outputPrefix", "tally/");
            billing.put("upfrontLedgerKey", "config/upfront.json");
        }, "billing.upfrontLedgerKey: must be an object key under outputPrefix 'tally/'");
    }

    @Test
    void shouldCheckTheAlertRulesAsTheFunctionDoes_andNameTheKey() {
        assertProblems(c -> ((ObjectNode) c.get("billing").get("alerts").get("rules")).putObject("default")
                .put("relative", "a lot"), "billing.alerts.rules: default.relative must be a decimal number");
        assertProblems(c -> ((ObjectNode) c.get("billing").get("alerts")).remove("rules"),
                "billing.alerts.rules: is required");
        assertProblems(c -> ((ObjectNode) c.get("billing").get("alerts")).putArray("emails").add("not-an-address"),
                "billing.alerts.emails");
        assertProblems(c -> ((ObjectNode) c.get("billing").get("alerts")).put("webhookSecretName", "a secret"),
                "billing.alerts.webhookSecretName: must be a Secrets Manager secret name");
        assertProblems(c -> ((ObjectNode) c.get("billing").get("alerts").get("rules")).putObject("services")
                .putObject("x".repeat(2100)), "billing.alerts.rules: is ");
    }

    @Test
    void shouldReadTheAlertsOfTheExample() throws IOException {
        TallyConfig parsed = TallyConfig.parse(Files.readString(EXAMPLE), "test", EXAMPLE.getParent());

        assertThat(parsed.billing().alerts()).hasValueSatisfying(alerts -> {
            assertThat(alerts.emails()).containsExactly("finops@example.com");
            assertThat(alerts.rules()).startsWith("{\"default\":{\"absolute\":\"1000.00\"");
            assertThat(alerts.webhookSecretName()).isEmpty();
        });
    }

    @Test
    void shouldRequireEitherAnExistingOrACreatedBillBucket() {
        assertProblems(c -> ((ObjectNode) c.get("billing")).putObject("billBucket").put("name", "x-bucket").put("create", true),
                "billing.billBucket: give either name (an existing bucket) or create: true");
    }

    @Test
    void shouldRequireOneRedshiftTarget_andASecretForACluster() {
        assertProblems(c -> {
            ObjectNode warehouse = (ObjectNode) c.get("billing").get("warehouse");
            warehouse.put("clusterId", "analytics");
            warehouse.remove("secretArn");
        }, "billing.warehouse.workgroupArn: give either workgroupArn or clusterId");
        assertProblems(c -> {
            ObjectNode warehouse = (ObjectNode) c.get("billing").get("warehouse");
            warehouse.remove("workgroupArn");
            warehouse.put("clusterId", "analytics");
            warehouse.remove("secretArn");
        }, "billing.warehouse.secretArn: is required with clusterId");
        assertProblems(c -> ((ObjectNode) c.get("billing").get("warehouse")).put("type", "snowflake"),
                "billing.warehouse.type: must be none or dataApi, was 'snowflake'");
    }

    @Test
    void shouldBuildTheClusterArnFromTheDeploymentsAccountAndRegion() throws IOException {
        ObjectNode config = example();
        ObjectNode warehouse = (ObjectNode) config.get("billing").get("warehouse");
        warehouse.remove("workgroupArn");
        warehouse.put("clusterId", "analytics");

        TallyConfig parsed = TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent());

        assertThat(parsed.billing().warehouse().resourceArn())
                .isEqualTo("arn:aws:redshift:eu-west-1:123456789012:cluster:analytics");
    }

    @Test
    void shouldReadThePrivacySection_andCheckItsDocumentAsTheWorkersDo() {
        PrivacySection privacy = TallyConfig.load(EXAMPLE).privacy();

        assertThat(privacy.codeFromAddress()).isEqualTo("privacy@example.com");
        assertThat(privacy.sesIdentity()).as("the address's domain").isEqualTo("example.com");
        assertThat(privacy.jwtAudiences()).containsExactly("3n4mpl3cl13nt1d");
        assertThat(privacy.recordRetentionDays()).isEqualTo(760);
        assertThat(privacy.document()).hasValueSatisfying(document -> assertThat(document.targets())
                .extracting(dev.tally.privacy.Target::name)
                .containsExactly("archive", "warehouse", "crm", "support-desk"));
    }

    @Test
    void shouldNameThePrivacyKeys_whenMissingOrWrong() {
        assertProblems(c -> {
            ObjectNode privacy = (ObjectNode) c.get("privacy");
            privacy.remove("jwt");
            privacy.put("codeFromAddress", "nobody");
            privacy.put("recordRetentionDays", 365);
            privacy.putArray("adminPrincipals").add("arn:aws:iam::123456789012:group/admins");
        }, "privacy.jwt.issuer: is required", "privacy.jwt.audiences: is required",
                "privacy.codeFromAddress: must be an email address", "privacy.recordRetentionDays: must be at least 730",
                "privacy.adminPrincipals[0]: must be an IAM role or user ARN");
    }

    @Test
    void shouldRefuseADocumentTheWorkersWouldRefuse_namingTheTargetsField() throws IOException {
        assertProblems(document("""
                {"targets": [{"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/delete", "mode": "ASYNC_JOB",
                              "body": "{\\"ids\\": {{subject_ids_json}}}"}]}
                """), "privacy.configDocument: doc.json: privacy config: targets[crm].job_id_path is required for "
                + "mode ASYNC_JOB");
        assertProblems(document("""
                {"targets": [], "secrets": {"crm-key": "k"}}
                """), "privacy.configDocument: doc.json: secrets is for local mode only");
        assertProblems(document("""
                {"targets": [{"name": "dw", "kind": "WAREHOUSE", "tables": ["a.b"], "columns": {"USER_ID": "u"}}]}
                """).andThen(c -> ((ObjectNode) c.get("billing")).putObject("warehouse").put("type", "none")),
                "privacy.configDocument: doc.json: targets[dw] is a WAREHOUSE target, but WAREHOUSE is none");
    }

    private static Consumer<ObjectNode> document(String text) throws IOException {
        Path file = Files.createTempDirectory("tally-privacy-doc").resolve("doc.json");
        Files.writeString(file, text);
        return c -> ((ObjectNode) c.get("privacy")).put("configDocument", file.toString());
    }

    @Test
    void shouldReadTheMonitoringThresholds_andTheirDefaultsWithoutTheSection() throws IOException {
        assertThat(TallyConfig.load(EXAMPLE).monitoring()).isEqualTo(new MonitoringSection(90, 36));

        ObjectNode config = example();
        config.remove("monitoring");
        assertThat(TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent()).monitoring())
                .isEqualTo(MonitoringSection.defaults()).isEqualTo(new MonitoringSection(90, 36));

        config.putObject("monitoring").put("minCoveragePercent", 97);
        assertThat(TallyConfig.parse(config.toString(), "test", EXAMPLE.getParent()).monitoring())
                .isEqualTo(new MonitoringSection(97, 36));
    }

    @Test
    void shouldNameTheMonitoringKeys_whenWrong() {
        assertProblems(c -> ((ObjectNode) c.get("monitoring")).put("minCoveragePercent", 120).put("billRunWithinHours", 200)
                        .put("coverage", 90),
                "monitoring.minCoveragePercent: must be a percentage from 1 to 100, was 120",
                "monitoring.billRunWithinHours: must be from 24 to 168 hours",
                "monitoring.coverage: unknown key");
        assertProblems(c -> ((ObjectNode) c.get("monitoring")).put("minCoveragePercent", 0).put("billRunWithinHours", 12),
                "monitoring.minCoveragePercent: must be a positive integer",
                "monitoring.billRunWithinHours: must be from 24 to 168 hours");
        assertProblems(c -> c.put("monitoring", "90%"), "monitoring: must be an object");
    }

    @Test
    void shouldRefuseAFileThatIsNoJson() {
        assertThatThrownBy(() -> TallyConfig.parse("{ nope", "bad.json", EXAMPLE.getParent()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bad.json: not valid JSON");
    }

    static ObjectNode example() throws IOException {
        return (ObjectNode) JSON.readTree(EXAMPLE.toFile());
    }

    private static void assertProblems(Consumer<ObjectNode> change, String... expected) {
        ObjectNode config;
        try {
            config = example();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        change.accept(config);
        assertThatThrownBy(() -> TallyConfig.parse(config.toString(), "test.json", EXAMPLE.getParent()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    for (String problem : expected) {
                        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(problem));
                    }
                    assertThat(e.getMessage()).startsWith("test.json: ");
                });
        assertThat(List.of(expected)).isNotEmpty();
    }
}
