package dev.tally.aws.stepfunctions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.delivery.DeliveryLedger;
import dev.tally.delivery.DistributedRun;
import dev.tally.local.StepFunctionsEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starting distributed rollups with the real {@code SfnClient} against the local {@link StepFunctionsEndpoint} (AWS
 * JSON 1.0): the execution is named by the delivery and carries the run as its input; a second start of the same
 * delivery — a later run id, so another input — is refused by name and starts nothing.
 */
class StepFunctionsBillRunsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE = "arn:aws:states:eu-west-1:000000000000:stateMachine:tally-rollup";

    private static StepFunctionsEndpoint states;
    private static SdkHttpClient http;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        states = StepFunctionsEndpoint.start();
        http = AwsClients.httpClient();
        sfn = AwsClients.sfn(AwsConfig.local(Map.of(AwsClients.SFN, states.endpoint())), http);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        http.close();
        states.close();
    }

    private static DistributedRun run(String runId, String deliveryKey) {
        return new DistributedRun(runId, "s3://bills/cur/hourly/20170201-20170301/hourly-Manifest.json",
                new DeliveryLedger.DeliveryId("bills/cur/hourly", YearMonth.of(2017, 2), deliveryKey),
                "0001488412800000#0a", Instant.parse("2017-03-02T01:00:00Z"), "tally-out",
                "work/x/parts.json", 12, dev.tally.billing.CostBasis.AMORTIZED);
    }

    @Test
    void shouldStartOneExecutionPerDelivery_namedByIt_withTheRunAsItsInput() throws IOException {
        StepFunctionsBillRuns runs = new StepFunctionsBillRuns(sfn, STATE_MACHINE);
        DistributedRun first = run("20170302T010000Z-0a0a0a0a", "m:asm-1");

        boolean started = runs.start(first);
        boolean again = runs.start(run("20170302T020000Z-0b0b0b0b", "m:asm-1"));
        boolean other = runs.start(run("20170302T020000Z-0c0c0c0c", "m:asm-2"));

        assertThat(started).isTrue();
        assertThat(again).isFalse();
        assertThat(other).isTrue();
        assertThat(states.started()).hasSize(2);
        StepFunctionsEndpoint.Execution execution = states.started().get(0);
        assertThat(execution.stateMachineArn()).isEqualTo(STATE_MACHINE);
        assertThat(execution.name()).isEqualTo(first.executionName());
        assertThat(DistributedRun.fromJson(JSON.readTree(execution.input()))).isEqualTo(first);
    }
}
