package dev.tally.infra;

import dev.tally.infra.billing.BillingStack;
import dev.tally.infra.history.HistoryStack;
import dev.tally.infra.monitoring.MonitoringStack;
import dev.tally.infra.nag.Nag;
import dev.tally.infra.privacy.PrivacyStack;
import dev.tally.infra.staging.StagingForwardingStack;
import dev.tally.infra.tagging.TagEnforcement;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

import java.util.List;

/**
 * All of Tally in one app, a stack per concern. Every resource is tagged with the product area of the service it
 * belongs to (the stack's, from the areas file; {@code ownerArea} for anything else), {@link TagEnforcement} fails
 * synthesis for a taggable resource without a known area, and cdk-nag's AwsSolutions checks run over everything.
 *
 * @param history the ECS/EBS history, its functions and the product-area map
 * @param billing bill notifications, the billing function, the rollup outputs and their Glue tables
 * @param privacy the privacy API, its records and the workers that carry requests out
 * @param staging one per staging account (in that account, the production region): forwards its ECS/EBS events to
 *                the history's bus
 * @param monitoring the alarms on the other stacks' functions, queues and metrics, their topic and the dashboard
 */
public record TallyStacks(HistoryStack history, BillingStack billing, PrivacyStack privacy,
                          List<StagingForwardingStack> staging, MonitoringStack monitoring) {

    /** Builds the stacks into {@code app}; the caller synthesizes. */
    public static TallyStacks create(App app, Deployment deployment) {
        var config = deployment.config();
        var areas = deployment.areas();
        areas.requireArea("ownerArea", config.ownerArea());
        Environment env = Environment.builder().account(config.environment().account())
                .region(config.environment().region()).build();

        HistoryStack history = new HistoryStack(app, "TallyHistory", props(env,
                "Tally: ECS/EBS history (table, event functions, reconciler, product-area map)"), deployment);
        BillingStack billing = new BillingStack(app, "TallyBilling", props(env,
                "Tally: bill deliveries, the billing function, rollup outputs and their Glue tables"), deployment,
                history.table());
        PrivacyStack privacy = new PrivacyStack(app, "TallyPrivacy", props(env,
                "Tally: the privacy API, its records and the workers that carry requests out"), deployment);

        List<StagingForwardingStack> staging = config.stagingAccounts().stream().map(account -> {
            StagingForwardingStack stack = new StagingForwardingStack(app, "TallyStagingForwarding" + account,
                    props(Environment.builder().account(account).region(config.environment().region()).build(),
                            "Tally: forwards this staging account's ECS/EBS events to the history in "
                                    + config.environment().account()),
                    config.environment().account(), config.environment().region());
            stack.addStackDependency(history, "the history's bus policy lets this account put events");
            Tags.of(stack).add(config.tagKey(), areas.areaOf(HistoryStack.SERVICE));
            return stack;
        }).toList();
        MonitoringStack monitoring = new MonitoringStack(app, "TallyMonitoring", props(env,
                "Tally: alarms on the functions, queues, rollups and privacy requests, their topic and dashboard"),
                deployment, history, billing, privacy);

        Tags.of(app).add(config.tagKey(), config.ownerArea());
        Tags.of(history).add(config.tagKey(), areas.areaOf(HistoryStack.SERVICE));
        Tags.of(billing).add(config.tagKey(), areas.areaOf(BillingStack.SERVICE));
        Tags.of(privacy).add(config.tagKey(), areas.areaOf(PrivacyStack.SERVICE));
        Tags.of(monitoring).add(config.tagKey(), areas.areaOf(MonitoringStack.SERVICE));
        Aspects.of(app).add(new TagEnforcement(config.tagKey(), areas.areas()),
                AspectOptions.builder().priority(AspectPriority.READONLY).build());
        Nag.check(app);
        return new TallyStacks(history, billing, privacy, staging, monitoring);
    }

    private static StackProps props(Environment env, String description) {
        return StackProps.builder().env(env).description(description).build();
    }
}
