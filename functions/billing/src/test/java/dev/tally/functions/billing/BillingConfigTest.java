package dev.tally.functions.billing;

import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
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

    @Test
    void shouldRollUpTheUnblendedBasisOnly_whenNoBasisIsConfigured() {
        BillingConfig config = BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, " "));

        assertThat(config.costBases()).containsExactly(CostBasis.UNBLENDED);
        assertThat(config.upfrontLedgerKey()).isEmpty();
    }

    @Test
    void shouldReadOneOrBothBases_inTheirOrder_withAnUpfrontLedgerForTheAmortizedOne() {
        assertThat(BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, "amortized")).costBases())
                .containsExactly(CostBasis.AMORTIZED);
        assertThat(BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, "unblended")).costBases())
                .containsExactly(CostBasis.UNBLENDED);

        BillingConfig both = BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, " Amortized, unblended ",
                BillingConfig.UPFRONT_LEDGER_KEY, " config/upfront.json "));

        assertThat(both.costBases()).containsExactly(CostBasis.UNBLENDED, CostBasis.AMORTIZED);
        assertThat(both.upfrontLedgerKey()).contains("config/upfront.json");
    }

    @Test
    void shouldNameTheVariable_whenTheBasesOrTheLedgerAreWrong() {
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, "blended")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("COST_BASES must be unblended, amortized or unblended,amortized")
                .hasMessageContaining("'blended'");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, "unblended,")))
                .hasMessageStartingWith("COST_BASES must be");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.COST_BASES, "amortized,amortized")))
                .hasMessageStartingWith("COST_BASES names amortized twice");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.UPFRONT_LEDGER_KEY, "upfront.json")))
                .hasMessageStartingWith("UPFRONT_LEDGER_KEY spreads DBR upfront fees on the amortized basis")
                .hasMessageContaining("COST_BASES is unblended");
    }

    @Test
    void shouldSplitEcsHostsByCpuSeconds_whenNoEcsSplitIsConfigured() {
        assertThat(BillingConfig.fromEnvironment(env()).ecsSplit()).isEqualTo(EcsSplit.EVENTS);
        assertThat(BillingConfig.fromEnvironment(env(BillingConfig.ECS_SPLIT, " ")).ecsSplit())
                .isEqualTo(EcsSplit.EVENTS);
    }

    @Test
    void shouldReadTheEcsSplit_eventsOrAws() {
        assertThat(BillingConfig.fromEnvironment(env(BillingConfig.ECS_SPLIT, "events")).ecsSplit())
                .isEqualTo(EcsSplit.EVENTS);
        assertThat(BillingConfig.fromEnvironment(env(BillingConfig.ECS_SPLIT, " AWS ")).ecsSplit())
                .isEqualTo(EcsSplit.AWS);
    }

    @Test
    void shouldNameTheVariable_whenTheEcsSplitIsWrong() {
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(env(BillingConfig.ECS_SPLIT, "cpu")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ECS_SPLIT must be events or aws")
                .hasMessageContaining("'cpu'");
    }
}
