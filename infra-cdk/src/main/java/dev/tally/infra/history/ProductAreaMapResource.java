package dev.tally.infra.history;

import dev.tally.functions.history.HistoryFunctionConfig;
import dev.tally.functions.history.ProductAreaPublisher;
import dev.tally.infra.Deployment;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.Map;

/**
 * Publishes the areas file into the history table at deploy time: a custom resource (CDK provider framework, whose
 * {@code onEvent} is {@link ProductAreaPublisher}) whose {@code Areas} property is the file's text, so every change
 * of the file updates the resource and republishes the map.
 *
 * <p>No SnapStart: it runs once per deployment.
 */
final class ProductAreaMapResource extends Construct {
    static final String RESOURCE_TYPE = "Custom::ProductAreaMap";
    static final String AREAS_PROPERTY = "Areas";

    private final TallyFunction publisher;
    private final CustomResource resource;

    /**
     * @param unusedDeadLetters a queue URL for {@code DEAD_LETTER_QUEUE_URL}, which the history functions' config
     *                          requires; the publisher never sends to it and is granted nothing on it
     */
    ProductAreaMapResource(Construct scope, String id, Deployment deployment, ITable table, IQueue unusedDeadLetters) {
        super(scope, id);
        publisher = new TallyFunction(this, "Publisher", new TallyFunction.Spec(
                "Tally: publishes the service to product area map (custom resource)",
                deployment.jars().code(FunctionJars.HISTORY), ProductAreaPublisher.class, 1024, Duration.minutes(5),
                Map.of(HistoryFunctionConfig.TABLE, table.getTableName(),
                        HistoryFunctionConfig.RETENTION_DAYS, String.valueOf(deployment.config().history().retentionDays()),
                        HistoryFunctionConfig.DEAD_LETTER_QUEUE_URL, unusedDeadLetters.getQueueUrl()),
                deployment.logRetention()));
        table.grantReadWriteData(publisher.function());
        publisher.acceptWildcards("The CDK's table grant covers the table's indexes; the publisher addresses the "
                + "table's own key only", Nag.tableIndexes(table));

        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(publisher.function())
                .logGroup(LogGroup.Builder.create(this, "ProviderLogs")
                        .retention(deployment.logRetention())
                        .removalPolicy(RemovalPolicy.DESTROY)
                        .build())
                .build();
        IConstruct framework = provider.getNode().findChild("framework-onEvent");
        IConstruct frameworkRole = framework.getNode().findChild("ServiceRole");
        Nag.suppress(frameworkRole, "AwsSolutions-IAM4", "The CDK provider framework's own function logs with the "
                        + "basic execution role; it only relays the event to the publisher",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        Nag.suppress(frameworkRole.getNode().findChild("DefaultPolicy"), "AwsSolutions-IAM5", "The provider framework "
                + "may invoke the publisher's versions (<arn>:*), the publisher alone", "Resource::"
                + Nag.arn(publisher.function()) + ":*");
        resource = CustomResource.Builder.create(this, "Map")
                .serviceToken(provider.getServiceToken())
                .resourceType(RESOURCE_TYPE)
                .properties(Map.of(AREAS_PROPERTY, deployment.areas().content()))
                .build();
        resource.getNode().addDependency(table);
    }

    TallyFunction publisher() {
        return publisher;
    }

    CustomResource resource() {
        return resource;
    }
}
