package dev.tally.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.functions.billing.BillingConfig;
import dev.tally.functions.billing.BillingRollupHandler;
import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.tagging.AreasFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without {@code billing.distributedRollup}: no state machine, and the billing function reads every bill itself. */
class DistributedRollupOffTest {
    private static TallyStacks stacks;
    private static Template billing;

    @BeforeAll
    static void synthesize() throws IOException {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(SynthesizedApp.EXAMPLE_CONFIG.toFile());
        ((ObjectNode) config.get("billing")).remove("distributedRollup");
        App app = SynthesizedApp.newApp(Map.of(), Files.createTempDirectory("tally-cdk"));
        TallyConfig parsed = TallyConfig.parse(config.toString(), "off", SynthesizedApp.EXAMPLE_CONFIG.getParent());
        stacks = TallyStacks.create(app, new Deployment(parsed, AreasFile.read(parsed.areasFile()),
                FunctionJars.from(app.getNode())));
        app.synth();
        billing = Template.fromStack(stacks.billing());
    }

    @Test
    void shouldDeployNoStateMachineAndNoPartOrMergeFunction() {
        billing.resourceCountIs("AWS::StepFunctions::StateMachine", 0);
        billing.resourceCountIs("AWS::Lambda::Function", 2); // the billing function and the CDK's notifications handler
        assertThat(stacks.billing().functions()).hasSize(1);
        assertThat(stacks.billing().distributedRollupStateMachine()).isEmpty();
    }

    @Test
    void shouldLeaveTheBillingFunctionWithoutTheStateMachinesVariables() {
        Map<String, Map<String, Object>> functions = Templates.resources(billing, "AWS::Lambda::Function");
        Map<String, Object> rollup = functions.values().stream()
                .filter(f -> BillingRollupHandler.class.getName().equals(Templates.properties(f).get("Handler")))
                .findFirst().map(Templates::properties).orElseThrow();

        assertThat(String.valueOf(rollup.get("Environment"))).contains(BillingConfig.OUTPUT_BUCKET)
                .doesNotContain(BillingConfig.DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN)
                .doesNotContain(BillingConfig.DISTRIBUTED_MIN_PARTS);
    }
}
