package dev.tally.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/** The CDK app: {@code cdk synth} runs this (see cdk.json). cdk-nag's AwsSolutions checks cover the whole app. */
public final class TallyApp {
    private TallyApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        StackProps.Builder props = StackProps.builder()
                .description("Tally: cost allocation rollups (data stores)");
        if (account != null && region != null) {
            props.env(Environment.builder().account(account).region(region).build());
        }
        new TallyDataStack(app, "TallyData", props.build());
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        app.synth();
    }
}
