package dev.tally.functions.billing;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BillingConfigTest {
    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(BillingConfig.OUTPUT_BUCKET, "out",
                BillingConfig.DELIVERIES_TABLE, "deliveries", BillingConfig.HISTORY_TABLE, "history"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void shouldRollEveryBillUpInTheInvocation_whenNoStateMachineIsSet() {
        BillingConfig config = BillingConfig.fromEnvironment(env());

        assertThat(config.distributedRollup()).isEmpty();
        assertThat(config.distributedMinParts()).isEqualTo(2);
    }

    @Test
    void shouldDistributeFromTheConfiguredParts_toTheStateMachineSet() {
        String arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:TallyBilling-distributed-rollup";

        BillingConfig config = BillingConfig.fromEnvironment(env(BillingConfig.DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN,
                " " + arn, BillingConfig.DISTRIBUTED_MIN_PARTS, "8"));

        assertThat(config.distributedRollup()).contains(arn);
        assertThat(config.distributedMinParts()).isEqualTo(8);
    }

    @Test
    void shouldNameTheVariable_whenTheStateMachineOrThePartsAreWrong() {
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(
                BillingConfig.DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN, "distributed-rollup")))
                .hasMessageStartingWith("DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN must be a Step Functions state "
                        + "machine ARN");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.DISTRIBUTED_MIN_PARTS, "1")))
                .hasMessageStartingWith("DISTRIBUTED_MIN_PARTS must be at least 2");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.DISTRIBUTED_MIN_PARTS, "many")))
                .hasMessageStartingWith("DISTRIBUTED_MIN_PARTS must be a positive whole number");
    }
}
